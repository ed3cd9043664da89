import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { SimpleGit } from 'simple-git';
import { WorkbenchError } from './errors.ts';
import { formatSeries, readPatchFiles, samePatches } from './patch-export.ts';
import { syncedHead } from './sync-marker.ts';

export interface SourceState {
  head: string;
  /** Git operation left half-done (a stopped `git am`, a rebase). */
  operationInProgress?: string;
  /** `git status --porcelain` lines for tracked files. */
  uncommitted: string[];
  /** One-line descriptions of commits above the tag that patches/ does not hold. */
  unexported: string[];
}

async function gitPath(git: SimpleGit, dir: string, name: string): Promise<string> {
  const p = (await git.raw(['rev-parse', '--git-path', name])).trim();
  return isAbsolute(p) ? p : join(dir, p);
}

export async function inspectSource(git: SimpleGit, srcDir: string, baseRef: string, patchesDir: string): Promise<SourceState> {
  const head = (await git.revparse(['HEAD'])).trim();
  let operationInProgress: string | undefined;
  for (const [name, what] of [
    ['rebase-apply', 'a `git am` or rebase'],
    ['rebase-merge', 'a rebase'],
    ['MERGE_HEAD', 'a merge'],
    ['CHERRY_PICK_HEAD', 'a cherry-pick'],
  ] as const) {
    if (existsSync(await gitPath(git, srcDir, name))) operationInProgress = what;
  }
  const uncommitted = (await git.raw(['status', '--porcelain', '--untracked-files=no'])).split('\n').filter(Boolean);
  const synced = await syncedHead(git);
  let unexported: string[] = [];
  if (head !== synced) {
    const isDescendant = await git
      .raw(['merge-base', '--is-ancestor', baseRef, 'HEAD'])
      .then(() => true)
      .catch(() => false);
    if (!isDescendant) {
      unexported = [`HEAD (${head.slice(0, 12)}) is not based on ${baseRef}`];
    } else if (!samePatches(await formatSeries(git, baseRef), readPatchFiles(patchesDir))) {
      unexported = (await git.raw(['log', '--format=%h %s', `${baseRef}..HEAD`])).split('\n').filter(Boolean);
      if (unexported.length === 0) unexported = ['(HEAD is the pristine tag, but patches/ holds a series: nothing to lose)'];
    }
  }
  // Being exactly at the pristine tag loses nothing, whatever patches/ holds.
  if (head === (await git.revparse([baseRef])).trim()) unexported = [];
  return { head, ...(operationInProgress ? { operationInProgress } : {}), uncommitted, unexported };
}

/** Keeps `commit` reachable under refs/workbench/backup/ so a reset never loses it. */
export async function backupRef(git: SimpleGit, commit: string): Promise<string> {
  const ref = `refs/workbench/backup/${new Date().toISOString().replace(/[:.]/g, '-')}`;
  await git.raw(['update-ref', ref, commit]);
  return ref;
}

/**
 * Refuses to go on when the source tree holds work that an apply would
 * destroy, listing it. With `force`, the work is saved instead (uncommitted
 * changes to a stash, commits to a backup ref) and the caller may go on.
 */
export async function guardSource(
  git: SimpleGit,
  srcDir: string,
  baseRef: string,
  patchesDir: string,
  opts: { force: boolean },
): Promise<string[]> {
  const state = await inspectSource(git, srcDir, baseRef, patchesDir);
  if (state.operationInProgress) {
    throw new WorkbenchError(
      `ocaml-src/ is in the middle of ${state.operationInProgress}`,
      'Finish it (resolve, `git add`, `git am --continue`) or abort it (`git am --abort`), export with `npm run patches:export`, then run again.',
    );
  }
  const problems = [
    ...state.uncommitted.map((l) => `uncommitted: ${l}`),
    ...state.unexported.map((l) => `not in patches/: ${l}`),
  ];
  if (problems.length === 0) return [];
  if (!opts.force) {
    throw new WorkbenchError(
      `ocaml-src/ holds work that is not in patches/; refusing to overwrite it:\n  ${problems.join('\n  ')}`,
      'Commit it and run `npm run patches:export`, or rerun with --force to set it aside (it is stashed and backed up, not deleted).',
    );
  }
  const saved: string[] = [];
  if (state.uncommitted.length > 0) {
    await git.raw(['stash', 'push', '--message', 'workbench --force: uncommitted work set aside']);
    saved.push('uncommitted changes: `git -C ocaml-src stash list`');
  }
  if (state.unexported.length > 0) saved.push(`commits: ${await backupRef(git, state.head)}`);
  return saved;
}
