import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { SimpleGit } from 'simple-git';
import { gitIn, type GitIdentity } from './git.ts';

/**
 * Runs `fn` in a temporary detached worktree of `git`'s repository checked
 * out at `ref`. Commits made there live in the shared object store, so the
 * caller can move ocaml-src/ to them; the worktree itself is always removed.
 */
export async function withScratchWorktree<T>(git: SimpleGit, ref: string, identity: GitIdentity, fn: (wgit: SimpleGit) => Promise<T>): Promise<T> {
  const dir = join(mkdtempSync(join(tmpdir(), 'wb-worktree-')), 'tree');
  await git.raw(['worktree', 'add', '--quiet', '--detach', dir, ref]);
  try {
    return await fn(gitIn(dir, identity));
  } finally {
    await git.raw(['worktree', 'remove', '--force', dir]).catch(() => undefined);
    rmSync(dirname(dir), { recursive: true, force: true });
    await git.raw(['worktree', 'prune']).catch(() => undefined);
  }
}

export const GIT_AM = ['am', '--3way', '--keep-cr', '--keep', '--quiet'];

/** Result of `git am` of a whole series in a scratch worktree. */
export type AmResult = { ok: true; head: string } | { ok: false; applied: number; lastGood: string };

/** Applies `patchPaths` with `git am`; on failure aborts and says how far it got. */
export async function amAll(wgit: SimpleGit, baseRef: string, patchPaths: readonly string[]): Promise<AmResult> {
  try {
    if (patchPaths.length > 0) await wgit.raw([...GIT_AM, ...patchPaths]);
    return { ok: true, head: (await wgit.revparse(['HEAD'])).trim() };
  } catch {
    const applied = Number((await wgit.raw(['rev-list', '--count', `${baseRef}..HEAD`])).trim());
    const lastGood = (await wgit.revparse(['HEAD'])).trim();
    await wgit.raw(['am', '--abort']).catch(() => undefined);
    return { ok: false, applied, lastGood };
  }
}
