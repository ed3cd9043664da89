import { existsSync, readFileSync } from 'node:fs';
import type { SimpleGit } from 'simple-git';

/**
 * Upstream-readiness rules for the series, checked commit by commit on the
 * applied series in ocaml-src/. Each finding names the patch and the rule.
 */
export interface PatchInfo {
  subject: string;
  body: string;
  files: string[];
}

export interface Finding {
  patch: string;
  rule: string;
  message: string;
}

/** Code whose change is user-visible or behavioural (as opposed to tests, docs, build-only files). */
const isCode = (f: string) => /^(runtime|otherlibs|bytecomp|asmcomp|toplevel|lambda|typing|parsing|utils|driver|file_formats|middle_end|stdlib|tools|ocamltest)\//.test(f) && !/\.(md|txt)$/.test(f);
const isTest = (f: string) => f.startsWith('testsuite/tests/');

export async function readPatches(git: SimpleGit, baseRef: string): Promise<PatchInfo[]> {
  const ids = (await git.raw(['rev-list', '--reverse', `${baseRef}..HEAD`])).split('\n').filter(Boolean);
  const out: PatchInfo[] = [];
  for (const id of ids) {
    const subject = (await git.raw(['log', '-1', '--format=%s', id])).trim();
    const body = (await git.raw(['log', '-1', '--format=%b', id])).trim();
    const files = (await git.raw(['diff-tree', '--no-commit-id', '--name-only', '-r', id])).split('\n').filter(Boolean);
    out.push({ subject, body, files });
  }
  return out;
}

/**
 * OCaml's conventions, as reviewers apply them:
 * - a short subject (≤ 72 columns, no trailing period) and a body saying why;
 * - a patch that changes code has its Changes entry, or names the patch of
 *   the series whose entry covers it (a line `Changes entry: with
 *   "<subject>"`), as a pull request has one entry for one feature;
 * - code is tested: the patch, or a later one in the series, touches testsuite/tests;
 * - a patch that changes Dynlink documents it in dynlink.mli and the manual.
 */
export function lintMessagesAndContents(patches: readonly PatchInfo[]): Finding[] {
  const findings: Finding[] = [];
  patches.forEach((p, i) => {
    const add = (rule: string, message: string) => findings.push({ patch: `${String(i + 1).padStart(4, '0')} ${p.subject}`, rule, message });
    if (p.subject.length > 72) add('subject-length', `subject is ${p.subject.length} columns (keep it under 72)`);
    if (/\.\s*$/.test(p.subject)) add('subject-period', 'subject ends with a period');
    if (p.body.length < 40) add('body', 'the body must explain why the change is needed');
    for (const line of p.body.split('\n')) {
      if (line.length > 80 && !/^\s*(https?:|[-*] |Changes entry: )/.test(line)) {
        add('body-width', `body line over 80 columns: "${line.slice(0, 40)}…"`);
        break;
      }
    }
    const code = p.files.filter(isCode);
    if (code.length > 0 && !p.files.includes('Changes')) {
      const named = /^Changes entry: with "(.*)"\.?$/m.exec(p.body)?.[1];
      const covering = named !== undefined && patches.some((q, j) => j !== i && q.subject === named && q.files.includes('Changes'));
      if (!covering) add('changes-entry', `changes ${code[0]} (and ${code.length - 1} more code files) without a Changes entry (or a line \`Changes entry: with "<patch with the entry>"\`)`);
    }
    if (code.length > 0 && !patches.slice(i).some((q) => q.files.some(isTest))) add('tests', 'changes code, but neither it nor a later patch adds or changes a test in testsuite/tests');
    const dynlink = code.filter((f) => f.startsWith('otherlibs/dynlink/') && f.endsWith('.ml'));
    if (dynlink.length > 0) {
      const documented = (f: string) => patches.slice(i).some((q) => q.files.includes(f));
      if (!documented('otherlibs/dynlink/dynlink.mli')) add('docs-dynlink', 'changes Dynlink without documenting it in otherlibs/dynlink/dynlink.mli');
      if (!documented('manual/src/library/libdynlink.etex')) add('docs-manual', 'changes Dynlink without updating the manual (manual/src/library/libdynlink.etex)');
    }
  });
  return findings;
}

/** A series that installs `ocaml.opt` also ships its man page, as the other tools do. */
export function lintManPages(srcDir: string, patches: readonly PatchInfo[]): Finding[] {
  const makefile = existsSync(`${srcDir}/Makefile`) ? readFileSync(`${srcDir}/Makefile`, 'utf8') : '';
  const touched = new Set(patches.flatMap((p) => p.files));
  if (/\bocaml\.opt\b/.test(makefile) && !touched.has('man/ocaml.opt.1')) {
    return [{ patch: '(series)', rule: 'docs-man', message: 'the Makefile builds ocaml.opt but the series adds no man/ocaml.opt.1' }];
  }
  return [];
}

/** Every patch appears, by subject, in docs/upstreaming.md (the pull-request description). */
export function lintUpstreamingDoc(docFile: string, patches: readonly PatchInfo[]): Finding[] {
  if (!existsSync(docFile)) return [{ patch: '(series)', rule: 'upstreaming-doc', message: `${docFile} is missing` }];
  const text = readFileSync(docFile, 'utf8');
  return patches
    .filter((p) => !text.includes(p.subject))
    .map((p) => ({ patch: p.subject, rule: 'upstreaming-doc', message: 'not described in docs/upstreaming.md (list it by its subject)' }));
}
