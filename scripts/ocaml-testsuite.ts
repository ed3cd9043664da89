// npm run ocaml-testsuite [-- --dir tests/X --only PATTERN | --series] [-- --runtime d --jobs N --timeout S --no-build] | [-- --crossload-off] | [-- --update-baseline] (--help: every option)
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { main } from '../harness/cli.ts';
import { loadConfig, projectPaths } from '../harness/config.ts';
import { WorkbenchError } from '../harness/errors.ts';
import { defineCommand, parseCommandLine, requireSelection, UsageError } from '../harness/options.ts';
import { TIMEOUTS } from '../harness/timeouts.ts';
import { buildOcaml } from '../harness/build-ocaml.ts';
import { ensurePristineBuild } from '../harness/pristine-build.ts';
import { compareWithBaseline, inSelection, newFailureCount, type Selection } from '../harness/ocaml-testsuite/compare.ts';
import { countOutcomes, type TestResult } from '../harness/ocaml-testsuite/log-parser.ts';
import { baselinePath, readBaseline, writeBaseline, type Baseline } from '../harness/ocaml-testsuite/baseline.ts';
import { machineDifferences, machineFacts } from '../harness/ocaml-testsuite/machine.ts';
import { normalizeDir, ocamltestProgram, rerunTest, runSuite, testLogPath } from '../harness/ocaml-testsuite/runner.ts';
import { selectedOcamltestKeys, testFilesBeforeBuild } from '../harness/ocaml-testsuite/selection-check.ts';
import { findSeriesTests, seriesTestDirs } from '../harness/ocaml-testsuite/series-tests.ts';
import { requireRuntimeVariant, RUNTIME_VARIANTS, runtimeVariantDescription, runtimeVariantEnv, suiteLabel } from '../harness/ocaml-testsuite/runtime-variant.ts';
import { flakyListPath, readFlakyList, retryKnownFlaky } from '../harness/ocaml-testsuite/flaky.ts';
import { runCrossloadOff } from '../harness/ocaml-testsuite/crossload-off-run.ts';
import { formatComparison, suiteLogPath, suiteReportPath, summaryLine, writeSuiteReport } from '../harness/ocaml-testsuite/report.ts';
import { tallyLine } from '../harness/outcomes.ts';

