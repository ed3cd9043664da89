import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTestHeader, TestHeaderError, type TestTree } from '../crosstest/ocaml-test-header.ts';
import { inSelection, type Change, type Selection } from './compare.ts';
import { countOutcomes, type Counts, type Outcome, type TestResult } from './log-parser.ts';

/**
 * The strict comparison of `ocaml-testsuite --crossload-off`: the series built with crossloading off must behave
 * as pristine 5.3.0 test by test. Unlike the normal comparison (compare.ts), which only minds new failures and
 * missing tests, every change of outcome is a difference, and a test the baseline lacks (one the series adds) must
 * be skipped when it needs crossloading (its header names `crossload` or `crossload-without-tsan`): with crossloading
 * off it has nothing to test.
 * A test of the series that does not need it (the stand-alone fixes') must pass, unless its first action is a
 * predicate of a capability of the build that crossloading does not touch and this build lacks (a ThreadSanitizer
 * test in a build without TSan): it is then skipped, as in any such build, and listed as such.
 */
export type DifferenceKind =
  /** In the baseline, not failed there, failed now. */
  | 'new failure'
  | 'new pass'
  | 'new skip'
  /** In the baseline and the selection, no result in this run. */
  | 'missing'
  /** Not in the baseline (the series adds it), needs crossloading and was not skipped. */
  | 'series test ran'
  /** Not in the baseline, does not need crossloading, and did not pass. */
  | 'series test failed';

export interface Difference extends Change {
  kind: DifferenceKind;
}

export interface StrictComparison {
  /** Every difference, sorted by test key. */
  differences: Difference[];
  /** Tests of the baseline with the same outcome now, by that outcome. */
  same: Record<Outcome, number>;
  /** Failing now as in the baseline (counted in same.failed). */
  stillFailing: string[];
  /** Tests the baseline lacks that need crossloading and were skipped, as they must be. */
  seriesSkipped: string[];
  /** Tests the baseline lacks that do not need crossloading and passed, as they must. */
  seriesPassed: string[];
  /** Tests the baseline lacks that do not need crossloading and skipped at a predicate of the build, with it. */
  seriesSkippedByBuild: Array<{ key: string; predicate: string }>;
  run: Counts;
  /** The baseline restricted to the selection. */
  baseline: Counts;
}

/** Test by test, strictly: `run` (one result per test) against the baseline's outcomes, within the selection. */
export function compareStrictly(
  run: readonly TestResult[],
  baseline: Readonly<Record<string, Outcome>>,
  sel: Selection = {},
  logPathOf: (t: TestResult) => string | undefined = () => undefined,
  /** Whether a test the baseline lacks needs crossloading (by default every one does). */
  needsCrossload: (key: string) => boolean = () => true,
  /** The predicate of a capability of the build that a test begins with, if any (buildPredicateOf). */
  buildPredicate: (key: string) => string | undefined = () => undefined,
): StrictComparison {
  const s: StrictComparison = {
    differences: [],
    same: { passed: 0, failed: 0, skipped: 0 },
    stillFailing: [],
    seriesSkipped: [],
    seriesPassed: [],
    seriesSkippedByBuild: [],
    run: countOutcomes(run.map((t) => t.outcome)),
    baseline: countOutcomes([]),
  };
  const seen = new Set<string>();
  for (const t of run) {
    seen.add(t.key);
    const was = Object.hasOwn(baseline, t.key) ? baseline[t.key]! : 'absent';
    if (t.outcome === was) {
      s.same[t.outcome]++;
      if (t.outcome === 'failed') s.stillFailing.push(t.key);
      continue;
    }
    const needs = was === 'absent' && needsCrossload(t.key);
    if (was === 'absent' && needs && t.outcome === 'skipped') {
      s.seriesSkipped.push(t.key);
      continue;
    }
    if (was === 'absent' && !needs && t.outcome === 'passed') {
      s.seriesPassed.push(t.key);
      continue;
    }
    const predicate = was === 'absent' && !needs && t.outcome === 'skipped' ? buildPredicate(t.key) : undefined;
    if (predicate !== undefined) {
      s.seriesSkippedByBuild.push({ key: t.key, predicate });
      continue;
    }
    const kind: DifferenceKind = was === 'absent' ? (needs ? 'series test ran' : 'series test failed') : t.outcome === 'failed' ? 'new failure' : t.outcome === 'passed' ? 'new pass' : 'new skip';
    const d: Difference = { kind, key: t.key, baseline: was, now: t.outcome };
    if (t.outcome === 'failed') {
      d.messages = t.messages;
      const log = logPathOf(t);
      if (log) d.logPath = log;
    }
    s.differences.push(d);
  }
  const wanted = Object.entries(baseline).filter(([key]) => inSelection(key, sel));
  s.baseline = countOutcomes(wanted.map(([, o]) => o));
  for (const [key, was] of wanted) if (!seen.has(key)) s.differences.push({ kind: 'missing', key, baseline: was, now: 'absent' });
  s.differences.sort((a, b) => a.key.localeCompare(b.key));
  s.stillFailing.sort();
  s.seriesSkipped.sort();
  s.seriesPassed.sort();
  s.seriesSkippedByBuild.sort((a, b) => a.key.localeCompare(b.key));
  return s;
}

