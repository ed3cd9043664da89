import { describe, expect, it } from 'vitest';
import { patchAuthor, patchesWithOtherAuthors, ReauthorError, reauthorPatch, type Author } from '../harness/reauthor.ts';

const WB: Author = { name: 'Crossload Workbench', email: 'workbench@crossload.invalid', copyrightYear: 2025 };
const JANE: Author = { name: 'Jane Q. Contributor', email: 'jane@example.org', copyrightYear: 2027 };

const box = (open: string, close: string, inner: string) => `+${open}${inner}${close}`;
const W = 72; // the inner width of OCaml's header boxes

const patch = [
  'From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001',
  'From: Seed maintainers',
  'Subject: Add a thing',
  '',
  'The body mentions (Crossload Workbench) and stays as it is.',
  '---',
  'diff --git a/Changes b/Changes',
  '@@ -1,3 +1,6 @@',
  '   (Crossload Workbench)',
  '+- #XXXXX: the thing.',
  '+  (Crossload Workbench, review by Someone)',
  'diff --git a/runtime/thing.c b/runtime/thing.c',
  '@@ -0,0 +1,4 @@',
  box('/*', '*/', `${' '.repeat(26)}Crossload Workbench${' '.repeat(W - 26 - 19)}`),
  box('/*', '*/', `   Copyright 2025 Crossload Workbench${' '.repeat(W - 35)}`),
  box('(*', '*)', `   Copyright 2025 Crossload Workbench${' '.repeat(W - 35)}`),
  box('#*', '*', `   Copyright 2025 Crossload Workbench${' '.repeat(W - 35)}`),
  '',
].join('\n');

describe('patches:reauthor', () => {
  const out = reauthorPatch(patch, WB, JANE).split('\n');

  it('replaces a From: folded over two lines', () => {
    const folded = patch.replace('From: Seed maintainers', 'From: Seed maintainers\n <maintainers@users.example>');
    expect(reauthorPatch(folded, WB, JANE)).toBe(reauthorPatch(patch, WB, JANE));
  });

  it('makes every From: line the new author, and leaves the message alone', () => {
    expect(out[1]).toBe('From: Jane Q. Contributor <jane@example.org>');
    expect(out[0]).toBe('From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001');
    expect(out[4]).toBe('The body mentions (Crossload Workbench) and stays as it is.');
    expect(patchAuthor(out.join('\n'))).toEqual({ name: 'Jane Q. Contributor', email: 'jane@example.org' });
  });

  it('rewrites Changes credits in added and context lines', () => {
    expect(out[8]).toBe('   (Jane Q. Contributor)');
    expect(out[10]).toBe('+  (Jane Q. Contributor, review by Someone)');
  });

  it('rewrites header boxes at the same width: the author centred, the copyright with the new year', () => {
    const lines = out.slice(13, 17);
    for (const [i, l] of lines.entries()) expect(l.length, `line ${i}`).toBe(patch.split('\n')[13 + i]!.length);
    expect(lines[0]).toMatch(/^\+\/\* {26}Jane Q\. Contributor {27}\*\/$/);
    expect(lines[1]).toMatch(/^\+\/\* {3}Copyright 2027 Jane Q\. Contributor +\*\/$/);
    expect(lines[2]).toMatch(/^\+\(\* {3}Copyright 2027 Jane Q\. Contributor +\*\)$/);
    expect(lines[3]).toMatch(/^\+#\* {3}Copyright 2027 Jane Q\. Contributor +\*$/);
  });

  it('round-trips, and refuses a name that does not fit a header line', () => {
    expect(reauthorPatch(reauthorPatch(patch, WB, JANE), JANE, { ...WB, copyrightYear: 2025 }).split('\n').slice(5)).toEqual(patch.split('\n').slice(5));
    expect(() => reauthorPatch(patch, WB, { ...JANE, name: 'N'.repeat(70) })).toThrow(ReauthorError);
  });
});

describe('patches:lint, one author', () => {
  it("names the patches whose From: is not workbench.json's author", () => {
    const p = (name: string, from: string) => ({ name, text: `From 0 Mon Sep 17 00:00:00 2001\nFrom: ${from}\nSubject: x\n\nbody\n` });
    expect(
      patchesWithOtherAuthors([p('0001.patch', 'Crossload Workbench <workbench@crossload.invalid>'), p('0002.patch', 'Seed maintainers')], WB),
    ).toEqual(['0002.patch (Seed maintainers)']);
    expect(patchesWithOtherAuthors([p('0003.patch', '"Jane Q. Contributor" <jane@example.org>')], JANE)).toEqual([]);
  });
});
