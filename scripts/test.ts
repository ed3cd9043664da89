// npm test: every check of the project, building what it needs. Each step ends in a line
// `<step>: P passed, F failed, S skipped, K known` (harness/outcomes.ts); the output ends with the line CI parses,
// `test: P passed, F failed, S skipped`, where the known results are counted with the skipped (the line before says how many).
// The last steps run the tests the series adds to OCaml's testsuite again, on the debug runtime (ocaml-testsuite --runtime d --series),
// and crosstest's own programs on it (crosstest --runtime d --corpus own).
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { main } from '../harness/cli.ts';
import { projectPaths } from '../harness/config.ts';
import { parseCommandLine, type CommandSpec } from '../harness/options.ts';
import { addTallies, closingLines, emptyTally, parseTally, stepTally, tallyLine, type Tally } from '../harness/outcomes.ts';
import { suiteReportPath } from '../harness/ocaml-testsuite/report.ts';
import { suiteLabel } from '../harness/ocaml-testsuite/runtime-variant.ts';

/** The last step: the tests the series adds, on the debug runtime, whose CAMLassert checks hold the runtime's invariants. */
const DEBUG_RUNTIME_STEP = suiteLabel({ runtime: 'd', series: true });
const DEBUG_RUNTIME_NOTE =
  'the tests the series adds (test files absent from the pristine baseline) with the debug runtime (USE_RUNTIME=d: ' +
  'ocamlrund, -runtime-variant d), where the runtime checks its invariants with CAMLassert';

/** Then crosstest's own programs on the debug runtime. */
const DEBUG_CROSSTEST_STEP = 'crosstest --runtime d --corpus own';
const DEBUG_CROSSTEST_NOTE =
  "the project's own crosstest programs with the debug runtime in every mode: hosts linked with -runtime-variant d, bytecode on ocamlrund, " +
  'ocamlc -crossload programs and ocaml on ocamlrund.crossload, ocaml.opt as ocamld.opt';

const COMMAND = {
  usage: 'npm test --',
  summary:
    'Every check of the project, building what it needs: tsc, the harness unit tests (vitest), build-ocaml, patches:check, ' +
    'patches:lint, crosstest --quick, examples, faults, bench --quick, ocaml-testsuite, then ocaml-testsuite --runtime d --series (the tests the series ' +
    "adds, on OCaml's debug runtime, which CAMLasserts the runtime's invariants) and crosstest --runtime d --corpus own. " +
    'Ends with "test: N passed, N failed, N skipped". What CI runs.',
  options: {},
} satisfies CommandSpec<Record<string, never>>;

interface StepResult {
  name: string;
  tally: Tally;
  /** What the step's numbers include, printed under its line. */
  notes: string[];
}

/** What a step's report says, read back by a function that returns undefined for a report it cannot read. */
interface ReportReading {
  tally: Tally;
  name?: string;
  notes?: string[];
}

const failedOnce = (name: string, note: string): StepResult => ({ name, tally: { ...emptyTally(), failed: 1 }, notes: [note] });

