import type { Mismatch } from './compare.ts';

/** 'known' = a failure listed, with its reason, in testsuite/known-failures.json. */
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

/** The line CI reads, last of the output. Timeouts count as failures (and are listed apart before it). */
export function summaryLine(results: readonly CaseResult[]): string {
  const c = countByStatus(results);
  return `crosstest: ${c.passed} passed, ${c.failed + c.timeout} failed, ${c.skipped} skipped`;
}
