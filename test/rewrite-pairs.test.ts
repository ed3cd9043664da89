import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gitIn } from '../harness/git.ts';
import { blamedLines, classifyRewrites, explainedRewrites, findRewritePairs, patchNumbers, removedRanges } from '../harness/rewrite-pairs.ts';
import { gitSync } from './helpers/git-sync.ts';

const SHA1 = 'a'.repeat(40);
const SHA2 = 'b'.repeat(40);

describe('rewrite pairs: parsing', () => {
  it('reads the old-file ranges a -U0 diff removes, not the lines it only adds', () => {
    const diff = [
      'diff --git a/x.c b/x.c',
      '--- a/x.c',
      '+++ b/x.c',
      '@@ -3 +3 @@ f',
      '@@ -10,2 +10,0 @@',
      '@@ -20,0 +19,4 @@',
      'diff --git a/new.c b/new.c',
      '--- /dev/null',
      '+++ b/new.c',
      '@@ -0,0 +1,2 @@',
    ].join('\n');
    expect([...removedRanges(diff)]).toEqual([['x.c', [[3, 1], [10, 2]]]]);
  });

  it('counts blamed lines per commit from porcelain headers', () => {
    const porcelain = [`${SHA1} 1 3 2`, 'author A', '\tline', `${SHA1} 2 4`, '\tline', `${SHA2} 7 10 1`, '\tline'].join('\n');
    expect([...blamedLines(porcelain)]).toEqual([[SHA1, 2], [SHA2, 1]]);
  });

  it("takes the earlier patches an entry names in its *Rewrites* sentences only", () => {
    const doc = [
      '### The patches',
      '',
      '3. **Add a thing** (`x.c`). Uses patch 1. *Rewrites*: the header of 2. *Risk*: low (5 users).',
      '',
      '4. **Another** *Rewrites*: lines of 1 and 3, kept apart because. *Tested*: 9 tests.',
      '',
      '**Not yet reviewable**: 3 ← 1.',
    ].join('\n');
    expect([...explainedRewrites(doc, 3)]).toEqual([2]);
    expect([...explainedRewrites(doc, 4)]).toEqual([1, 3]);
    expect([...explainedRewrites(doc, 5)]).toEqual([]);
    const report = classifyRewrites(doc, [
      { earlier: 2, later: 3, lines: 1, files: ['x.c'] },
      { earlier: 1, later: 3, lines: 4, files: ['y.c'] },
    ]);
    expect(report.explained.map((p) => p.earlier)).toEqual([2]);
    expect(report.unexplained.map((p) => p.earlier)).toEqual([1]);
  });
});

describe('rewrite pairs: which numbers of a *Rewrites* sentence name patches', () => {
  it('takes patch numbers, parenthesised ones and the ends of a range', () => {
    expect(patchNumbers("patch 4's stub table, the growth of patches 5 and 18 (20), and 8, 16; patches 4–21")).toEqual([4, 5, 18, 20, 8, 16, 4, 21]);
  });

  it('leaves out versions, dates, decimals, counts, measures and digits of names', () => {
    expect(patchNumbers('as in 5.3.0, since 2026-12-03, 0.5x, 3 lines, 12 ns, 40%, 4 arguments, `run_native1`, 365 days')).toEqual([]);
    // Powers, both the base and the exponent: "2^27 to 2^21 stubs" (renumbered as patch 27 once, 2026-12-05).
    expect(patchNumbers('the arena, 2^27 to 2^21 stubs, of patch 6')).toEqual([6]);
  });

  it('so a date in a *Rewrites* sentence explains no pair', () => {
    const doc = ['3. **Three**', '   *Rewrites*: what patch 1 wrote before 2026-12-02. *Risk*: low.'].join('\n');
    expect([...explainedRewrites(doc, 3)]).toEqual([1]);
  });
});

describe('rewrite pairs: git blame on a series', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rewrite-pairs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds the later patch that rewrites lines of an earlier one, not of the base', async () => {
    const commit = (file: string, text: string, msg: string) => {
      writeFileSync(join(dir, file), text);
      gitSync(dir, 'add', file);
      gitSync(dir, '-c', 'user.name=T', '-c', 'user.email=t@t', 'commit', '-q', '-m', msg);
    };
    gitSync(dir, 'init', '-q');
    commit('a.c', 'base 1\nbase 2\nbase 3\n', 'base');
    gitSync(dir, 'tag', 'base');
    commit('a.c', 'base 1\nbase 2\nbase 3\none 1\none 2\n', 'patch 1');
    commit('b.c', 'two\n', 'patch 2');
    commit('a.c', 'base 1\nBASE 2\nbase 3\none 1\nONE 2\n', 'patch 3');
    const pairs = await findRewritePairs(gitIn(dir), 'base');
    expect(pairs).toEqual([{ earlier: 1, later: 3, lines: 1, files: ['a.c'] }]);
  });
});
