import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { WorkbenchError } from '../errors.ts';
import { run } from '../exec.ts';
import { tallyOf, type Outcome, type Tally } from '../outcomes.ts';
import { readBaseline } from '../ocaml-testsuite/baseline.ts';
import { ocamltestProgram, runSuite, testLogPath } from '../ocaml-testsuite/runner.ts';
import { findSeriesTests } from '../ocaml-testsuite/series-tests.ts';
import { ALL_MODES } from '../crosstest/modes/index.ts';
import { outcomeOf, type CaseResult } from '../crosstest/results.ts';
import { reportFiles } from '../crosstest/report.ts';
import { knownFailure, SANITIZE_KNOWN_FAILURES, type SanitizeKnownFailure } from './known-failures.ts';
import { collectTsanReports, freshLogDir, mentionsTsan, parseTsanText, TSAN_EXIT_CODE, tsanOptions, type LoggedTsanReport, type TsanReport } from './tsan-log.ts';

/**
 * The two passes of `npm run sanitize` on the TSan build (tsan-build.ts), each with TSAN_OPTIONS sending reports to
 * its own log directory (tsan-log.ts):
 * - `testsuite`: the ocamltest tests the series adds (the test files of the tree absent from the pristine baseline,
 *   as `ocaml-testsuite --series` selects them), run on the TSan tree as harness/ocaml-testsuite/runner.ts runs them;
 * - `crosstest`: `npm run crosstest -- --no-build --prefix <TSan prefix> --corpus own --modes <SANITIZE_MODES>`, with
 *   its reports and work directory in a directory of its own (--report-dir), so reports/crosstest.json stays the
 *   normal run's.
 * A pass's results are its tests (or test × mode runs) in the vocabulary of harness/outcomes.ts, and one more: the
 * check that its log directory holds no TSan report, which fails on any, whatever the tests said.
 */
export const PASSES = ['testsuite', 'crosstest'] as const;
export type PassName = (typeof PASSES)[number];

/** The crosstest modes that run crossloaded code: native+cmo, byte+cmxs and both toplevels, each also under GC stress. */
export const SANITIZE_BASE_MODES = ['native+cmo', 'byte+cmxs', 'toplevel', 'toplevel+cmxs', 'toplevel.opt', 'toplevel.opt+cmxs'] as const;

export function sanitizeModes(gcStress: boolean): string[] {
  const names = SANITIZE_BASE_MODES.flatMap((m) => (gcStress ? [m, `${m}/gc-stress`] : [m]));
  const known = new Set(ALL_MODES.map((m) => m.name));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) throw new Error(`sanitize names crosstest modes that do not exist: ${unknown.join(', ')}`);
  return names;
}

/** One result of a pass: a test (testsuite) or a test in a mode (crosstest), or the pass's TSan check. */
export interface PassItem {
  name: string;
  outcome: Outcome;
  /** Why it failed, was skipped or is known. */
  reason?: string;
}

/** A TSan report found in a program's output (its TSAN_OPTIONS overridden, so not in the log directory), with where. */
export interface OutputTsanReport extends TsanReport {
  where: string;
  /** Found in the output of a known failure (known-failures.ts): listed, not counted by the TSan check. */
  known?: boolean;
}

export interface PassResult {
  name: PassName;
  /** What ran, in words (the command of the crosstest pass). */
  command: string;
  durationMs: number;
  tally: Tally;
  items: PassItem[];
  /** Reports in the pass's log directory (TSAN_OPTIONS log_path). */
  tsanReports: LoggedTsanReport[];
  /** Reports in the output of programs the pass ran (failed tests' logs, crosstest's observed output and diffs). */
  outputReports: OutputTsanReport[];
  logDir: string;
  log: string;
  problems: string[];
  /** What the reader should know: a known failure that passed (its entry is stale). */
  notes: string[];
}

export const TSAN_CHECK = 'no ThreadSanitizer report';

/**
 * The pass's TSan check, after its tests: failed when its log directory or its programs' output holds a report
 * (but for what known failures printed, see known-failures.ts).
 */
function tsanCheck(pass: PassName, logged: readonly unknown[], output: readonly OutputTsanReport[]): PassItem {
  const counted = output.filter((r) => !r.known);
  const n = logged.length + counted.length;
  return n === 0
    ? { name: `${pass}: ${TSAN_CHECK}`, outcome: 'passed' }
    : { name: `${pass}: ${TSAN_CHECK}`, outcome: 'failed', reason: `${n} report(s): ${logged.length} in the log directory, ${counted.length} in program output` };
}

