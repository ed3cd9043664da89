import { countOutcomes, type Counts, type Outcome, type TestResult } from './log-parser.ts';

/**
 * Which part of the suite a run covers: `--dir` (a directory under testsuite/), `--only` (a substring of the test
 * key), and `keys` (these tests exactly, e.g. `--series`: each is expected to give a result, in the baseline or not).
 */
export interface Selection {
  dir?: string;
  only?: string;
  keys?: readonly string[];
}

export function inSelection(key: string, sel: Selection): boolean {
  if (sel.dir && key !== sel.dir && !key.startsWith(`${sel.dir.replace(/\/+$/, '')}/`)) return false;
  if (sel.only && !key.includes(sel.only)) return false;
  if (sel.keys && !sel.keys.includes(key)) return false;
  return true;
}

/** The test directory of a key: `tests/x/y.ml` → `tests/x`. */
export function testDirOf(key: string): string {
  return key.slice(0, Math.max(0, key.lastIndexOf('/')));
}

export type Was = Outcome | 'absent';

export interface Change {
  key: string;
  baseline: Was;
  now: Was;
  /** ocamltest's failure lines and log tail, for failures. */
  messages?: string[];
  /** The failing test's full log (kept by ocamltest for failed tests). */
  logPath?: string;
}

export interface Comparison {
  /** Failing now, not failing in the baseline (or not in it: a test the series adds). */
  newFailures: Change[];
  /** In the baseline and the selection (or named by the selection's keys), but no result in this run: counted as failures. */
  missing: Change[];
  newPasses: Change[];
  newSkips: Change[];
  /** Failing now and in the baseline: not new. */
  stillFailing: Change[];
  run: Counts;
  /** The baseline restricted to the selection. */
  baseline: Counts;
}

/**
 * Test by test: the run against the baseline's outcomes. Only tests in the
 * selection are compared, so a partial run is not charged for what it left out.
 */
export function compareWithBaseline(
  run: readonly TestResult[],
  baseline: Readonly<Record<string, Outcome>>,
  sel: Selection = {},
  logPathOf: (t: TestResult) => string | undefined = () => undefined,
): Comparison {
  const c: Comparison = { newFailures: [], missing: [], newPasses: [], newSkips: [], stillFailing: [], run: countOutcomes(run.map((t) => t.outcome)), baseline: countOutcomes([]) };
  const seen = new Set<string>();
  for (const t of run) {
    seen.add(t.key);
    const was: Was = baseline[t.key] ?? 'absent';
    const change: Change = { key: t.key, baseline: was, now: t.outcome };
    if (t.outcome === 'failed') {
      change.messages = t.messages;
      const log = logPathOf(t);
      if (log) change.logPath = log;
      (was === 'failed' ? c.stillFailing : c.newFailures).push(change);
    } else if (t.outcome !== was) {
      (t.outcome === 'passed' ? c.newPasses : c.newSkips).push(change);
    }
  }
  const wanted = Object.entries(baseline).filter(([key]) => inSelection(key, sel));
  c.baseline = countOutcomes(wanted.map(([, o]) => o));
  for (const [key, was] of wanted) if (!seen.has(key)) c.missing.push({ key, baseline: was, now: 'absent' });
  // A test named by the selection is expected even when the baseline lacks it (a test the series adds).
  for (const key of sel.keys ?? []) if (!seen.has(key) && !Object.hasOwn(baseline, key) && inSelection(key, sel)) c.missing.push({ key, baseline: 'absent', now: 'absent' });
  for (const list of [c.newFailures, c.missing, c.newPasses, c.newSkips, c.stillFailing]) list.sort((a, b) => a.key.localeCompare(b.key));
  return c;
}

/** New failures and missing tests: what makes a run fail. */
export function newFailureCount(c: Comparison): number {
  return c.newFailures.length + c.missing.length;
}
