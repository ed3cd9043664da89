/**
 * The one vocabulary of outcomes, from crosstest's summary line to npm test's:
 * - passed: ran and did what it should;
 * - failed: ran and did not (a crosstest timeout is a failure);
 * - skipped: not run, with the reason (a mode the compiler cannot run, a test that cannot run in a mode);
 * - known: a failure listed with its reason (crosstest's known-failures.json, ocaml-testsuite's tests that fail as in
 *   the pristine baseline): reported, never counted as passed, not counted as failed.
 */
export const OUTCOMES = ['passed', 'failed', 'skipped', 'known'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** How many results had each outcome. Invariant: the four numbers are disjoint and sum to the number of results. */
export type Tally = Record<Outcome, number>;

export function emptyTally(): Tally {
  return { passed: 0, failed: 0, skipped: 0, known: 0 };
}

export function tallyOf(outcomes: Iterable<Outcome>): Tally {
  const t = emptyTally();
  for (const o of outcomes) t[o]++;
  return t;
}

export function addTallies(tallies: Iterable<Tally>): Tally {
  const sum = emptyTally();
  for (const t of tallies) for (const o of OUTCOMES) sum[o] += t[o];
  return sum;
}

export function tallyTotal(t: Tally): number {
  return OUTCOMES.reduce((n, o) => n + t[o], 0);
}

/** `P passed, F failed, S skipped, K known` */
export function tallyText(t: Tally): string {
  return `${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped, ${t.known} known`;
}

/** `<label>: P passed, F failed, S skipped, K known`: the line of one check (crosstest's summary line, npm test's steps). */
export function tallyLine(label: string, t: Tally): string {
  return `${label}: ${tallyText(t)}`;
}

/**
 * The two lines that end npm test's output. CI parses the last one as `N passed, N failed, N skipped`, a format
 * with no word for known results: they are counted with the skipped there, and the line before it says how many.
 */
export function closingLines(label: string, t: Tally): [string, string] {
  return [
    `${label}: ${t.known} known (listed failures, not counted as passed; counted with the skipped on the next line)`,
    `${label}: ${t.passed} passed, ${t.failed} failed, ${t.skipped + t.known} skipped`,
  ];
}

/**
 * The tally of a step that runs a command and reports its counts in a file. A missing or unreadable report is one
 * failure (the step crashed before writing it, and an older report is never read in its place); a non-zero exit
 * status that the report's counts do not show as a failure adds one.
 */
export function stepTally(exitOk: boolean, report: Tally | undefined): Tally {
  if (!report) return { ...emptyTally(), failed: 1 };
  return exitOk || report.failed > 0 ? report : { ...report, failed: report.failed + 1 };
}

/** A tally read back from a report (JSON): undefined unless it holds the four counts as whole numbers >= 0. */
export function parseTally(value: unknown): Tally | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const t = emptyTally();
  for (const o of OUTCOMES) {
    const n = v[o];
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) return undefined;
    t[o] = n;
  }
  return t;
}
