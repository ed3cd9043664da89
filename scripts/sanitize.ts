// npm run sanitize [-- --passes testsuite,crosstest --jobs N --timeout S --no-gc-stress --no-build] (--help: every option)
// The series built with ThreadSanitizer in .cache/tsan/ (harness/sanitize/tsan-build.ts), then its own ocamltest tests
// and crosstest's crossloading modes run there with every TSan report collected (harness/sanitize/).
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { main } from '../harness/cli.ts';
import { loadConfig, projectPaths } from '../harness/config.ts';
import { WorkbenchError } from '../harness/errors.ts';
import { gitIn } from '../harness/git.ts';
import { withLock } from '../harness/lock.ts';
import { run } from '../harness/exec.ts';
import { readManifest } from '../harness/manifest.ts';
import { defineCommand, parseCommandLine, parseList } from '../harness/options.ts';
import { TIMEOUTS } from '../harness/timeouts.ts';
import { baselinePath } from '../harness/ocaml-testsuite/baseline.ts';
import { formatDuration } from '../harness/crosstest/report.ts';
import { ensureTsanBuild, tsanLayout } from '../harness/sanitize/tsan-build.ts';
import { checkTsanTools } from '../harness/sanitize/preflight.ts';
import { PASSES, runCrosstestPass, runTestsuitePass, sanitizeModes, type PassResult } from '../harness/sanitize/passes.ts';
import { tsanOptions } from '../harness/sanitize/tsan-log.ts';
import { formatSanitize, sanitizeReportPaths, sanitizeSummaryLine, sanitizeTally, writeSanitizeReport, type SanitizeReport } from '../harness/sanitize/report.ts';

/** A crosstest run under TSan is several times slower than a plain one: its default limit. */
const CROSSTEST_TSAN_TIMEOUT_S = 5 * TIMEOUTS.crosstestRunS;

const COMMAND = defineCommand({
  usage: 'npm run sanitize --',
  summary:
    'The series under ThreadSanitizer. Builds it configured with workbench.json configureFlags plus --enable-tsan in its own tree ' +
    '.cache/tsan/ (a worktree of ocaml-src/, which is left alone; rebuilt only when the patches or the flags change; step logs in ' +
    'logs/tsan-build/) and installs it into .cache/tsan/_install. Then two passes, each with TSAN_OPTIONS sending reports to its own ' +
    'directory (log_path=logs/sanitize/tsan-<pass>/tsan, log_exe_name=1, halt_on_error=0, exitcode=66, history_size=6; a TSAN_OPTIONS ' +
    'of the environment is added): testsuite, the ocamltest tests the series adds (as ocaml-testsuite --series selects them) on that ' +
    'tree; crosstest, `npm run crosstest -- --no-build --prefix .cache/tsan/_install --corpus own` in the modes native+cmo, byte+cmxs, ' +
    'toplevel, toplevel+cmxs, toplevel.opt and toplevel.opt+cmxs, each also under GC stress (reports and work directory in ' +
    'reports/sanitize/). Any TSan report fails its pass, whatever the tests said; each is listed with its stacks. Prints the time of ' +
    'the build and of each pass; writes reports/sanitize.md and reports/sanitize.json; ends with `sanitize: N passed, N failed, N ' +
    'skipped, N known` and exits 1 on a failure or a TSan report.',
  options: {
    passes: { type: 'string', arg: 'a,b', help: `run only these passes, of: ${PASSES.join(', ')}`, default: PASSES.join(',') },
    jobs: { type: 'int', arg: 'N', help: 'make -j, test directories and crosstest runs at a time (default: the number of CPUs)' },
    timeout: {
      type: 'int',
      arg: 'S',
      help: "crosstest's limit on one run, in seconds (three times that under GC stress); ocamltest's per-action limit stays its default",
      default: CROSSTEST_TSAN_TIMEOUT_S,
    },
    'no-gc-stress': { type: 'boolean', help: 'run the crosstest modes without their GC-stress variants (half the runs)' },
    'no-build': { type: 'boolean', help: 'run on .cache/tsan/ as it is, without building first' },
  },
});

