import { describe, expect, it } from 'vitest';
import { entrySubjects, renumbering, renumberReferences, renumberUpstreaming } from '../harness/renumber-docs.ts';
import { explainedRewrites } from '../harness/rewrite-pairs.ts';

// 1 stays; 2 and 3 swap; 4 is folded into 2 (the old 3, now second).
const map = new Map([
  [1, 1],
  [2, 3],
  [3, 2],
  [4, 2],
]);

describe('renumbering', () => {
  const entries = new Map([
    [1, 'Fix A'],
    [2, 'Add B'],
    [3, 'Add C'],
    [4, 'Speed up C'],
  ]);

  it('follows each subject to its place in the series, and a folded patch to the one it went into', () => {
    expect([...renumbering(entries, ['Fix A', 'Add C', 'Add B'], new Map([[4, 2]]))]).toEqual([...map]);
  });

  it('refuses an entry whose patch left the series without a --fold, and a patch without an entry', () => {
    expect(() => renumbering(entries, ['Fix A', 'Add C', 'Add B'], new Map())).toThrow(/4\. Speed up C/);
    expect(() => renumbering(entries, ['Fix A', 'Add C', 'Add B', 'Add D'], new Map([[4, 2]]))).toThrow(/no entry .*Add D/);
    expect(() => renumbering(entries, ['Fix A', 'Add C', 'Add B'], new Map([[4, 9]]))).toThrow(/--fold 4:9/);
    expect(() => renumbering(entries, ['Fix A', 'Add C', 'Add B'], new Map([[4, 2], [3, 1]]))).toThrow(/Add C is still in the series/);
  });

  it('reads the entries of the list of patches', () => {
    expect(entrySubjects('intro\n\n1. **Fix A** (`a.c`). Text\n   more.\n\n10. **Add B**\n')).toEqual(
      new Map([
        [1, 'Fix A'],
        [10, 'Add B'],
      ]),
    );
  });
});

describe('renumberReferences', () => {
  it('renumbers patch references in every form, each once', () => {
    expect(renumberReferences('patch 2, patches 2 and 3, patches 1 to 3, patch 3\'s test, patches 2–4', map)).toBe(
      'patch 3, patches 3 and 2, patches 1 to 2, patch 2\'s test, patches 3–2',
    );
    expect(renumberReferences('(patch 0003) and 0002, 0.0002 s', map)).toBe('(patch 0002) and 0003, 0.0002 s');
  });

  it('leaves counts, measures, versions and dates alone', () => {
    const text = 'OCaml 5.3.0, 2026-12-03, 3 lines, 2 ns, 4 patches, the 3 tests, run_native1, 2 arguments, 2^3 stubs';
    expect(renumberReferences(text, map)).toBe(text);
  });

  it('renumbers the bare numbers of a *Rewrites* sentence, as the lint reads them, and no others', () => {
    const text = 'Text of 2 and 3. *Rewrites*: the table of 2, the test of 3 (3 lines) and 2\'s text. *Risk*: 2 low.';
    const out = renumberReferences(text, map);
    expect(out).toBe('Text of 2 and 3. *Rewrites*: the table of 3, the test of 2 (3 lines) and 3\'s text. *Risk*: 2 low.');
  });
});

describe('renumberUpstreaming', () => {
  const doc = [
    '# PR',
    '',
    'Patches 2 and 3 add features.',
    '',
    '1. **Fix A** (`a.c`). A fix.',
    '   *Rewrites*: none.',
    '',
    '2. **Add B** (`b.c`). Uses patch 1.',
    '   *Rewrites*: 1\'s line.',
    '',
    '3. **Add C** (`c.c`).',
    '   *Rewrites*: none.',
    '',
    '4. **Speed up C**. Faster.',
    '   *Rewrites*: the loop of 3.',
    '',
    '**After the list.** Patch 4 is apart.',
    '',
  ].join('\n');
  const out = renumberUpstreaming(doc, map, new Set([4]));

  it('puts the entries in the new order, numbered so, with the folded entry under the one it went into', () => {
    expect(out).toBe(
      [
        '# PR',
        '',
        'Patches 3 and 2 add features.',
        '',
        '1. **Fix A** (`a.c`). A fix.',
        '   *Rewrites*: none.',
        '',
        '2. **Add C** (`c.c`).',
        '   *Rewrites*: none.',
        '   Folded in (merge by hand): Speed up C.',
        '   *Rewrites*: the loop of 2.',
        '',
        '3. **Add B** (`b.c`). Uses patch 1.',
        '   *Rewrites*: 1\'s line.',
        '',
        '**After the list.** Patch 2 is apart.',
        '',
      ].join('\n'),
    );
  });

  it('keeps the folded entry\'s *Rewrites* sentence where the lint finds it', () => {
    expect([...explainedRewrites(out, 2)]).toEqual([2]);
    expect([...explainedRewrites(out, 3)]).toEqual([1]);
  });

  it('indents an entry under a number of another width', () => {
    const wide = renumberUpstreaming('9. **X** text\n   more\n     deeper\n\n10. **Y** text\n    more\n', new Map([[9, 10], [10, 9]]), new Set());
    expect(wide).toBe('9. **Y** text\n   more\n\n10. **X** text\n    more\n      deeper\n');
  });
});