main(async () => {
  parseCommandLine(COMMAND);
  const paths = projectPaths();

  async function runStep(cmd: string, args: string[]): Promise<boolean> {
    console.log(`\n### ${cmd} ${args.join(' ')}`);
    const r = await execa(cmd, args, { cwd: paths.root, stdio: 'inherit', reject: false });
    return r.exitCode === 0;
  }

  /** A check that is one pass or one fail. */
  async function single(name: string, cmd: string, args: string[]): Promise<StepResult> {
    const ok = await runStep(cmd, args);
    return { name, tally: { ...emptyTally(), [ok ? 'passed' : 'failed']: 1 }, notes: [] };
  }

  /**
   * A check counted from the report it writes. The report is deleted first, so a run that crashes before writing it
   * is never counted from an older one; a missing or unreadable report counts as one failure (outcomes.ts, stepTally).
   */
  async function reported(
    name: string,
    cmd: string,
    args: string[],
    reportFile: string,
    read: (json: unknown) => ReportReading | undefined,
    /** What the step is, printed under its line before what its report says. */
    about: string[] = [],
  ): Promise<StepResult> {
    rmSync(reportFile, { force: true });
    const ok = await runStep(cmd, args);
    let reading: ReportReading | undefined;
    try {
      reading = read(JSON.parse(readFileSync(reportFile, 'utf8')) as unknown);
    } catch {
      reading = undefined;
    }
    const notes = [...about, ...(reading ? (reading.notes ?? []) : [`no readable report ${reportFile}: the step is counted as one failure`])];
    if (reading && !ok && reading.tally.failed === 0) notes.push('exited with a failure its report does not count: counted as one failure');
    return { name: reading?.name ?? name, tally: stepTally(ok, reading?.tally), notes };
  }

  const steps: StepResult[] = [];
  steps.push(await single('typecheck (tsc --noEmit)', 'npx', ['tsc', '--noEmit']));

  const vitestJson = join(paths.reports, 'vitest.json');
  steps.push(
    await reported('harness unit tests (vitest)', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`], vitestJson, readVitest),
  );

  const built = await single('build-ocaml (pinned source + patches/)', 'npm', ['run', '-s', 'build-ocaml']);
  steps.push(built);
  steps.push(await single('patches:check', 'npm', ['run', '-s', 'patches:check']));
  steps.push(await single('patches:lint (upstream readiness)', 'npm', ['run', '-s', 'patches:lint']));

  if (built.tally.failed === 0) {
    // The quick subset (every own test, a fixed sample of OCaml's own, in every mode) keeps npm test fast;
    // `npm run crosstest` runs the whole corpus. Without --no-build: the compiler is up to date by now (a second),
    // and crosstest builds pristine 5.3.0 once (.cache/pristine/) for the stock reference of the toplevel modes.
    steps.push(await reported('crosstest', 'npm', ['run', '-s', 'crosstest', '--', '--quick'], join(paths.reports, 'crosstest.json'), readCrosstest));
    // The example programs of examples/ (the Eval library), built as their documentation says and run with nothing on PATH.
    steps.push(await single('examples', 'npm', ['run', '-s', 'examples']));
    // The out-of-memory paths of the guest's start, made to fail under gdb (faults/): counted from its report, so that
    // cases skipped without gdb are counted as skipped.
    steps.push(
      await reported('faults', 'npm', ['run', '-s', 'faults'], join(paths.reports, 'faults.json'), (json) => {
        const tally = isObject(json) ? parseTally(json.tally) : undefined;
        return tally ? { tally } : undefined;
      }),
    );
    // The benchmark suite still works (a few seconds; the figures come from `npm run bench`).
    steps.push(await single('bench --quick', 'npm', ['run', '-s', 'bench', '--', '--quick', '--no-build']));
    // OCaml's own testsuite on the patched tree, test by test against the committed pristine baseline.
    steps.push(await reported('ocaml-testsuite', 'npm', ['run', '-s', 'ocaml-testsuite', '--', '--no-build'], suiteReportPath(paths.reports), readOcamlTestsuite));
    // The same suite's tests of the series again, on the debug runtime (its own report, reports/ocaml-testsuite-d.json).
    steps.push(
      await reported(
        DEBUG_RUNTIME_STEP,
        'npm',
        ['run', '-s', 'ocaml-testsuite', '--', '--no-build', '--runtime', 'd', '--series'],
        suiteReportPath(paths.reports, 'd'),
        readOcamlTestsuite,
        [DEBUG_RUNTIME_NOTE],
      ),
    );
    // The project's own crosstest programs on the debug runtime, in every mode (the toplevels and byte+cmxs on
    // ocamlrund.crossload and ocamld.opt): its own report, reports/crosstest-d.json.
    steps.push(
      await reported(DEBUG_CROSSTEST_STEP, 'npm', ['run', '-s', 'crosstest', '--', '--runtime', 'd', '--corpus', 'own'], join(paths.reports, 'crosstest-d.json'), readCrosstest, [
        DEBUG_CROSSTEST_NOTE,
      ]),
    );
  } else {
    console.log('\ncrosstest, bench and ocaml-testsuite (both passes) not run: the compiler did not build');
    steps.push(
      failedOnce('crosstest', 'not run: no compiler'),
      failedOnce('ocaml-testsuite', 'not run: no compiler'),
      failedOnce(DEBUG_RUNTIME_STEP, 'not run: no compiler'),
      failedOnce(DEBUG_CROSSTEST_STEP, 'not run: no compiler'),
    );
  }

  console.log('\n### summary');
  for (const s of steps) {
    console.log(tallyLine(s.name, s.tally));
    for (const note of s.notes) console.log(`  (${note})`);
  }
  const total = addTallies(steps.map((s) => s.tally));
  for (const line of closingLines('test', total)) console.log(line);
  return total.failed === 0 ? 0 : 1;
});

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const count = (v: unknown): number | undefined => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : undefined);

/** reports/vitest.json (vitest's JSON reporter): pending and todo tests are skipped. */
function readVitest(json: unknown): ReportReading | undefined {
  if (!isObject(json)) return undefined;
  const [passed, failed, pending, todo] = [json.numPassedTests, json.numFailedTests, json.numPendingTests, json.numTodoTests].map(count);
  if (passed === undefined || failed === undefined || pending === undefined || todo === undefined) return undefined;
  return { tally: { passed, failed, skipped: pending + todo, known: 0 } };
}

/** reports/crosstest.json: `tally` is its summary line (known = failures listed in testsuite/known-failures.json). */
function readCrosstest(json: unknown): ReportReading | undefined {
  if (!isObject(json)) return undefined;
  const tally = parseTally(json.tally);
  if (!tally) return undefined;
  const notes = tally.known > 0 ? ['known: failures listed, with their reasons, in testsuite/known-failures.json'] : [];
  const runtime = typeof json.runtime === 'string' && json.runtime !== '' ? ` --runtime ${json.runtime}` : '';
  return { tally, notes, ...(typeof json.subset === 'string' ? { name: `crosstest${runtime}, ${json.subset}` } : {}) };
}

/**
 * reports/ocaml-testsuite.json (and -d.json, the debug runtime's): failed = new failures (missing tests included) and problems of the log; known =
 * tests failing as in the pristine baseline; a known-flaky test that passed on rerun counts as passed.
 */
function readOcamlTestsuite(json: unknown): ReportReading | undefined {
  if (!isObject(json) || !isObject(json.counts) || !isObject(json.comparison)) return undefined;
  const [passed, skipped, newFailures] = [json.counts.passed, json.counts.skipped, json.newFailures].map(count);
  const { problems, passedOnRerun } = json;
  const stillFailing = json.comparison.stillFailing;
  if (passed === undefined || skipped === undefined || newFailures === undefined || !Array.isArray(problems) || !Array.isArray(stillFailing)) return undefined;
  const rerunPasses = Array.isArray(passedOnRerun) ? passedOnRerun.length : 0;
  const notes = stillFailing.length > 0 ? ['known: tests failing as in the pristine baseline (ocaml-testsuite/baseline.json)'] : [];
  if (rerunPasses > 0) notes.push(`passed includes ${rerunPasses} known flaky upstream that failed once and passed on rerun`);
  return { tally: { passed: passed + rerunPasses, failed: newFailures + problems.length, skipped, known: stillFailing.length }, notes };
}
