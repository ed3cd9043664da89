import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Selection } from './compare.ts';
import type { PassedOnRerun } from './flaky.ts';
import type { ProductCheck } from './stock-products.ts';
import { differenceCounts, type Difference, type DifferenceKind, type StrictComparison } from './strict-compare.ts';
import { tallyLine, type Tally } from '../outcomes.ts';

/** What `ocaml-testsuite --crossload-off` reports, as text (the CLI) and as reports/ocaml-testsuite-crossload-off.json. */
export interface CrossloadOffReport {
  date: string;
  tree: string;
  /** The series applied on the pristine tag, and how it was configured. */
  commit: string;
  configureFlags: string[];
  selection: Selection;
  log: string;
  durationMs: number;
  baseline: { file: string; date: string; configureFlags: string[]; machineDifferences: string[] };
  problems: string[];
  productChecks: ProductCheck[];
  /** The summary line's four numbers (see crossloadOffTally). */
  tally: Tally;
  counts: StrictComparison['run'];
  baselineCounts: StrictComparison['baseline'];
  /** Same outcome as pristine test by test, no product check failed, no problem in the log. */
  sameAsPristine: boolean;
  differences: Difference[];
  stillFailing: string[];
  seriesSkipped: string[];
  seriesPassed: string[];
  seriesSkippedByBuild: StrictComparison['seriesSkippedByBuild'];
  passedOnRerun: PassedOnRerun[];
}

export function writeCrossloadOffReport(file: string, report: CrossloadOffReport): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}

/**
 * In the vocabulary of harness/outcomes.ts, each result counted once: a test with the baseline's outcome is passed,
 * skipped or known (failing as in pristine); a test of the series that skipped is skipped; every difference, and
 * every failed product check, is failed.
 */
export function crossloadOffTally(s: StrictComparison, checks: readonly ProductCheck[]): Tally {
  return {
    passed: s.same.passed + s.seriesPassed.length,
    failed: s.differences.length + checks.filter((c) => !c.ok).length,
    skipped: s.same.skipped + s.seriesSkipped.length + s.seriesSkippedByBuild.length,
    known: s.same.failed,
  };
}

const MESSAGE_LINES = 8;

const HEADINGS: Record<DifferenceKind, string> = {
  'new failure': 'NEW FAILURES (passed or skipped in pristine 5.3.0)',
  missing: 'MISSING (in the baseline, no result in this run)',
  'new pass': 'NEW PASSES (failed or skipped in pristine 5.3.0)',
  'new skip': 'NEW SKIPS (passed or failed in pristine 5.3.0)',
  'series test ran': 'TESTS OF THE SERIES NOT SKIPPED (not in the baseline, they say crossload;: with crossloading off they must skip)',
  'series test failed': 'TESTS OF THE SERIES THAT DO NOT NEED CROSSLOADING AND DID NOT PASS',
};

function describe(d: Difference): string[] {
  const lines = [`  ${d.key} (baseline: ${d.baseline}, now: ${d.now})`];
  for (const m of (d.messages ?? []).slice(0, MESSAGE_LINES)) lines.push(`      ${m}`);
  if ((d.messages?.length ?? 0) > MESSAGE_LINES) lines.push(`      … (${d.messages!.length - MESSAGE_LINES} more lines)`);
  if (d.logPath) lines.push(`      log: ${d.logPath}`);
  return lines;
}

/** The product checks, one line each. */
export function formatProductChecks(checks: readonly ProductCheck[]): string[] {
  return checks.map((c) => `${c.ok ? 'ok    ' : 'FAILED'}  ${c.name} — ${c.detail}`);
}

