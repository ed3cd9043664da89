import { mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SimpleGit } from 'simple-git';
import { WorkbenchError } from './errors.ts';
import { readSeries, seriesText, writeIfChanged } from './series-file.ts';
import { markSynced } from './sync-marker.ts';

/** A patch as `git format-patch` writes it: file name and exact bytes. */
export interface PatchFile {
  name: string;
  bytes: Buffer;
}

/**
 * Options that make format-patch output byte-stable across runs, machines
 * and `git am` round trips: no commit ids, no version signature, full blob
 * ids (so `am --3way` can always find the base), subjects kept verbatim.
 */
const STABLE_FORMAT_PATCH = ['--keep-subject', '--no-stat', '--no-signature', '--zero-commit', '--full-index', '--find-renames', '--encoding=UTF-8'];

/** The commits above `baseRef` in `git`'s repository, as patches (in order). */
export async function formatSeries(git: SimpleGit, baseRef: string): Promise<PatchFile[]> {
  const out = mkdtempSync(join(tmpdir(), 'wb-export-'));
  try {
    await git.raw(['format-patch', ...STABLE_FORMAT_PATCH, '-o', out, `${baseRef}..HEAD`]);
    return readdirSync(out)
      .filter((n) => n.endsWith('.patch'))
      .sort()
      .map((name) => ({ name, bytes: readFileSync(join(out, name)) }));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** The series as committed in patches/. */
export function readPatchFiles(patchesDir: string): PatchFile[] {
  return readSeries(patchesDir).map((name) => ({ name, bytes: readFileSync(join(patchesDir, name)) }));
}

export function samePatches(a: readonly PatchFile[], b: readonly PatchFile[]): boolean {
  return a.length === b.length && a.every((p, i) => p.name === b[i]!.name && p.bytes.equals(b[i]!.bytes));
}

/** Names of the patches that differ between two series (added, removed or changed). */
export function patchDifferences(current: readonly PatchFile[], wanted: readonly PatchFile[]): string[] {
  const byName = new Map(current.map((p) => [p.name, p.bytes]));
  const wantedNames = new Set(wanted.map((p) => p.name));
  const changed = wanted.filter((p) => !byName.get(p.name)?.equals(p.bytes)).map((p) => p.name);
  const removed = current.filter((p) => !wantedNames.has(p.name)).map((p) => `${p.name} (removed)`);
  return [...changed, ...removed];
}

/** Commits that must not be exported as they are: fixups not yet squashed, build outputs. */
export async function lintCommitsForExport(git: SimpleGit, baseRef: string): Promise<void> {
  const subjects = (await git.raw(['log', '--format=%s', `${baseRef}..HEAD`])).split('\n').filter(Boolean);
  const fixups = subjects.filter((s) => /^(fixup|squash|amend)! /.test(s));
  if (fixups.length > 0) {
    throw new WorkbenchError(
      `the series has unsquashed commits: ${fixups.join('; ')}`,
      `Fold them in first: git -C ocaml-src rebase -i --autosquash ${baseRef}`,
    );
  }
  const added = (await git.raw(['diff', '--name-only', '--diff-filter=A', `${baseRef}..HEAD`])).split('\n').filter(Boolean);
  const outputs = added.filter(isBuildOutputPath);
  // Paths the builder recorded as build outputs (.git/info/exclude) count too.
  const recorded =
    added.length === 0
      ? ''
      : // check-ignore exits 1 when no path is ignored: that is the good case.
        await git.raw(['check-ignore', '--no-index', ...added]).catch(() => '');
  const all = [...new Set([...outputs, ...recorded.split('\n').filter(Boolean)])];
  if (all.length > 0) {
    throw new WorkbenchError(
      `the series adds build outputs: ${all.join(', ')}`,
      'Remove them from the commits (git rm --cached, then amend or fixup) before exporting.',
    );
  }
}

const OUTPUT_SUFFIXES = ['.o', '.a', '.so', '.cmi', '.cmo', '.cma', '.cmx', '.cmxa', '.cmxs', '.cmt', '.cmti', '.byte', '.opt', '.log'];
export function isBuildOutputPath(path: string): boolean {
  return OUTPUT_SUFFIXES.some((s) => path.endsWith(s));
}

/**
 * Rewrites patches/ from the commits above `baseRef`: writes only files whose
 * bytes change, deletes patches that left the series, rewrites `series`.
 * Returns the names that changed.
 */
export async function exportSeries(git: SimpleGit, baseRef: string, patchesDir: string): Promise<string[]> {
  await lintCommitsForExport(git, baseRef);
  const wanted = await formatSeries(git, baseRef);
  const current = readPatchFiles(patchesDir);
  const changed = patchDifferences(current, wanted);
  for (const p of wanted) writeIfChanged(join(patchesDir, p.name), p.bytes);
  const wantedNames = new Set(wanted.map((p) => p.name));
  for (const p of current) if (!wantedNames.has(p.name)) unlinkSync(join(patchesDir, p.name));
  writeIfChanged(join(patchesDir, 'series'), seriesText(wanted.map((p) => p.name)));
  await markSynced(git);
  return changed;
}