/** How many differences of each kind, in a fixed order, leaving out the kinds with none. */
export function differenceCounts(s: StrictComparison): Array<[DifferenceKind, number]> {
  const kinds: DifferenceKind[] = ['new failure', 'missing', 'new pass', 'new skip', 'series test ran', 'series test failed'];
  return kinds.map((k): [DifferenceKind, number] => [k, s.differences.filter((d) => d.kind === k).length]).filter(([, n]) => n > 0);
}

/** The ocamltest predicates that pass only where crossloading is built. */
const CROSSLOAD_PREDICATES: ReadonlySet<string> = new Set(['crossload', 'crossload-without-tsan']);

/**
 * Whether the test `key` (tests/DIR/FILE.ml, under `testsuiteDir`) needs crossloading: an action of its ocamltest
 * header (parsed as ocamltest does, comments nested) is a predicate of crossloading. A file that cannot be read or
 * parsed counts as needing it (it must then be skipped). With crossloading off such a test must be reported
 * skipped, which ocamltest does only when that predicate is its first action: one that passes an earlier action
 * and skips later is reported passed, and is then a difference.
 */
export function testNeedsCrossload(testsuiteDir: string, key: string): boolean {
  const tree = headerOf(testsuiteDir, key);
  if (tree === undefined) return true;
  const uses = (t: TestTree): boolean =>
    t.statements.some((st) => st.kind === 'action' && CROSSLOAD_PREDICATES.has(st.name)) || t.branches.some(uses);
  return uses(tree);
}

/** The ocamltest header of the test `key`, or undefined where it cannot be read or parsed. */
function headerOf(testsuiteDir: string, key: string): TestTree | undefined {
  const file = join(testsuiteDir, key);
  if (!existsSync(file)) return undefined;
  try {
    return parseTestHeader(readFileSync(file, 'utf8'));
  } catch (e) {
    if (e instanceof TestHeaderError) return undefined;
    throw e;
  }
}

/** ocamltest predicates of a capability of the build that crossloading does not change. */
const BUILD_PREDICATES: ReadonlySet<string> = new Set(['tsan', 'frame-pointers']);

/**
 * The predicate of BUILD_PREDICATES that is the first action of the test `key`, if it is one: a test that skips
 * there skips in every build without that capability, crossloading or not (ocamltest reports a test as skipped only
 * when its first action skips).
 */
export function buildPredicateOf(testsuiteDir: string, key: string): string | undefined {
  const tree = headerOf(testsuiteDir, key);
  const first = tree?.statements.find((st) => st.kind === 'action');
  return first?.kind === 'action' && BUILD_PREDICATES.has(first.name) ? first.name : undefined;
}
