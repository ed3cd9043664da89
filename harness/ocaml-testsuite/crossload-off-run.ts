import { existsSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ProjectPaths, WorkbenchConfig } from '../config.ts';
import { WorkbenchError } from '../errors.ts';
import { gitIn } from '../git.ts';
import { withLock } from '../lock.ts';
import { requireSelection } from '../options.ts';
import { readBuiltStamp } from '../build-steps.ts';
import { readBaseline } from './baseline.ts';
import { compareWithBaseline, type Selection } from './compare.ts';
import { crossloadOffLayout, ensureCrossloadOffBuild } from './crossload-off.ts';
import { crossloadOffSummaryLine, crossloadOffTally, formatProductChecks, formatStrictComparison, writeCrossloadOffReport } from './crossload-off-report.ts';
import { flakyListPath, readFlakyList, retryKnownFlaky, withRerunOutcomes } from './flaky.ts';
import type { TestResult } from './log-parser.ts';
import { machineDifferences, machineFacts } from './machine.ts';
import { rerunTest, runSuite, testLogPath } from './runner.ts';
import { selectedOcamltestKeys } from './selection-check.ts';
import { checkStockProducts } from './stock-products.ts';
import { buildPredicateOf, compareStrictly, testNeedsCrossload } from './strict-compare.ts';

/**
 * `ocaml-testsuite --crossload-off`: the series built with crossloading configured off must be stock 5.3.0. Builds
 * it apart from ocaml-src/ (crossload-off.ts), checks its products (stock-products.ts), runs the suite there and
 * compares it strictly with the pristine baseline (strict-compare.ts). A failed product check is printed at once
 * and the suite still runs, so one run shows everything that differs. Returns the exit status.
 */
export interface CrossloadOffRun {
  paths: ProjectPaths;
  config: WorkbenchConfig;
  selection: Selection;
  /** The --dir/--only options as typed, for the message when they select nothing ('' when none). */
  filter: string;
  /** The command's usage, for that message. */
  usage: string;
  jobs: number;
  timeoutS: number;
  /** False for --no-build: the tree as it is. */
  build: boolean;
  baselineFile: string;
  log: (line: string) => void;
  onDir?: (dir: string, results: TestResult[], done: number, total: number) => void;
}

export function crossloadOffReportPath(paths: ProjectPaths): string {
  return join(paths.reports, 'ocaml-testsuite-crossload-off.json');
}

export function crossloadOffLogPath(paths: ProjectPaths): string {
  return join(paths.logs, 'ocaml-testsuite', 'crossload-off.log');
}

