import type { SimpleGit } from 'simple-git';

/**
 * Pairs of patches of the series where a later patch rewrites (changes or deletes) lines that an earlier patch
 * added, found with `git blame` on the lines each patch removes. A reviewer reads such a later patch as a fixup of
 * the earlier one: it belongs in it, unless docs/upstreaming.md says why it is kept apart (in the later patch's
 * entry, a `*Rewrites*:` sentence naming the earlier patch's number).
 */
export interface RewritePair {
  /** 1-based positions in the series */
  earlier: number;
  later: number;
  /** lines of `earlier` that `later` removes or changes */
  lines: number;
  files: string[];
}

/** The old-file line ranges (start, count) that a `git diff -U0` removes, per file. */
export function removedRanges(diff: string): Map<string, Array<[number, number]>> {
  const out = new Map<string, Array<[number, number]>>();
  let file: string | null = null;
  for (const line of diff.split('\n')) {
    if (line.startsWith('--- ')) {
      file = line === '--- /dev/null' ? null : line.replace(/^--- a\//, '');
      continue;
    }
    const hunk = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@/.exec(line);
    if (hunk && file !== null) {
      const start = Number(hunk[1]);
      const count = hunk[2] === undefined ? 1 : Number(hunk[2]);
      if (count > 0) {
        const ranges = out.get(file) ?? [];
        ranges.push([start, count]);
        out.set(file, ranges);
      }
    }
  }
  return out;
}

/** Lines per commit in `git blame --porcelain` output (one header line per blamed line group). */
export function blamedLines(porcelain: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of porcelain.split('\n')) {
    // "<sha> <orig line> <final line> <lines in group>" opens a group; "<sha> <orig> <final>" continues one.
    const header = /^([0-9a-f]{40}) \d+ \d+(?: \d+)?$/.exec(line);
    if (header) out.set(header[1], (out.get(header[1]) ?? 0) + 1);
  }
  return out;
}

export async function findRewritePairs(git: SimpleGit, baseRef: string): Promise<RewritePair[]> {
  const commits = (await git.raw(['rev-list', '--reverse', `${baseRef}..HEAD`])).split('\n').filter(Boolean);
  const position = new Map(commits.map((c, i) => [c, i + 1]));
  const pairs = new Map<string, RewritePair>();
  for (const [i, commit] of commits.entries()) {
    const diff = await git.raw(['diff', '--no-renames', '--no-ext-diff', '-U0', `${commit}^`, commit]);
    for (const [file, ranges] of removedRanges(diff)) {
      const args = ['blame', '--porcelain', ...ranges.flatMap(([s, n]) => ['-L', `${s},+${n}`]), `${commit}^`, '--', file];
      for (const [sha, lines] of blamedLines(await git.raw(args))) {
        const earlier = position.get(sha);
        if (earlier === undefined) continue; // pristine 5.3.0's own lines
        const key = `${earlier}<${i + 1}`;
        const pair = pairs.get(key) ?? { earlier, later: i + 1, lines: 0, files: [] };
        pair.lines += lines;
        if (!pair.files.includes(file)) pair.files.push(file);
        pairs.set(key, pair);
      }
    }
  }
  return [...pairs.values()].sort((a, b) => a.later - b.later || a.earlier - b.earlier);
}

/** Whether the text after a number makes it a count or a measure ("3 lines", "12 ns", "40%"), not a patch number. */
function measureFollows(after: string): boolean {
  return /^\s*(?:lines?|ns|ms|s\b|%|×|x\b|times|instructions?|words?|bytes?|KB|MB|arguments?|columns?|files?|commits?|tests?|minutes?|phrases?|calls?|frames?|levels?)/.test(after);
}

/** The numbers-like tokens of a text that `readsAsPatchNumber` looks at (a version or a date is one token). */
export const NUMBER_TOKEN = /\d+(?:[.:\-/]\d+)*/g;

/**
 * Whether `token`, between `before` and `after`, reads as a patch number: not a part of a version, a date or a
 * decimal ("5.3.0", "2026-12-03", "0.5"), not a count or a measure ("3 lines", "12 ns", "40%"), not a digit of a
 * name (`run_native1`), not a power ("2^27 stubs"). A range "4–21" names its two ends.
 */
export function readsAsPatchNumber(before: string, token: string, after: string): boolean {
  if (/[.:\-/]/.test(token) || token.length > 2) return false;
  if (/\^$/.test(before) || /^\^/.test(after)) return false;
  if (/[A-Za-z_]$/.test(before) || /^[A-Za-z_]/.test(after)) return false;
  if (/[.:\-/]$/.test(before) && !/\s[-–]$/.test(before)) return false;
  return !measureFollows(after);
}

/** The numbers in `text` that read as patch numbers (`readsAsPatchNumber`). */
export function patchNumbers(text: string): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(NUMBER_TOKEN)) {
    if (readsAsPatchNumber(text.slice(0, m.index), m[0], text.slice(m.index + m[0].length))) out.push(Number(m[0]));
  }
  return out;
}

/** The head line of an entry of docs/upstreaming.md's list of patches, "N. **subject**": its number and subject. */
export const ENTRY_HEAD = /^ {0,3}(\d{1,2})\. \*\*(.+?)\*\*/;
/** A line that ends the list of patches (and so its last entry): a heading, or a paragraph that starts in bold. */
export const LIST_END = /^(#|\*\*)/;

/** The text of the entry numbered `n` of docs/upstreaming.md's list of patches, up to the next entry or the list's end. */
export function entryText(upstreamingText: string, n: number): string | undefined {
  const lines = upstreamingText.split('\n');
  const start = lines.findIndex((l) => Number(ENTRY_HEAD.exec(l)?.[1]) === n);
  if (start < 0) return undefined;
  let end = start + 1;
  while (end < lines.length && !ENTRY_HEAD.test(lines[end]) && !LIST_END.test(lines[end])) end++;
  return lines.slice(start, end).join('\n');
}

/**
 * The earlier patches that docs/upstreaming.md's entry for patch `n` ("n. **subject**") names in its
 * `*Rewrites*:` sentences: the patch numbers in them (`patchNumbers`), up to the next `*Word*:` of the entry.
 */
export function explainedRewrites(upstreamingText: string, n: number): Set<number> {
  const entry = entryText(upstreamingText, n);
  const out = new Set<number>();
  if (entry === undefined) return out;
  for (const m of entry.matchAll(/\*Rewrites\*:([\s\S]*?)(?=\*[A-Z][a-z]+\*:|$)/g)) {
    for (const num of patchNumbers(m[1])) out.add(num);
  }
  return out;
}

export interface RewriteReport {
  pairs: RewritePair[];
  explained: RewritePair[];
  unexplained: RewritePair[];
}

export function classifyRewrites(upstreamingText: string, pairs: readonly RewritePair[]): RewriteReport {
  const explained: RewritePair[] = [];
  const unexplained: RewritePair[] = [];
  for (const p of pairs) (explainedRewrites(upstreamingText, p.later).has(p.earlier) ? explained : unexplained).push(p);
  return { pairs: [...pairs], explained, unexplained };
}

export function formatRewritePair(p: RewritePair): string {
  return `${p.later} ← ${p.earlier}: ${p.lines} line${p.lines === 1 ? '' : 's'} (${p.files.join(', ')})`;
}
