import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readSeries } from '../series-file.ts';
import { inSelection, type Selection } from './compare.ts';
import { normalizeDir } from './runner.ts';

/**
 * What a filter over OCaml's testsuite (ocaml-testsuite --dir/--only, crosstest --only) can select, known without
 * running ocamltest, so that a filter selecting nothing fails before the run (and, where possible, before the build).
 * Paths are relative to testsuite/, as ocamltest's keys are: `tests/x/y.ml`.
 */

// ocamltest's Tsl_lexer.is_test: blanks and newlines, then "(*" or "/*", blanks, "TEST" (TEST_BELOW included).
const TEST_HEADER = /^(?:[ \t\f]|\r*\n)*(?:\(\*|\/\*)[ \t\f]*TEST/;

// ocamltest's Main.ignored: names it never looks at (its build directories _ocamltest, editor files …).
const ignored = (name: string): boolean => name === '' || name.startsWith('_') || name.startsWith('.');

const isDirectory = (path: string): boolean => existsSync(path) && statSync(path).isDirectory();

/**
 * The test files ocamltest finds under `root` (`tests` or `tests/x`) of a testsuite directory, as runSuite lists
 * them (`-find-test-dirs root`, then `-list-tests DIR` for each): the same walk and the same header test.
 */
export function ocamltestTestKeys(testsuiteDir: string, root = 'tests'): string[] {
  const keys: string[] = [];
  const visit = (dir: string): void => {
    for (const name of readdirSync(join(testsuiteDir, dir)).filter((n) => !ignored(n))) {
      const key = `${dir}/${name}`;
      const path = join(testsuiteDir, key);
      if (isDirectory(path)) visit(key);
      else if (TEST_HEADER.test(readFileSync(path, 'latin1'))) keys.push(key);
    }
  };
  if (isDirectory(join(testsuiteDir, root))) visit(root);
  return keys.sort();
}

/** The tests a --dir/--only selection runs in a built tree: what runSuite will run, before it runs. */
export function selectedOcamltestKeys(testsuiteDir: string, selection: Selection): string[] {
  const root = selection.dir ? normalizeDir(selection.dir) : 'tests';
  return ocamltestTestKeys(testsuiteDir, root).filter((key) => inSelection(key, { ...selection, dir: root }));
}

/**
 * Every file under testsuite/tests of the tree as it is (whatever its name or header), and every testsuite/tests
 * file a patch of the series adds, renames or changes: a superset of the tests the build can leave (it applies the
 * series), known before the build. Meaningful only when the tree exists (it holds the pristine tests).
 */
export function testFilesBeforeBuild(testsuiteDir: string, patchesDir: string): string[] {
  const files = new Set<string>();
  const visit = (dir: string): void => {
    for (const entry of readdirSync(join(testsuiteDir, dir), { withFileTypes: true })) {
      const key = `${dir}/${entry.name}`;
      if (entry.isDirectory()) visit(key);
      else files.add(key);
    }
  };
  if (isDirectory(join(testsuiteDir, 'tests'))) visit('tests');
  for (const patch of readSeries(patchesDir)) {
    for (const m of readFileSync(join(patchesDir, patch), 'utf8').matchAll(/^(?:\+\+\+ b\/|rename to |copy to )testsuite\/(tests\/.+)$/gm)) files.add(m[1]!);
  }
  return [...files].sort();
}
