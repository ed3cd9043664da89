// npm run patches:apply [-- --force]: make ocaml-src/ = pristine tag + patches/series. (--help: every option)
import { main } from '../harness/cli.ts';
import { loadConfig, projectPaths, seriesLocation } from '../harness/config.ts';
import { defineCommand, parseCommandLine } from '../harness/options.ts';
import { ensureTarball } from '../harness/tarball.ts';
import { ensurePristineSource } from '../harness/pristine.ts';
import { applySeries } from '../harness/patch-apply.ts';

const COMMAND = defineCommand({
  usage: 'npm run patches:apply --',
  summary:
    'Make ocaml-src/ hold exactly the pristine tag plus patches/series (fetching and unpacking the pinned OCaml release ' +
    'first if needed). Refuses if that would destroy unexported work in ocaml-src/.',
  options: {
    force: { type: 'boolean', help: 'set unexported work in ocaml-src/ aside (uncommitted changes to a stash, commits to a backup ref) instead of refusing' },
  },
});

main(async () => {
  const values = parseCommandLine(COMMAND);
  const paths = projectPaths();
  const config = loadConfig(paths);
  await ensurePristineSource(config, await ensureTarball(config, paths.cache), paths.ocamlSrc);
  const outcome = await applySeries({ ...seriesLocation(paths, config), force: values.force });
  for (const s of outcome.saved) console.log(`set aside: ${s}`);
  console.log(outcome.kind === 'up-to-date' ? 'patches: ocaml-src/ already holds the series' : `patches: applied (changed: ${outcome.changed.join(', ') || 'none'})`);
});