const COMMAND = defineCommand({
  usage: 'npm run ocaml-testsuite --',
  summary:
    "OCaml's own testsuite (ocamltest, as `make -C testsuite all` runs it) on the patched in-tree build, compared test by test " +
    'with the committed baseline of pristine 5.3.0 (ocaml-testsuite/baseline.json): lists new failures, new passes, new skips and ' +
    'tests missing from the run; --dir/--only run a part and compare only that part. Writes reports/ocaml-testsuite.json and ' +
    'logs/ocaml-testsuite/patched.log; exits non-zero on a new failure. With --runtime d: the same run with the debug runtime, as ' +
    '`make -C testsuite USE_RUNTIME=d` runs it (ocamltest gets USE_RUNTIME=d, and OCAMLRUNPARAM=v=0 unless set: native test ' +
    'programs are linked with -runtime-variant d, bytecode ones run by runtime/ocamlrund, so the runtime checks its CAMLassert ' +
    'invariants); it writes reports/ocaml-testsuite-d.json and logs/ocaml-testsuite/patched-d.log and its summary line starts ' +
    '"ocaml-testsuite (debug runtime):". With --series: only the tests the series adds (the test files of ocaml-src/testsuite that ' +
    'the baseline lacks), in their directories; each must give a result, and a failure is a new failure. With --update-baseline: build the pristine tag in ' +
    '.cache/pristine/, run the whole suite there and rewrite the baseline. With --crossload-off: build the series with ' +
    'crossloading configured off (workbench.json configureFlags plus --disable-crossload) in .cache/crossload-off/ (a worktree ' +
    'of ocaml-src/, which is left alone; rebuilt only when the patches or the flags change; step logs in logs/crossload-off-build/), ' +
    'check that its products say stock 5.3.0 (ocamlc -config prints crossload: false; no ocaml.opt, no ' +
    'otherlibs/dynlink/ocamlrun.crossload; ocaml names ocamlrun, not ocamlrun.crossload), run the suite there and compare it ' +
    'strictly with the baseline: every test of the baseline must have its outcome (a new failure, pass or skip, a missing test ' +
    'are differences) and every test the baseline lacks (one the series adds) must be skipped. Writes ' +
    'reports/ocaml-testsuite-crossload-off.json and logs/ocaml-testsuite/crossload-off.log; exits non-zero on any difference, ' +
    'failed product check or problem in the log.',
  options: {
    dir: { type: 'string', arg: 'DIR', help: 'run only the tests under testsuite/DIR (tests/lib-dynlink-native, or lib-dynlink-native)' },
    only: { type: 'string', arg: 'PATTERN', help: 'run only the tests whose key (tests/DIR/FILE.ml) contains PATTERN' },
    jobs: { type: 'int', arg: 'N', help: 'test directories run at a time (default: the number of CPUs)' },
    timeout: { type: 'int', arg: 'S', help: "ocamltest's limit on each action of a test, in seconds", default: TIMEOUTS.ocamltestActionS },
    'no-build': { type: 'boolean', help: 'run on ocaml-src/ (with --crossload-off: .cache/crossload-off/) as it is, without building first' },
    'crossload-off': {
      type: 'boolean',
      help: 'build the series with --disable-crossload in .cache/crossload-off/, check its products are stock, and compare its suite strictly with the baseline',
    },
    runtime: {
      type: 'choice',
      choices: RUNTIME_VARIANTS,
      help:
        'run the test programs on the debug runtime (d), as `make -C testsuite USE_RUNTIME=d`: native ones linked with -runtime-variant d, ' +
        'bytecode ones run by runtime/ocamlrund (OCAMLRUNPARAM=v=0 unless set); writes reports/ocaml-testsuite-d.json and ' +
        'logs/ocaml-testsuite/patched-d.log (default: the normal runtime)',
    },
    series: {
      type: 'boolean',
      help:
        'run and compare only the tests the series adds: the test files of ocaml-src/testsuite absent from the baseline (a failure, or ' +
        'no result, is a new failure; none found is an error); not with --dir, --only, --update-baseline or --crossload-off',
    },
    'update-baseline': { type: 'boolean', help: 'remake ocaml-testsuite/baseline.json from the pristine tag (the whole suite: no --dir, --only, --series, --runtime)' },
  },
});

