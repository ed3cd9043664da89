import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { newFailureCount, type Change, type Comparison, type Selection } from './compare.ts';
import type { PassedOnRerun } from './flaky.ts';
import type { RuntimeVariant } from './runtime-variant.ts';
import { tallyLine } from '../outcomes.ts';

/**
 * Where a run of the patched tree writes its report: reports/ocaml-testsuite.json, and for another runtime its own
 * file (reports/ocaml-testsuite-d.json), so a debug-runtime run never replaces the normal run's report.
 */
export function suiteReportPath(reportsDir: string, runtime?: RuntimeVariant): string {
  return join(reportsDir, `ocaml-testsuite${runtime ? `-${runtime}` : ''}.json`);
}

/** The run's log: logs/ocaml-testsuite/<tree>.log (patched, pristine), patched-d.log for the debug runtime. */
export function suiteLogPath(logsDir: string, tree: string, runtime?: RuntimeVariant): string {
  return join(logsDir, 'ocaml-testsuite', `${tree}${runtime ? `-${runtime}` : ''}.log`);
}

export interface SuiteReport {
  /** The run's name, as its summary line starts: `ocaml-testsuite`, `ocaml-testsuite (debug runtime, series tests)`. */
  label: string;
  /** The runtime variant of the test programs (USE_RUNTIME), or `normal`. */
  runtime: RuntimeVariant | 'normal';
  date: string;
  tree: string;
  /** What was run and compared; `keys` lists the tests of --series. */
  selection: Selection;
  log: string;
  durationMs: number;
  baseline: { file: string; date: string; machineDifferences: string[] };
  problems: string[];
  counts: Comparison['run'];
  baselineCounts: Comparison['baseline'];
  newFailures: number;
  comparison: Omit<Comparison, 'run' | 'baseline'>;
  /** Known-flaky tests that failed in the run and passed when run again (ocaml-testsuite/flaky.json). */
  passedOnRerun: PassedOnRerun[];
}

export function writeSuiteReport(file: string, report: SuiteReport): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}

const MESSAGE_LINES = 8;

function describe(ch: Change): string[] {
  const lines = [`  ${ch.key} (baseline: ${ch.baseline}, now: ${ch.now})`];
  for (const m of (ch.messages ?? []).slice(0, MESSAGE_LINES)) lines.push(`      ${m}`);
  if ((ch.messages?.length ?? 0) > MESSAGE_LINES) lines.push(`      … (${ch.messages!.length - MESSAGE_LINES} more lines)`);
  if (ch.logPath) lines.push(`      log: ${ch.logPath}`);
  return lines;
}

/** The lists a reader acts on, then the totals against the baseline. */
export function formatComparison(c: Comparison, passedOnRerun: readonly PassedOnRerun[] = []): string[] {
  const out: string[] = [];
  const section = (title: string, list: Change[]) => {
    if (list.length === 0) return;
    out.push('', `${title} (${list.length}):`);
    for (const ch of list) out.push(...describe(ch));
  };
  section('NEW FAILURES', c.newFailures);
  section('MISSING (in the baseline or among the selected tests, no result in this run; counted as new failures)', c.missing);
  if (passedOnRerun.length > 0) {
    out.push('', `known flaky upstream: failed, then passed when run again (${passedOnRerun.length}):`);
    for (const p of passedOnRerun) {
      out.push(...describe(p));
      out.push(`      passed on rerun ${p.attempt}; upstream: ${p.flaky.upstream}`);
    }
  }
  section('new passes', c.newPasses);
  section('new skips', c.newSkips);
  if (c.stillFailing.length > 0) out.push('', `failing as in the baseline (${c.stillFailing.length}): ${c.stillFailing.map((x) => x.key).join(', ')}`);
  const t = (x: Comparison['run']) => `${x.passed} passed, ${x.failed} failed, ${x.skipped} skipped of ${x.total}`;
  out.push(
    '',
    `this run: ${t(c.run)}`,
    `baseline: ${t(c.baseline)}`,
    `new failures: ${newFailureCount(c)}, new passes: ${c.newPasses.length}, new skips: ${c.newSkips.length}, failing as in the baseline: ${c.stillFailing.length}` +
      (passedOnRerun.length > 0 ? `, known flaky passed on rerun: ${passedOnRerun.length}` : ''),
  );
  return out;
}

/**
 * The summary line, in the vocabulary of harness/outcomes.ts: failures the baseline shares are not this tree's
 * fault, so they are *known*; missing tests count as failed; a known-flaky test that passed on rerun counts as
 * passed (and is listed).
 */
export function summaryLine(c: Comparison, passedOnRerun: readonly PassedOnRerun[] = [], label = 'ocaml-testsuite'): string {
  const flaky = passedOnRerun.length > 0 ? ` (passed includes ${passedOnRerun.length} known flaky that passed on rerun)` : '';
  const tally = { passed: c.run.passed + passedOnRerun.length, failed: newFailureCount(c), skipped: c.run.skipped, known: c.stillFailing.length };
  return `${tallyLine(label, tally)}${flaky}`;
}