/** Every difference, grouped by kind, then the reruns of known-flaky tests and the totals. */
export function formatStrictComparison(s: StrictComparison, passedOnRerun: readonly PassedOnRerun[] = []): string[] {
  const out: string[] = [];
  for (const [kind] of differenceCounts(s)) {
    const list = s.differences.filter((d) => d.kind === kind);
    out.push('', `${HEADINGS[kind]} (${list.length}):`);
    for (const d of list) out.push(...describe(d));
  }
  if (passedOnRerun.length > 0) {
    out.push('', `known flaky upstream: failed, then passed when run again, counted as passed (${passedOnRerun.length}):`);
    for (const p of passedOnRerun) out.push(`  ${p.key} (baseline: ${p.baseline}): passed on rerun ${p.attempt}; upstream: ${p.flaky.upstream}`);
  }
  if (s.stillFailing.length > 0) out.push('', `failing as in the baseline (${s.stillFailing.length}): ${s.stillFailing.join(', ')}`);
  const t = (x: StrictComparison['run']) => `${x.passed} passed, ${x.failed} failed, ${x.skipped} skipped of ${x.total}`;
  out.push(
    '',
    `this run: ${t(s.run)}`,
    `baseline: ${t(s.baseline)}`,
    `differences from the baseline: ${s.differences.length}${s.differences.length > 0 ? ` (${differenceText(s)})` : ''}; tests of the series skipped: ${s.seriesSkipped.length}${s.seriesPassed.length > 0 ? `; tests of the series that do not need crossloading, passed: ${s.seriesPassed.length} (${s.seriesPassed.join(', ')})` : ''}${s.seriesSkippedByBuild.length > 0 ? `; skipped at a capability this build lacks, as in any such build: ${s.seriesSkippedByBuild.length} (${s.seriesSkippedByBuild.map((x) => `${x.key}: ${x.predicate}`).join(', ')})` : ''}`,
  );
  return out;
}

const WORDS: Record<DifferenceKind, [one: string, many: string]> = {
  'new failure': ['new failure', 'new failures'],
  missing: ['missing', 'missing'],
  'new pass': ['new pass', 'new passes'],
  'new skip': ['new skip', 'new skips'],
  'series test ran': ['test of the series not skipped', 'tests of the series not skipped'],
  'series test failed': ['test of the series failed', 'tests of the series failed'],
};

/** `2 new failures, 1 test of the series not skipped` */
function differenceText(s: StrictComparison): string {
  return differenceCounts(s)
    .map(([k, n]) => `${n} ${WORDS[k][n === 1 ? 0 : 1]}`)
    .join(', ');
}

/**
 * One line: the tally, then the verdict, e.g. `ocaml-testsuite (crossload off): 1421 passed, 0 failed, 75 skipped,
 * 1 known: same as pristine test by test; 35 tests of the series skipped`.
 */
export function crossloadOffSummaryLine(s: StrictComparison, checks: readonly ProductCheck[], problems = 0): string {
  const verdict: string[] = [];
  verdict.push(s.differences.length === 0 ? 'same as pristine test by test' : `${s.differences.length} ${s.differences.length === 1 ? 'difference' : 'differences'} from pristine (${differenceText(s)})`);
  const failed = checks.filter((c) => !c.ok);
  if (failed.length > 0) verdict.push(`${failed.length} of ${checks.length} product checks failed (${failed.map((c) => c.name).join(', ')})`);
  if (problems > 0) verdict.push(`${problems} ${problems === 1 ? 'problem' : 'problems'} in the log`);
  const passed = s.seriesPassed.length > 0 ? `, ${s.seriesPassed.length} passed (not needing crossloading)` : '';
  const byBuild = s.seriesSkippedByBuild.length > 0 ? `, ${s.seriesSkippedByBuild.length} skipped at a capability this build lacks (${s.seriesSkippedByBuild.map((x) => x.predicate).join(', ')})` : '';
  const series = `${s.seriesSkipped.length} ${s.seriesSkipped.length === 1 ? 'test' : 'tests'} of the series skipped${passed}${byBuild}`;
  return `${tallyLine('ocaml-testsuite (crossload off)', crossloadOffTally(s, checks))}: ${[...verdict, series].join('; ')}`;
}
