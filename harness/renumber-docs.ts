import { WorkbenchError } from './errors.ts';
import { ENTRY_HEAD, LIST_END, NUMBER_TOKEN, readsAsPatchNumber } from './rewrite-pairs.ts';

/**
 * Renumbering the documents after the series is reordered or a patch is folded into another: docs/upstreaming.md
 * (its list of patches, whose `N. **subject**` lines still give the old order, and every reference to a patch) and
 * docs/crossload.md (references). The old number of a patch is its entry's number in docs/upstreaming.md; its new
 * number is the position of the same subject in the series, or, for a patch folded into another, that patch's
 * number (given by hand: a subject that left the series says nothing of where it went).
 */

/** old number → new number */
export type Renumbering = ReadonlyMap<number, number>;

/** The entries of docs/upstreaming.md's list of patches: number → subject. */
export function entrySubjects(upstreaming: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const line of upstreaming.split('\n')) {
    const m = ENTRY_HEAD.exec(line);
    if (m) out.set(Number(m[1]), m[2]);
  }
  return out;
}

/**
 * Where each old entry goes: to the position (1-based) of its subject in `newSubjects`, or to `folds.get(old)` for a
 * patch folded into another. Every subject of the series must have an entry, and every entry a place.
 */
export function renumbering(entries: ReadonlyMap<number, string>, newSubjects: readonly string[], folds: ReadonlyMap<number, number>): Renumbering {
  const position = new Map(newSubjects.map((s, i) => [s, i + 1]));
  const out = new Map<number, number>();
  const lost: string[] = [];
  for (const [old, subject] of entries) {
    const now = position.get(subject) ?? folds.get(old);
    if (now === undefined) lost.push(`${old}. ${subject}`);
    else out.set(old, now);
  }
  if (lost.length > 0)
    throw new WorkbenchError(
      `entries of docs/upstreaming.md whose subject is not in the series: ${lost.join('; ')}`,
      'Name the patch each was folded into (--fold OLD:NEW), or fix the entry\'s subject.',
    );
  const described = new Set(entries.values());
  const missing = newSubjects.filter((s) => !described.has(s));
  if (missing.length > 0)
    throw new WorkbenchError(`patches of the series with no entry in docs/upstreaming.md: ${missing.join('; ')}`, 'Add their entries first.');
  for (const [old, now] of folds) {
    if (!entries.has(old) || now < 1 || now > newSubjects.length) throw new WorkbenchError(`--fold ${old}:${now}: no such patch`, 'OLD is an entry number of docs/upstreaming.md, NEW a position in the series.');
    if (position.has(entries.get(old)!)) throw new WorkbenchError(`--fold ${old}:${now}: ${entries.get(old)} is still in the series`, 'Only a patch whose subject left the series was folded.');
  }
  return out;
}

// References are first replaced by marked numbers, so that a number is renumbered once.
const mark = (n: number, width: number) => `⟦${String(n).padStart(width, '0')}⟧`;
const unmark = (text: string) => text.replace(/⟦(\d+)⟧/g, '$1');

const NUMBER_LIST = String.raw`\d{1,2}(?:'s)?(?:(?:,\s*and\s+|,\s*|\s+and\s+|\s+or\s+|\s+to\s+|\s*[–-]\s*)\d{1,2}(?:'s)?)*`;

/** "patch 12", "patches 4, 7 and 12", "patches 1 to 5", "patch 12's", and the four-digit "0012" forms. */
function markPatchReferences(text: string, map: Renumbering): string {
  const renumber = (n: string, width: number) => (map.has(Number(n)) ? mark(map.get(Number(n))!, width) : n);
  const lists = new RegExp(String.raw`(\b[Pp]atch(?:es)?\s+)(${NUMBER_LIST})(?![\d.])`, 'g');
  return text
    .replace(lists, (_, word: string, list: string) => word + list.replace(/\d{1,2}/g, (n) => renumber(n, 1)))
    .replace(/(?<![\d.\w⟦-])00(\d\d)(?![\d.\w⟧])/g, (all, n: string) => (map.has(Number(n)) ? mark(map.get(Number(n))!, 4) : all));
}

