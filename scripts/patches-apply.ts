// npm run patches:apply [-- --force]: make ocaml-src/ = pristine tag + patches/series.
import { parseArgs } from 'node:util';
import { main } from '../harness/cli.ts';
import { loadConfig, projectPaths, seriesLocation } from '../harness/config.ts';
import { ensureTarball } from '../harness/tarball.ts';
import { ensurePristineSource } from '../harness/pristine.ts';
import { applySeries } from '../harness/patch-apply.ts';

main(async () => {
  const { values } = parseArgs({ options: { force: { type: 'boolean', default: false } } });
  const paths = projectPaths();
  const config = loadConfig(paths);
  await ensurePristineSource(config, await ensureTarball(config, paths.cache), paths.ocamlSrc);
  const outcome = await applySeries({ ...seriesLocation(paths, config), force: values.force ?? false });
  for (const s of outcome.saved) console.log(`set aside: ${s}`);
  console.log(outcome.kind === 'up-to-date' ? 'patches: ocaml-src/ already holds the series' : `patches: applied (changed: ${outcome.changed.join(', ') || 'none'})`);
});