export async function runCrossloadOff(o: CrossloadOffRun): Promise<number> {
  const { paths, config, selection, log } = o;
  const layout = crossloadOffLayout(paths, config);
  const reportFile = crossloadOffReportPath(paths);
  const logFile = crossloadOffLogPath(paths);
  const base = readBaseline(o.baselineFile);
  return withLock(layout.lock, 'ocaml-testsuite --crossload-off', async () => {
    // A run that stops half-way leaves no report: never the previous run's verdict in its place.
    rmSync(reportFile, { force: true });
    let commit: string;
    let configureFlags: string[];
    if (o.build) {
      const built = await ensureCrossloadOffBuild({ paths, config, jobs: o.jobs, log });
      for (const n of built.notes) log(`note: ${n}`);
      log(
        `crossload off: ${built.upToDate ? 'up to date' : `built (${built.ran.join(', ')})`}: ${relative(paths.root, built.srcDir)} at ${built.commit.slice(0, 12)} ` +
          `(${built.patches.length} patches), configured ${built.configureFlags.join(' ')}`,
      );
      commit = built.commit;
      configureFlags = built.configureFlags;
    } else {
      if (!existsSync(join(layout.srcDir, 'testsuite'))) {
        throw new WorkbenchError(`no crossload-off tree at ${layout.srcDir}`, 'Run without --no-build: the series is built there first.');
      }
      const git = gitIn(layout.srcDir, config.gitIdentity);
      commit = (await git.revparse(['HEAD'])).trim();
      configureFlags = (await readBuiltStamp({ srcDir: layout.srcDir, git, logDir: layout.logDir }))?.configureFlags ?? [];
    }
    const wantedFlags = config.configureFlags.join(' ');
    if (base.configureFlags.join(' ') !== wantedFlags) log(`note: the baseline was configured with "${base.configureFlags.join(' ')}", workbench.json has "${wantedFlags}"`);
    // Then exactly, as the normal mode: the tests ocamltest will find in that tree.
    if (o.filter) requireSelection(selectedOcamltestKeys(join(layout.srcDir, 'testsuite'), selection), o.filter, o.usage);

    const checks = await checkStockProducts(layout.srcDir);
    log('products of the crossload-off build:');
    for (const line of formatProductChecks(checks)) log(`  ${line}`);

    log(
      `ocaml-testsuite: crossload-off tree ${relative(paths.root, layout.srcDir)}, ${o.jobs} directories at a time` +
        `${selection.dir ? `, --dir ${selection.dir}` : ''}${selection.only ? `, --only ${selection.only}` : ''}; log: ${logFile}`,
    );
    const suite = await runSuite({
      srcDir: layout.srcDir,
      selection,
      jobs: o.jobs,
      timeoutS: o.timeoutS,
      logFile,
      dirCostMs: base.dirDurationsMs,
      ...(o.onDir ? { onDir: o.onDir } : {}),
    });
    for (const p of suite.problems) log(`problem in the log: ${p}`);

    // Known-flaky upstream tests are rerun as in the normal mode: those that failed where the baseline did not.
    const candidates = compareWithBaseline(suite.tests, base.tests, selection);
    const passedOnRerun = await retryKnownFlaky(candidates, readFlakyList(flakyListPath(paths.root)), (key) => rerunTest(layout.srcDir, key, o.timeoutS), log);
    const strict = compareStrictly(withRerunOutcomes(suite.tests, passedOnRerun), base.tests, selection, (t) => testLogPath(suite.testsuiteDir, t), (key) => testNeedsCrossload(suite.testsuiteDir, key), (key) => buildPredicateOf(suite.testsuiteDir, key));
    const differences = machineDifferences(base.machine, await machineFacts());
    for (const d of differences) log(`note: the baseline was made on another kind of machine: ${d}`);
    for (const line of formatStrictComparison(strict, passedOnRerun)) log(line);
    const failedChecks = checks.filter((c) => !c.ok);
    if (failedChecks.length > 0) {
      log('');
      log(`PRODUCT CHECKS FAILED (${failedChecks.length}): the build is not stock 5.3.0:`);
      for (const line of formatProductChecks(failedChecks)) log(`  ${line}`);
    }
    const sameAsPristine = strict.differences.length === 0 && failedChecks.length === 0 && suite.problems.length === 0;
    writeCrossloadOffReport(reportFile, {
      date: new Date().toISOString(),
      tree: layout.srcDir,
      commit,
      configureFlags,
      selection,
      log: logFile,
      durationMs: suite.durationMs,
      baseline: { file: o.baselineFile, date: base.date, configureFlags: base.configureFlags, machineDifferences: differences },
      problems: suite.problems,
      productChecks: checks,
      tally: crossloadOffTally(strict, checks),
      counts: strict.run,
      baselineCounts: strict.baseline,
      sameAsPristine,
      differences: strict.differences,
      stillFailing: strict.stillFailing,
      seriesSkipped: strict.seriesSkipped,
      seriesPassed: strict.seriesPassed,
      seriesSkippedByBuild: strict.seriesSkippedByBuild,
      passedOnRerun,
    });
    log(`report: ${reportFile}; log: ${logFile} (${(suite.durationMs / 1000).toFixed(0)}s)`);
    log(crossloadOffSummaryLine(strict, checks, suite.problems.length));
    return sameAsPristine ? 0 : 1;
  });
}
