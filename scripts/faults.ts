// npm run faults: the out-of-memory paths of the guest's start, run for real under gdb (faults/*.gdb). (--help)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../harness/cli.ts';
import { projectPaths } from '../harness/config.ts';
import { runFaults } from '../harness/faults.ts';
import { defineCommand, parseCommandLine } from '../harness/options.ts';
import { tallyLine, tallyOf } from '../harness/outcomes.ts';

const COMMAND = defineCommand({
  usage: 'npm run faults --',
  summary:
    'Build faults/guest_start.ml (loads the bytecode faults/plugin.cmo with Dynlink until a load succeeds) with the ' +
    'compiler installed in _install/ (npm run build-ocaml) and run it under gdb once per script faults/<case>.gdb, which ' +
    'makes one allocation of the runtime fail while the bytecode guest starts; the lines the program, the plugin and the ' +
    'script print must be faults/<case>.expected, within 60 s (a lock left held shows as a ' +
    'timeout). Skipped, not passed, without gdb. Writes reports/faults.json; ends with "faults: P passed, F failed, S skipped, K known".',
  options: {},
});

main(async () => {
  parseCommandLine(COMMAND);
  const paths = projectPaths();
  const results = await runFaults(join(paths.root, 'faults'), join(paths.install, 'bin'));
  for (const r of results) {
    console.log(`${r.outcome === 'passed' ? '✔' : r.outcome === 'skipped' ? '-' : '✗'} ${r.name}`);
    if (r.detail) console.log(r.detail.replace(/^/gm, '    '));
  }
  const tally = tallyOf(results.map((r) => r.outcome));
  mkdirSync(paths.reports, { recursive: true });
  writeFileSync(join(paths.reports, 'faults.json'), `${JSON.stringify({ tally, results }, null, 2)}\n`);
  console.log(tallyLine('faults', tally));
  return tally.failed === 0 && results.length > 0 ? 0 : 1;
});