main(async () => {
  const values = parseCommandLine(COMMAND);
  const update = values['update-baseline'];
  let selection: Selection = { ...(values.dir ? { dir: normalizeDir(values.dir) } : {}), ...(values.only ? { only: values.only } : {}) };
  const filter = [values.dir ? `--dir ${values.dir}` : '', values.only ? `--only ${values.only}` : ''].filter(Boolean).join(' ');
  if (update && filter) throw new UsageError('--update-baseline records the whole suite: it takes no --dir or --only', COMMAND.usage);
  if (update && values['crossload-off']) throw new UsageError('--update-baseline records pristine 5.3.0: it takes no --crossload-off', COMMAND.usage);
  const runtime = values.runtime;
  const series = values.series;
  if (update && series) throw new UsageError('--update-baseline records the whole suite: it takes no --series', COMMAND.usage);
  if (update && runtime) throw new UsageError('--update-baseline records pristine 5.3.0 on its normal runtime: it takes no --runtime', COMMAND.usage);
  if (series && filter) throw new UsageError(`--series selects the tests the series adds: it takes no --dir or --only (got ${filter})`, COMMAND.usage);
  if (values['crossload-off'] && (series || runtime)) {
    throw new UsageError('--crossload-off compares the whole suite, on the normal runtime, with the baseline: it takes no --series or --runtime', COMMAND.usage);
  }
  const paths = projectPaths();
  const config = loadConfig(paths);
  const jobs = values.jobs ?? availableParallelism();
  const timeoutS = values.timeout;
  const testsuiteDir = join(paths.ocamlSrc, 'testsuite');
  // A filter that selects nothing fails before the build when the tree is there: against every file the build can
  // leave (the tree's and the series'), so a test that only a patch not yet applied adds is not refused.
  if (filter && !update && !values['no-build'] && existsSync(testsuiteDir)) {
    requireSelection(testFilesBeforeBuild(testsuiteDir, paths.patches).filter((key) => inSelection(key, selection)), filter, COMMAND.usage);
  }
  const baselineFile = baselinePath(paths.root);
  if (values['crossload-off']) {
    const build = !values['no-build'];
    return runCrossloadOff({ paths, config, selection, filter, usage: COMMAND.usage, jobs, timeoutS, build, baselineFile, log: console.log, onDir: printProgress });
  }

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
    // Then exactly: the tests ocamltest will find (before it runs, which lists ~400 directories).
    if (filter && existsSync(testsuiteDir)) requireSelection(selectedOcamltestKeys(testsuiteDir, selection), filter, COMMAND.usage);
  }
  const previous = update ? tryReadBaseline(baselineFile) : readBaseline(baselineFile);
  if (series) {
    // The built tree's test files that the pristine baseline lacks; a tree that is not built says so first.
    ocamltestProgram(srcDir);
    const keys = findSeriesTests(testsuiteDir, previous!.tests);
    requireSelection(keys, `--series (the test files of ${relative(paths.root, testsuiteDir)} absent from ${relative(paths.root, baselineFile)})`, COMMAND.usage);
    selection = { keys };
    const dirs = seriesTestDirs(keys);
    console.log(`--series: ${keys.length} tests the series adds, in ${dirs.length} directories: ${dirs.join(', ')}`);
  }
  if (runtime) requireRuntimeVariant(srcDir, runtime);

  const tree = update ? 'pristine' : 'patched';
  const label = suiteLabel({ runtime, series });
  const logFile = suiteLogPath(paths.logs, tree, runtime);
  const runtimeWords = runtime
    ? `, ${runtimeVariantDescription(runtime)} (${Object.entries(runtimeVariantEnv(runtime)).map(([k, v]) => `${k}=${v}`).join(' ')}${process.env.OCAMLRUNPARAM !== undefined ? `, OCAMLRUNPARAM=${process.env.OCAMLRUNPARAM} from the environment` : ''})`
    : '';
  console.log(
    `${label}: ${tree} tree ${relative(paths.root, srcDir)}${runtimeWords}, ${jobs} directories at a time` +
      `${selection.dir ? `, --dir ${selection.dir}` : ''}${selection.only ? `, --only ${selection.only}` : ''}${series ? ', --series' : ''}; log: ${logFile}`,
  );
  const suite = await runSuite({
    srcDir,
    selection,
    jobs,
    timeoutS,
    logFile,
    ...(previous ? { dirCostMs: previous.dirDurationsMs } : {}),
    ...(runtime ? { runtime } : {}),
    onDir: printProgress,
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
    console.log(tallyLine('ocaml-testsuite (pristine baseline)', { passed: c.passed, failed: c.failed, skipped: c.skipped, known: 0 }));
    return 0;
  }

  const base = previous!;
  const c = compareWithBaseline(suite.tests, base.tests, selection, (t) => testLogPath(suite.testsuiteDir, t));
  const differences = machineDifferences(base.machine, await machineFacts());
  for (const d of differences) console.log(`note: the baseline was made on another kind of machine: ${d}`);
  // A rerun in the run's environment: with --runtime d, on the debug runtime too.
  const passedOnRerun = await retryKnownFlaky(c, readFlakyList(flakyListPath(paths.root)), (key) => rerunTest(srcDir, key, timeoutS, runtime), console.log);
  for (const line of formatComparison(c, passedOnRerun)) console.log(line);
  const reportFile = suiteReportPath(paths.reports, runtime);
  writeSuiteReport(reportFile, {
    label,
    runtime: runtime ?? 'normal',
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
  console.log(summaryLine(c, passedOnRerun, label));
  return newFailureCount(c) > 0 || suite.problems.length > 0 ? 1 : 0;
});

/** Each failure as its directory ends, and every 25 directories a progress line. */
function printProgress(dir: string, results: TestResult[], done: number, total: number): void {
  for (const r of results.filter((x) => x.outcome === 'failed')) console.log(`failed  ${r.key}${r.detail ? ` (${r.detail})` : ''}`);
  if (done % 25 === 0 || done === total) console.log(`[${done}/${total} directories] ${dir}`);
}

function tryReadBaseline(file: string): Baseline | undefined {
  try {
    return readBaseline(file);
  } catch {
    return undefined;
  }
}
