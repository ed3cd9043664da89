import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintMessagesAndContents, onlyTsanTests, type PatchInfo } from '../harness/patch-lint.ts';

const WHY = 'This explains at some length why the change is needed and what it does.';
const patch = (p: Partial<PatchInfo>): PatchInfo => ({ subject: 'Fix a thing', body: WHY, files: ['Changes', 'runtime/x.c', 'testsuite/tests/x/a.ml'], ...p });
const rules = (ps: PatchInfo[]) => lintMessagesAndContents(ps).map((f) => f.rule);

describe('patches:lint rules', () => {
  it('accepts a well-formed patch', () => {
    expect(rules([patch({})])).toEqual([]);
  });

  it('flags a long subject, a trailing period, a missing body, a wide body', () => {
    expect(rules([patch({ subject: `${'x'.repeat(80)}` })])).toContain('subject-length');
    expect(rules([patch({ subject: 'Fix a thing.' })])).toContain('subject-period');
    expect(rules([patch({ body: '' })])).toContain('body');
    expect(rules([patch({ body: `${WHY}\n${'y'.repeat(90)}` })])).toContain('body-width');
  });

  it("flags git's note of a resolved conflict left in a message, and only that", () => {
    expect(rules([patch({ body: `${WHY}\n\n# Conflicts:\n#\truntime/crossload.c` })])).toEqual(['conflict-note']);
    expect(rules([patch({ body: `${WHY}\n# Conflicts: of the stub arena are resolved` })])).toEqual([]);
  });

  it('wants a Changes entry with code, and tests in the patch or a later one', () => {
    expect(rules([patch({ files: ['runtime/x.c', 'testsuite/tests/x/a.ml'] })])).toEqual(['changes-entry']);
    expect(rules([patch({ files: ['Changes', 'runtime/x.c'] })])).toEqual(['tests']);
    expect(rules([patch({ files: ['Changes', 'runtime/x.c'] }), patch({ subject: 'Test it', files: ['testsuite/tests/x/a.ml'] })])).toEqual([]);
  });

  it('accepts a patch whose Changes entry is in a later, named patch, and not one naming nothing real', () => {
    const enabler = patch({ subject: 'Add a helper', files: ['runtime/x.c'], body: `${WHY}\n\nChanges entry: with "Add the feature".` });
    const feature = patch({ subject: 'Add the feature' });
    expect(rules([enabler, feature])).toEqual([]);
    expect(rules([enabler, patch({ subject: 'Something else' })])).toEqual(['changes-entry']);
  });

  it('wants Dynlink changes documented in dynlink.mli and the manual', () => {
    const r = rules([patch({ files: ['Changes', 'otherlibs/dynlink/dynlink_common.ml', 'testsuite/tests/x/a.ml'] })]);
    expect(r).toEqual(['docs-dynlink', 'docs-manual']);
  });

  it('accepts a change inside Dynlink that says, on a line of its own, that users see no difference', () => {
    const files = ['Changes', 'otherlibs/dynlink/native/dynlink_guest.ml', 'testsuite/tests/x/a.ml'];
    const said = `${WHY}\n\nDynlink's interface and documented behaviour are unchanged.`;
    expect(rules([patch({ files, body: said })])).toEqual([]);
    // Within a sentence, or about something else, it does not count
    expect(rules([patch({ files, body: `${WHY}\nAs Dynlink's interface and documented behaviour are unchanged.` })])).toEqual(['docs-dynlink', 'docs-manual']);
    expect(rules([patch({ files, body: `${WHY}\n\nDynlink's interface is unchanged.` })])).toEqual(['docs-dynlink', 'docs-manual']);
  });
});

describe('patches:lint --each: tests of TSan builds alone', () => {
  /** A source tree holding `files` (path → text). */
  function tree(files: Record<string, string>): string {
    const root = mkdtempSync(join(tmpdir(), 'wb-tsan-tests-'));
    for (const [f, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, f)), { recursive: true });
      writeFileSync(join(root, f), text);
    }
    return root;
  }
  const tsanTest = '(* TEST\n ocamlopt_flags = "-g";\n tsan;\n native;\n*)\nlet () = ()\n';
  const plainTest = '(* TEST\n native;\n*)\nlet () = ()\n';
  const noTsanTest = '(* TEST\n no-tsan;\n native;\n*)\nlet () = ()\n';

  it('holds when every test the patch adds or changes says tsan; in its header, helper modules aside', () => {
    const src = tree({ 'testsuite/tests/tsan/a.ml': tsanTest, 'testsuite/tests/tsan/a.reference': 'x\n', 'testsuite/tests/tsan/helper.ml': 'let x = 1\n' });
    expect(onlyTsanTests(src, ['asmcomp/x.ml', 'testsuite/tests/tsan/a.ml', 'testsuite/tests/tsan/a.reference', 'testsuite/tests/tsan/helper.ml'])).toBe(true);
  });

  it('reads the header as ocamltest does: a tsan; in a comment is not the predicate', () => {
    const src = tree({ 'testsuite/tests/b/b.ml': '(* TEST\n (* tsan; *)\n native;\n*)\n' });
    expect(onlyTsanTests(src, ['testsuite/tests/b/b.ml'])).toBe(false);
  });

  it('does not hold for a test that runs elsewhere too, for no-tsan, nor when the patch has no test', () => {
    const src = tree({ 'testsuite/tests/tsan/a.ml': tsanTest, 'testsuite/tests/b/b.ml': plainTest, 'testsuite/tests/c/c.ml': noTsanTest });
    expect(onlyTsanTests(src, ['testsuite/tests/tsan/a.ml', 'testsuite/tests/b/b.ml'])).toBe(false);
    expect(onlyTsanTests(src, ['testsuite/tests/c/c.ml'])).toBe(false);
    expect(onlyTsanTests(src, ['asmcomp/x.ml'])).toBe(false);
  });
});
