import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkbenchError } from '../errors.ts';
import type { Change, Comparison } from './compare.ts';
import type { TestResult } from './log-parser.ts';

/**
 * Tests of OCaml's own suite that upstream knows to fail now and then on an
 * unchanged tree (ocaml-testsuite/flaky.json, each with the upstream report).
 * A new failure of one of them is not trusted either way: the test is run
 * again, alone, and counts as a pass only if a rerun passes. A test that is
 * not on the list is never rerun, so an intermittent bug of the series still
 * fails the run.
 */
export interface FlakyTest {
  key: string;
  /** Where upstream tracks it. */
  upstream: string;
  reason: string;
}

export interface FlakyList {
  $comment: string;
  /** How many times a failing flaky test is run again before its failure counts. */
  reruns: number;
  tests: FlakyTest[];
}

export function flakyListPath(root: string): string {
  return join(root, 'ocaml-testsuite', 'flaky.json');
}

export function readFlakyList(file: string): FlakyList {
  if (!existsSync(file)) return { $comment: '', reruns: 0, tests: [] };
  const list = JSON.parse(readFileSync(file, 'utf8')) as FlakyList;
  for (const t of list.tests) {
    if (!t.key || !t.upstream || !t.reason) throw new WorkbenchError(`${file}: each flaky test needs key, upstream and reason (got ${JSON.stringify(t)})`);
  }
  return list;
}

/** A known-flaky test that failed in the run and passed when run again. */
export interface PassedOnRerun extends Change {
  flaky: FlakyTest;
  /** Which rerun passed (1 = the first). */
  attempt: number;
}

/**
 * Reruns each new failure that is on the flaky list, up to `list.reruns`
 * times; those that pass leave `newFailures` for the returned list. The
 * first failure's messages are kept so the report still shows it.
 */
export async function retryKnownFlaky(
  c: Comparison,
  list: FlakyList,
  rerun: (key: string) => Promise<TestResult | undefined>,
  log: (line: string) => void = () => {},
): Promise<PassedOnRerun[]> {
  const passed: PassedOnRerun[] = [];
  const byKey = new Map(list.tests.map((t) => [t.key, t]));
  for (const change of [...c.newFailures]) {
    const flaky = byKey.get(change.key);
    if (!flaky) continue;
    for (let attempt = 1; attempt <= list.reruns; attempt++) {
      log(`rerun ${attempt}/${list.reruns} of ${change.key} (known flaky upstream: ${flaky.upstream})`);
      const outcome = (await rerun(change.key))?.outcome;
      log(`  => ${outcome ?? 'no result'}`);
      if (outcome === 'passed') {
        passed.push({ ...change, flaky, attempt });
        c.newFailures.splice(c.newFailures.indexOf(change), 1);
        break;
      }
    }
  }
  return passed;
}

/** The run's results with each known-flaky test that passed on rerun counted as passed (what the rerun gave). */
export function withRerunOutcomes(tests: readonly TestResult[], passedOnRerun: readonly PassedOnRerun[]): TestResult[] {
  const rerun = new Map(passedOnRerun.map((p) => [p.key, p]));
  return tests.map((t) => {
    const p = rerun.get(t.key);
    return p ? { ...t, outcome: 'passed', detail: `failed, then passed on rerun ${p.attempt} (known flaky upstream: ${p.flaky.upstream})`, messages: [] } : t;
  });
}
