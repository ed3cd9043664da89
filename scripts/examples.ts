// npm run examples: build each program of examples/ with the installed compiler, as its documentation says, and run it
// on its inputs against its expected output, with nothing on PATH. (--help)
import { join } from 'node:path';
import { main } from '../harness/cli.ts';
import { projectPaths } from '../harness/config.ts';
import { runExamples } from '../harness/examples.ts';
import { defineCommand, parseCommandLine } from '../harness/options.ts';
import { tallyLine, tallyOf } from '../harness/outcomes.ts';

const COMMAND = defineCommand({
  usage: 'npm run examples --',
  summary:
    'Build each program of examples/ (example.json) with the compiler installed in _install/ (npm run build-ocaml), using ' +
    'the one command line of its documentation, and run it with PATH pointing to an empty directory (no assembler, no ' +
    'linker) on each of its inputs; its output must be the expected one byte for byte, with nothing on stderr and ' +
    'status 0. Ends with "examples: P passed, F failed, S skipped, K known".',
  options: {},
});

main(async () => {
  parseCommandLine(COMMAND);
  const paths = projectPaths();
  const results = await runExamples(join(paths.root, 'examples'), join(paths.install, 'bin'));
  for (const r of results) {
    console.log(`${r.outcome === 'passed' ? '✔' : '✗'} ${r.name}: ${r.what}`);
    if (r.detail) console.log(r.detail.replace(/^/gm, '    '));
  }
  const tally = tallyOf(results.map((r) => r.outcome));
  console.log(tallyLine('examples', tally));
  return tally.failed === 0 && results.length > 0 ? 0 : 1;
});
