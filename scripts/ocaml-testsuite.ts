// npm run ocaml-testsuite [-- --dir tests/X] [--only PATTERN] [--jobs N] [--timeout S] [--no-build] [--update-baseline]
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { main } from '../harness/cli.ts';
import { loadConfig, projectPaths } from '../harness/config.ts';
import { WorkbenchError } from '../harness/errors.ts';
import { buildOcaml } from '../harness/build-ocaml.ts';
import { ensurePristineBuild } from '../harness/pristine-build.ts';
import { compareWithBaseline, newFailureCount, type Selection } from '../harness/ocaml-testsuite/compare.ts';
import { countOutcomes } from '../harness/ocaml-testsuite/log-parser.ts';
import { baselinePath, readBaseline, writeBaseline, type Baseline } from '../harness/ocaml-testsuite/baseline.ts';
import { machineDifferences, machineFacts } from '../harness/ocaml-testsuite/machine.ts';
import { DEFAULT_TIMEOUT_S, normalizeDir, rerunTest, runSuite, testLogPath } from '../harness/ocaml-testsuite/runner.ts';
import { flakyListPath, readFlakyList, retryKnownFlaky } from '../harness/ocaml-testsuite/flaky.ts';
import { formatComparison, summaryLine, writeSuiteReport } from '../harness/ocaml-testsuite/report.ts';

main(async () => {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string' },
      only: { type: 'string' },
      jobs: { type: 'string' },
      timeout: { type: 'string' },
      'no-build': { type: 'boolean', default: false },
      'update-baseline': { type: 'boolean', default: false },
    },
  });
  const paths = projectPaths();
  const config = loadConfig(paths);
  const jobs = values.jobs ? Number(values.jobs) : availableParallelism();
  const timeoutS = values.timeout ? Number(values.timeout) : DEFAULT_TIMEOUT_S;
  const selection: Selection = { ...(values.dir ? { dir: normalizeDir(values.dir) } : {}), ...(values.only ? { only: values.only } : {}) };
  const baselineFile = baselinePath(paths.root);
  const update = values['update-baseline'] ?? false;
  if (update && (selection.dir || selection.only)) throw new WorkbenchError('--update-baseline records the whole suite: it takes no --dir or --only');

  let srcDir: string;
  let pristine: Awaited<ReturnType<typeof ensurePristineBuild>> | undefined;
  if (update) {
    pristine = await ensurePristineBuild({ paths, config, jobs, log: console.log });
    for (const n of pristine.notes) console.log(`note: ${n}`);
    srcDir = pristine.srcDir;
  } else {
    // The patched tree is built in-tree by build-ocaml (a no-op in a second when up to date).
    if (!values['no-build']) await buildOcaml({ paths, config });
    srcDir = paths.ocamlSrc;
  }
  const previous = update ? tryReadBaseline(baselineFile) : readBaseline(baselineFile);

  const tree = update ? 'pristine' : 'patched';
  const logFile = join(paths.logs, 'ocaml-testsuite', `${tree}.log`);
  console.log(`ocaml-testsuite: ${tree} tree ${relative(paths.root, srcDir)}, ${jobs} directories at a time${selection.dir ? `, --dir ${selection.dir}` : ''}${selection.only ? `, --only ${selection.only}` : ''}; log: ${logFile}`);
  const suite = await runSuite({
    srcDir,
    selection,
    jobs,
    timeoutS,
    logFile,
    ...(previous ? { dirCostMs: previous.dirDurationsMs } : {}),
    onDir: (dir, results, done, total) => {
      const bad = results.filter((r) => r.outcome === 'failed');
      for (const r of bad) console.log(`failed  ${r.key}${r.detail ? ` (${r.detail})` : ''}`);
      if (done % 25 === 0 || done === total) console.log(`[${done}/${total} directories] ${dir}`);
    },
  });
  for (const p of suite.problems) console.log(`problem in the log: ${p}`);
  const secs = (suite.durationMs / 1000).toFixed(0);

  if (update) {
    const baseline: Baseline = {
      $comment: 'OCaml 5.3.0 unpatched: its own testsuite on this kind of machine. Remade by the command in madeBy; compared test by test by npm run ocaml-testsuite.',
      madeBy: 'npm run ocaml-testsuite -- --update-baseline',
      date: new Date().toISOString(),
      source: { version: config.ocaml.version, tag: config.ocaml.pristineTag, commit: pristine!.commit, integrity: config.ocaml.integrity },
      configureFlags: pristine!.configureFlags.filter((f) => !f.startsWith('--prefix=')),
      command: suite.command,
      jobs,
      durationMs: suite.durationMs,
      machine: await machineFacts(),
      totals: countOutcomes(suite.tests.map((t) => t.outcome)),
      dirDurationsMs: suite.dirDurationsMs,
      tests: Object.fromEntries(suite.tests.map((t) => [t.key, t.outcome])),
    };
    if (suite.problems.length > 0) throw new WorkbenchError(`the pristine run's log has problems (above); baseline not written`, `Read ${logFile}.`);
    if (previous) {
      console.log('\nchanges against the previous baseline:');
      for (const line of formatComparison(compareWithBaseline(suite.tests, previous.tests, {}, (t) => testLogPath(suite.testsuiteDir, t)))) console.log(line);
    }
    for (const t of suite.tests.filter((x) => x.outcome === 'failed')) console.log(`failing in the pristine tree: ${t.key}\n  ${t.messages.slice(0, 4).join('\n  ')}`);
    writeBaseline(baselineFile, baseline);
    const c = baseline.totals;
    console.log(`baseline written: ${baselineFile} (${secs}s)`);
    console.log(`ocaml-testsuite: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`);
    return 0;
  }

  const base = previous!;
  const c = compareWithBaseline(suite.tests, base.tests, selection, (t) => testLogPath(suite.testsuiteDir, t));
  const differences = machineDifferences(base.machine, await machineFacts());
  for (const d of differences) console.log(`note: the baseline was made on another kind of machine: ${d}`);
  const passedOnRerun = await retryKnownFlaky(c, readFlakyList(flakyListPath(paths.root)), (key) => rerunTest(srcDir, key, timeoutS), console.log);
  for (const line of formatComparison(c, passedOnRerun)) console.log(line);
  const reportFile = join(paths.reports, 'ocaml-testsuite.json');
  writeSuiteReport(reportFile, {
    date: new Date().toISOString(),
    tree: srcDir,
    selection,
    log: logFile,
    durationMs: suite.durationMs,
    baseline: { file: baselineFile, date: base.date, machineDifferences: differences },
    problems: suite.problems,
    counts: c.run,
    baselineCounts: c.baseline,
    newFailures: newFailureCount(c),
    comparison: { newFailures: c.newFailures, missing: c.missing, newPasses: c.newPasses, newSkips: c.newSkips, stillFailing: c.stillFailing },
    passedOnRerun,
  });
  console.log(`report: ${reportFile}; log: ${logFile} (${secs}s)`);
  console.log(summaryLine(c, passedOnRerun));
  return newFailureCount(c) > 0 || suite.problems.length > 0 ? 1 : 0;
});

function tryReadBaseline(file: string): Baseline | undefined {
  try {
    return readBaseline(file);
  } catch {
    return undefined;
  }
}