/**
 * In a *Rewrites* sentence every number that reads as a patch number (`readsAsPatchNumber`, as the lint reads them)
 * names a patch, "of 12, 14 and 20"; a number already renumbered (marked) is left alone.
 */
function markBareNumbers(sentence: string, map: Renumbering): string {
  return sentence.replace(NUMBER_TOKEN, (tok: string, at: number) => {
    const before = sentence.slice(0, at);
    const after = sentence.slice(at + tok.length);
    if (before.endsWith('⟦') || after.startsWith('⟧') || !map.has(Number(tok))) return tok;
    return readsAsPatchNumber(before, tok, after) ? mark(map.get(Number(tok))!, 1) : tok;
  });
}

/**
 * A line of an entry, indented under its new number as under its old: the text of an entry starts three or four
 * columns in ("9. " takes three, "10. " four); deeper lines keep their depth under it.
 */
function reindent(line: string, old: number, now: number): string {
  const depth = /^ */.exec(line)![0].length;
  const to = String(now).length + 2;
  if (depth === 3 || depth === 4) return ' '.repeat(to) + line.slice(depth);
  if (depth > 4) return ' '.repeat(depth - (String(old).length + 2) + to) + line.slice(depth);
  return line;
}

const REWRITES_SENTENCE = /(\*Rewrites\*:)([\s\S]*?)(?=\*[A-Z][a-z]+\*:|\n {0,3}\d{1,2}\. \*\*|\n#|$)/g;

/** Every reference to a patch in `text`, renumbered. */
export function renumberReferences(text: string, map: Renumbering): string {
  const marked = markPatchReferences(text, map).replace(REWRITES_SENTENCE, (_, label: string, sentence: string) => label + markBareNumbers(sentence, map));
  return unmark(marked);
}

/**
 * docs/upstreaming.md with its list of patches in the new order and numbered so, and the references renumbered. The
 * entry of a folded patch (`folded`: old numbers) is appended to the entry of the patch it went into, after a line
 * saying so, for its author to merge by hand; its *Rewrites* sentences stay in the entry, where the lint reads them.
 */
export function renumberUpstreaming(text: string, map: Renumbering, folded: ReadonlySet<number>): string {
  const lines = text.split('\n');
  const first = lines.findIndex((l) => ENTRY_HEAD.test(l));
  if (first < 0) return renumberReferences(text, map);
  let end = first;
  const entries: { old: number; lines: string[] }[] = [];
  while (end < lines.length && !LIST_END.test(lines[end])) {
    const head = ENTRY_HEAD.exec(lines[end]);
    if (head) entries.push({ old: Number(head[1]), lines: [] });
    entries[entries.length - 1].lines.push(lines[end]);
    end++;
  }
  const trimmed = (l: string[]) => {
    const out = [...l];
    while (out.length > 0 && out[out.length - 1].trim() === '') out.pop();
    return out;
  };
  const byNew = new Map<number, string[]>();
  const newNumber = (old: number) => {
    const now = map.get(old);
    if (now === undefined) throw new WorkbenchError(`entry ${old} of docs/upstreaming.md has no new number`, 'Give every entry a place.');
    return now;
  };
  for (const e of entries.filter((x) => !folded.has(x.old))) {
    const now = newNumber(e.old);
    if (byNew.has(now)) throw new WorkbenchError(`two entries of docs/upstreaming.md would be number ${now}`, 'Two subjects of the list are the same patch.');
    const [head, ...rest] = e.lines;
    byNew.set(now, [head.replace(/^ {0,3}\d{1,2}\. /, `${now}. `), ...trimmed(rest).map((l) => reindent(l, e.old, now))]);
  }
  for (const e of entries.filter((x) => folded.has(x.old))) {
    const into = byNew.get(newNumber(e.old))!;
    const [head, ...rest] = e.lines;
    const now = newNumber(e.old);
    into.push(reindent(`   Folded in (merge by hand): ${ENTRY_HEAD.exec(head)![2]}.`, 1, now), ...trimmed(rest).map((l) => reindent(l, e.old, now)));
  }
  const ordered = [...byNew.keys()].sort((a, b) => a - b).flatMap((n) => [...byNew.get(n)!, '']);
  const renumbered = [...lines.slice(0, first), ...ordered, ...lines.slice(end)].join('\n');
  return renumberReferences(renumbered, map);
}