/**
 * The end of a pass: its TSan check (after its tests), a failed item per problem of the run itself, and the result.
 */
function finishPass(
  name: PassName,
  command: string,
  started: number,
  items: PassItem[],
  outputReports: OutputTsanReport[],
  problems: string[],
  problemLabel: string,
  notes: string[],
  o: { tsanDir: string; logFile: string },
): PassResult {
  const tsanReports = collectTsanReports(o.tsanDir);
  items.push(tsanCheck(name, tsanReports, outputReports));
  for (const p of problems) items.push({ name: `${name}: ${problemLabel}`, outcome: 'failed', reason: p });
  return {
    name,
    command,
    durationMs: Math.round(performance.now() - started),
    tally: tallyOf(items.map((i) => i.outcome)),
    items,
    tsanReports,
    outputReports,
    logDir: o.tsanDir,
    log: o.logFile,
    problems,
    notes,
  };
}

/**
 * A result in the light of the known failures: a listed failure is known, with its reason and what was seen; a
 * listed test that passed stays passed, with a note that its entry is stale.
 */
function applyKnown(pass: PassName, item: PassItem, notes: string[], list: readonly SanitizeKnownFailure[]): PassItem {
  const k = knownFailure(pass, item.name, list);
  if (!k) return item;
  if (item.outcome === 'failed') return { name: item.name, outcome: 'known', reason: `known failure of the TSan build: ${k.reason}${item.reason ? ` (observed: ${item.reason.split('\n')[0]})` : ''}` };
  if (item.outcome === 'passed') notes.push(`${item.name} is listed as a known failure of the TSan build (harness/sanitize/known-failures.ts) but passed: remove its entry`);
  return item;
}

/** Runs `fn` with the variables of `env` set in this process's environment (children inherit it), then restores it. */
async function withEnv<T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

export interface TestsuitePassOptions {
  /** The built TSan tree. */
  srcDir: string;
  baselineFile: string;
  jobs: number;
  /** ocamltest's limit on each action, in seconds. */
  timeoutS: number;
  logFile: string;
  tsanDir: string;
  log: (line: string) => void;
  /** Default: SANITIZE_KNOWN_FAILURES. */
  known?: readonly SanitizeKnownFailure[];
}

export async function runTestsuitePass(o: TestsuitePassOptions): Promise<PassResult> {
  const started = performance.now();
  const base = readBaseline(o.baselineFile);
  ocamltestProgram(o.srcDir);
  const testsuiteDir = join(o.srcDir, 'testsuite');
  const keys = findSeriesTests(testsuiteDir, base.tests);
  if (keys.length === 0) throw new WorkbenchError(`no test of the series in ${testsuiteDir}: every test file there is in the baseline`, 'Is the tree built from the series? Run without --no-build.');
  o.log(`testsuite pass: the ${keys.length} tests the series adds, on ${o.srcDir}, ${o.jobs} directories at a time; log: ${o.logFile}; TSan reports: ${o.tsanDir}`);
  freshLogDir(o.tsanDir);
  const suite = await withEnv({ TSAN_OPTIONS: tsanOptions(o.tsanDir, process.env.TSAN_OPTIONS) }, () =>
    runSuite({
      srcDir: o.srcDir,
      selection: { keys },
      jobs: o.jobs,
      timeoutS: o.timeoutS,
      logFile: o.logFile,
      dirCostMs: base.dirDurationsMs,
      onDir: (_dir, results) => {
        for (const r of results) {
          const word = r.outcome === 'failed' && knownFailure('testsuite', r.key, o.known ?? SANITIZE_KNOWN_FAILURES) ? 'known' : r.outcome;
          o.log(`  ${word.padEnd(7)} ${r.key}${r.detail ? ` (${r.detail})` : ''}`);
        }
      },
    }),
  );
  const known = o.known ?? SANITIZE_KNOWN_FAILURES;
  const byKey = new Map(suite.tests.map((t) => [t.key, t]));
  const items: PassItem[] = [];
  const outputReports: OutputTsanReport[] = [];
  const notes: string[] = [];
  for (const key of keys) {
    const t = byKey.get(key);
    if (!t) {
      items.push({ name: key, outcome: 'failed', reason: 'no result in the log' });
      continue;
    }
    const reason =
      t.outcome === 'failed'
        ? [t.detail, ...t.messages.filter((m) => !m.startsWith('> ')).slice(0, 6)].filter(Boolean).join('\n')
        : t.outcome === 'skipped'
          ? (t.detail ?? 'skipped by ocamltest: a predicate of its header does not hold in this build')
          : t.detail;
    const item = applyKnown('testsuite', { name: key, outcome: t.outcome, ...(reason ? { reason } : {}) }, notes, known);
    items.push(item);
    // A failed test's log (kept by ocamltest) holds its programs' output.
    const logPath = testLogPath(suite.testsuiteDir, t);
    if (t.outcome === 'failed' && existsSync(logPath)) {
      for (const r of parseTsanText(readFileSync(logPath, 'utf8'))) outputReports.push({ ...r, where: `${key} (${logPath})`, ...(item.outcome === 'known' ? { known: true } : {}) });
    }
  }
  // Results of tests not selected (none expected): counted too, never dropped.
  for (const t of suite.tests.filter((x) => !keys.includes(x.key))) items.push({ name: t.key, outcome: t.outcome, reason: 'not selected, but run' });
  return finishPass('testsuite', suite.command, started, items, outputReports, suite.problems, 'problem in the log', notes, o);
}

