/**
 * The series is sent upstream under its contributor's name: workbench.json's `author` is the author of every patch
 * (its `From:` line) and the name the patches credit in their Changes entries ("(Name)") and in the headers of the
 * files they create (the centred author line and "Copyright YEAR Name" of OCaml's header box). `patches:reauthor`
 * replaces one author by another in every patch; `patches:lint` checks that every patch has the configured author.
 */
export interface Author {
  name: string;
  email: string;
  /** The year of the copyright lines of new files */
  copyrightYear: number;
}

export class ReauthorError extends Error {}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `From: Name <email>` as git format-patch writes it (names are plain ASCII here: no RFC 2047 encoding). */
export function fromLine(a: Author): string {
  return `From: ${a.name} <${a.email}>`;
}

/**
 * A line of an OCaml header box (OCaml, C or shell comment delimiters around 72 columns), as a patch line (first character
 * `+`, `-` or space), with `text` put in place of the box's contents, keeping the line's width: left-aligned after the
 * same indentation (`align: 'left'`) or centred as OCaml centres author lines.
 */
function rebox(line: string, open: string, close: string, inner: string, text: string, align: 'left' | 'center'): string {
  const width = inner.length;
  if (text.length > width - 2) throw new ReauthorError(`"${text}" does not fit in the header line "${line.slice(1)}"`);
  let body: string;
  if (align === 'left') {
    const indent = /^ */.exec(inner)![0].length;
    body = `${' '.repeat(indent)}${text}`.padEnd(width);
  } else {
    const left = Math.floor((width - text.length) / 2);
    body = `${' '.repeat(left)}${text}`.padEnd(width);
  }
  return `${line[0]}${open}${body}${close}`;
}

const BOX = /^([+ -])(\(\*|\/\*|#\*)(.*?)(\*\)|\*\/|\*)$/;

/**
 * Rewrites one patch's text from author `from` to author `to`: its `From:` line, whoever it named (the series has one
 * author), and the credits of `from` in what it adds and in its context lines, so that the series stays consistent.
 */
export function reauthorPatch(text: string, from: Author, to: Author): string {
  const copyright = new RegExp(`^( *)Copyright (\\d{4}) ${escape(from.name)} *$`);
  const credit = new RegExp(`\\(${escape(from.name)}([,)])`, 'g');
  let inHeaders = true;
  let inFrom = false;
  return text
    .split('\n')
    .flatMap((line) => {
      if (inHeaders) {
        // A header may be folded over several lines (format-patch folds a long From:): drop the old From:'s.
        if (inFrom && /^[ \t]/.test(line)) return [];
        inFrom = line.startsWith('From: ');
        if (line === '') inHeaders = false;
        return [inFrom ? fromLine(to) : line];
      }
      const box = BOX.exec(line);
      if (box) {
        const [, mark, open, inner, close] = box;
        if (inner.trim() === from.name) return [rebox(line, open, close, inner, to.name, 'center')];
        const c = copyright.exec(inner);
        if (c) return [rebox(`${mark}${open}${inner}${close}`, open, close, inner, `Copyright ${to.copyrightYear} ${to.name}`, 'left')];
      }
      return [/^[+ -]/.test(line) ? line.replace(credit, `(${to.name}$1`) : line];
    })
    .join('\n');
}

/** The author of a patch, from its `From:` line, or null. */
export function patchAuthor(text: string): { name: string; email: string | null } | null {
  const m = /^From: (.*?)(?: <([^>]*)>)?$/m.exec(text);
  if (!m) return null;
  // format-patch quotes a name with RFC 5322 specials ("Jane Q. Contributor")
  const name = /^"(.*)"$/.exec(m[1])?.[1]?.replace(/\\(.)/g, '$1') ?? m[1];
  return { name, email: m[2] ?? null };
}

/** Patches whose `From:` is not the configured author (patches:lint). */
export function patchesWithOtherAuthors(patches: ReadonlyArray<{ name: string; text: string }>, author: Author): string[] {
  return patches
    .filter((p) => {
      const a = patchAuthor(p.text);
      return a === null || a.name !== author.name || a.email !== author.email;
    })
    .map((p) => `${p.name} (${patchAuthor(p.text)?.name ?? 'no From: line'})`);
}
