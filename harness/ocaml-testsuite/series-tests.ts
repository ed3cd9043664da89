import { testDirOf } from './compare.ts';
import { ocamltestTestKeys } from './selection-check.ts';

/**
 * The tests the series adds to OCaml's testsuite (`ocaml-testsuite --series`): the test files of the patched tree
 * that the pristine baseline lacks. The baseline (ocaml-testsuite/baseline.json) holds every test of pristine 5.3.0,
 * so a test file it does not name is one a patch adds. Keys are relative to testsuite/: `tests/DIR/FILE.ml`.
 */

/** The keys of `treeTestKeys` (the tree's test files) absent from the baseline's `tests`, sorted, each once. */
export function seriesTestKeys(treeTestKeys: Iterable<string>, baselineTests: Readonly<Record<string, unknown>>): string[] {
  return [...new Set(treeTestKeys)].filter((key) => !Object.hasOwn(baselineTests, key)).sort();
}

/** The test directories that hold those tests (`tests/DIR`), sorted, each once. */
export function seriesTestDirs(keys: Iterable<string>): string[] {
  return [...new Set([...keys].map(testDirOf))].sort();
}

/** The series' tests in the testsuite directory of a tree (its test files as ocamltest finds them). */
export function findSeriesTests(testsuiteDir: string, baselineTests: Readonly<Record<string, unknown>>): string[] {
  return seriesTestKeys(ocamltestTestKeys(testsuiteDir), baselineTests);
}
