import { tallyLine, tallyOf, type Outcome, type Tally } from '../outcomes.ts';
import type { Mismatch } from './compare.ts';

/**
 * What happened to one test in one mode. 'timeout' is a failure (outcomeOf), kept apart so reports can list it;
 * 'known' = a failure listed, with its reason, in testsuite/known-failures.json.
 */
export type Status = 'passed' | 'failed' | 'skipped' | 'timeout' | 'known';

/** The outcome of one test in one mode. */
export interface CaseResult {
  test: string;
  mode: string;
  status: Status;
  durationMs: number;
  /** Why it was skipped, or what failed in a few words. */
  reason?: string;
  mismatches?: Mismatch[];
  /** Compiler output when the build failed. */
  buildOutput?: string;
  /** What the run printed, kept for the project's own tests (used by --update). */
  observed?: { stdout: string; stderr: string; status: number };
}

export function countByStatus(results: readonly CaseResult[]): Record<Status, number> {
  const counts: Record<Status, number> = { passed: 0, failed: 0, skipped: 0, timeout: 0, known: 0 };
  for (const r of results) counts[r.status]++;
  return counts;
}

/** Where a status falls in the vocabulary of outcomes (harness/outcomes.ts): a timeout is a failure. */
export function outcomeOf(status: Status): Outcome {
  return status === 'timeout' ? 'failed' : status;
}

/** The summary line's four numbers: disjoint, summing to results.length. */
export function tallyResults(results: readonly CaseResult[]): Tally {
  return tallyOf(results.map((r) => outcomeOf(r.status)));
}

/**
 * The last line of crosstest's output, and of crosstest.md: `crosstest: P passed, F failed, S skipped, K known`
 * (`crosstest (debug runtime): …` with --runtime d: `label`). Timeouts count as failures (and are listed apart before it).
 */
export function summaryLine(results: readonly CaseResult[], label = 'crosstest'): string {
  return tallyLine(label, tallyResults(results));
}
