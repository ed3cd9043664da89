// npm run patches:check: fail if a patch does not apply, export is not a no-op, or ocaml-src/ has unexported work. (--help)
import { main } from '../harness/cli.ts';
import { loadConfig, projectPaths, seriesLocation } from '../harness/config.ts';
import { defineCommand, parseCommandLine } from '../harness/options.ts';
import { ensureTarball } from '../harness/tarball.ts';
import { ensurePristineSource } from '../harness/pristine.ts';
import { checkSeries } from '../harness/patch-check.ts';
import { readSeries } from '../harness/series-file.ts';

const COMMAND = defineCommand({
  usage: 'npm run patches:check --',
  summary:
    'Fail if a patch does not apply, if export would change a byte of patches/, or if ocaml-src/ holds work that patches/ lacks. ' +
    'Changes nothing.',
  options: {},
});

main(async () => {
  parseCommandLine(COMMAND);
  const paths = projectPaths();
  const config = loadConfig(paths);
  await ensurePristineSource(config, await ensureTarball(config, paths.cache), paths.ocamlSrc);
  const problems = await checkSeries(seriesLocation(paths, config));
  for (const p of problems) console.log(`✗ ${p}`);
  const n = readSeries(paths.patches).length;
  console.log(problems.length === 0 ? `patches:check: ${n} patches apply and export byte-stable; ocaml-src/ matches` : `patches:check: ${problems.length} problem(s)`);
  return problems.length === 0 ? 0 : 1;
});