main(async () => {
  const values = parseCommandLine(COMMAND);
  const passes = parseList('passes', values.passes, PASSES, COMMAND.usage);
  const modes = sanitizeModes(!values['no-gc-stress']);
  const paths = projectPaths();
  const config = loadConfig(paths);
  const jobs = values.jobs ?? availableParallelism();
  const layout = tsanLayout(paths, config);
  const logs = join(paths.logs, 'sanitize');
  const reportPaths = sanitizeReportPaths(paths.reports);

  return withLock(layout.lock, 'npm run sanitize', async () => {
    const started = performance.now();
    let build: SanitizeReport['build'];
    let commit: string;
    let configureFlags: string[];
    if (!values['no-build']) {
      await checkTsanTools();
      const built = await ensureTsanBuild({ paths, config, jobs, log: console.log });
      for (const n of built.notes) console.log(`note: ${n}`);
      build = { durationMs: Math.round(performance.now() - started), upToDate: built.upToDate, ran: built.ran, notes: built.notes, skipped: false };
      console.log(
        `tsan build: ${built.upToDate ? 'up to date' : `${built.ran.join(', ')}`} in ${formatDuration(build.durationMs)}: ${relative(paths.root, built.srcDir)} at ` +
          `${built.commit.slice(0, 12)} (${built.patches.length} patches), configured ${built.configureFlags.join(' ')}, installed in ${relative(paths.root, built.prefix)}`,
      );
      commit = built.commit;
      configureFlags = built.configureFlags;
    } else {
      const manifest = readManifest(layout.prefix);
      if (!manifest || !existsSync(join(layout.srcDir, 'testsuite'))) {
        throw new WorkbenchError(`no TSan build in ${layout.dir} (tree and installed prefix)`, 'Run without --no-build: it is built there first.');
      }
      commit = (await gitIn(layout.srcDir, config.gitIdentity).revparse(['HEAD'])).trim();
      configureFlags = manifest.configureFlags;
      build = { durationMs: 0, upToDate: true, ran: [], notes: [], skipped: true };
    }
    await requireTsanCompiler(layout.prefix);

    const results: PassResult[] = [];
    for (const pass of passes) {
      const tsanDir = join(logs, `tsan-${pass}`);
      const result =
        pass === 'testsuite'
          ? await runTestsuitePass({ srcDir: layout.srcDir, baselineFile: baselinePath(paths.root), jobs, timeoutS: TIMEOUTS.ocamltestActionS, logFile: join(logs, 'testsuite.log'), tsanDir, log: console.log })
          : await runCrosstestPass({
              root: paths.root,
              prefix: layout.prefix,
              modes,
              jobs,
              timeoutS: values.timeout,
              reportDir: join(paths.reports, 'sanitize'),
              logFile: join(logs, 'crosstest.log'),
              tsanDir,
              log: console.log,
            });
      console.log(`${pass} pass: ${formatDuration(result.durationMs)}`);
      results.push(result);
    }

    const tally = sanitizeTally(results);
    // What known failures printed is listed, not counted (harness/sanitize/known-failures.ts).
    const tsanReportCount = results.reduce((n, p) => n + p.tsanReports.length + p.outputReports.filter((r) => !r.known).length, 0);
    const report: SanitizeReport = {
      date: new Date().toISOString(),
      tree: layout.srcDir,
      prefix: layout.prefix,
      commit,
      configureFlags,
      tsanOptions: tsanOptions('<logdir>', process.env.TSAN_OPTIONS),
      build,
      passes: results,
      tally,
      tsanReportCount,
      clean: tally.failed === 0 && tsanReportCount === 0,
    };
    writeSanitizeReport(paths.reports, report);
    console.log('');
    for (const line of formatSanitize(report)) console.log(line);
    console.log('');
    console.log(`reports: ${reportPaths.md}, ${reportPaths.json}; logs: ${logs}`);
    console.log(`${tsanReportCount} ThreadSanitizer report(s); wall-clock time ${formatDuration(performance.now() - started)}`);
    console.log(sanitizeSummaryLine(tally));
    return report.clean ? 0 : 1;
  });
});

/** The prefix's compiler must be a TSan build (`ocamlc -config`: `tsan: true`), or the passes prove nothing. */
async function requireTsanCompiler(prefix: string): Promise<void> {
  const r = await run(join(prefix, 'bin', 'ocamlc'), ['-config'], { cwd: prefix, timeoutMs: TIMEOUTS.toolQueryMs });
  if (r.exitCode !== 0) throw new WorkbenchError(`${prefix}/bin/ocamlc -config failed (exit ${r.exitCode})`, 'Run without --no-build to build and install it again.');
  if (!/^tsan: true$/m.test(r.stdout)) throw new WorkbenchError(`${prefix}/bin/ocamlc -config does not say tsan: true: not a ThreadSanitizer build`, 'Run without --no-build.');
}