export interface CrosstestPassOptions {
  root: string;
  /** The installed TSan build. */
  prefix: string;
  modes: readonly string[];
  jobs: number;
  /** crosstest --timeout: one run's limit, in seconds. */
  timeoutS: number;
  /** crosstest --report-dir: its reports and work directory. */
  reportDir: string;
  logFile: string;
  tsanDir: string;
  log: (line: string) => void;
  /** Default: SANITIZE_KNOWN_FAILURES. */
  known?: readonly SanitizeKnownFailure[];
}

/** The command line of the crosstest pass (after `npm run crosstest --`). */
export function crosstestPassArgs(o: Pick<CrosstestPassOptions, 'prefix' | 'modes' | 'jobs' | 'timeoutS' | 'reportDir'>): string[] {
  return ['--no-build', '--prefix', o.prefix, '--corpus', 'own', '--modes', o.modes.join(','), '--jobs', String(o.jobs), '--timeout', String(o.timeoutS), '--report-dir', o.reportDir];
}

export async function runCrosstestPass(o: CrosstestPassOptions): Promise<PassResult> {
  const started = performance.now();
  const args = ['run', 'crosstest', '--', ...crosstestPassArgs(o)];
  const command = `npm ${args.join(' ')}`;
  o.log(`crosstest pass: ${command}; output: ${o.logFile}; TSan reports: ${o.tsanDir}`);
  freshLogDir(o.tsanDir);
  const jsonFile = reportFiles(o.reportDir).json;
  // Never the previous run's results in place of this one's.
  rmSync(jsonFile, { force: true });
  rmSync(o.logFile, { force: true });
  const r = await run('npm', args, { cwd: o.root, env: { TSAN_OPTIONS: tsanOptions(o.tsanDir, process.env.TSAN_OPTIONS) }, logFile: o.logFile });
  const known = o.known ?? SANITIZE_KNOWN_FAILURES;
  const items: PassItem[] = [];
  const outputReports: OutputTsanReport[] = [];
  const problems: string[] = [];
  const notes: string[] = [];
  const results = existsSync(jsonFile) ? (JSON.parse(readFileSync(jsonFile, 'utf8')) as { results: CaseResult[] }).results : undefined;
  if (results === undefined) {
    problems.push(`crosstest exited ${r.exitCode} without writing ${jsonFile}: see ${o.logFile}`);
  } else {
    for (const c of results) {
      const status66 = c.observed?.status === TSAN_EXIT_CODE ? ` (exit status ${TSAN_EXIT_CODE}: ThreadSanitizer reported)` : '';
      const item = applyKnown('crosstest', { name: `${c.test} [${c.mode}]`, outcome: outcomeOf(c.status), ...(c.reason ? { reason: `${c.reason}${status66}` } : {}) }, notes, known);
      items.push(item);
      const texts = [c.observed?.stderr ?? '', c.observed?.stdout ?? '', c.buildOutput ?? '', ...(c.mismatches ?? []).map((m) => m.diff)];
      for (const text of texts.filter(mentionsTsan)) {
        for (const rep of parseTsanText(text)) outputReports.push({ ...rep, where: `${c.test} [${c.mode}]`, ...(item.outcome === 'known' ? { known: true } : {}) });
      }
    }
    // crosstest exits 1 on a failure; any other non-zero status, or 1 without one, is a failure of the pass itself.
    const failed = results.some((c) => outcomeOf(c.status) === 'failed');
    if (r.exitCode !== 0 && !(r.exitCode === 1 && failed)) problems.push(`crosstest exited ${r.exitCode}: see ${o.logFile}`);
  }
  return finishPass('crosstest', command, started, items, outputReports, problems, 'the run itself', notes, o);
}
