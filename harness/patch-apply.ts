import { join } from 'node:path';
import type { SimpleGit } from 'simple-git';
import { WorkbenchError } from './errors.ts';
import type { SeriesLocation } from './config.ts';
import { gitIn } from './git.ts';
import { formatSeries, patchDifferences, readPatchFiles, samePatches } from './patch-export.ts';
import { readSeries } from './series-file.ts';
import { backupRef, guardSource } from './source-state.ts';
import { markSynced } from './sync-marker.ts';
import { amAll, GIT_AM, withScratchWorktree } from './scratch-worktree.ts';

export interface ApplyOptions extends SeriesLocation {
  force?: boolean;
}

export type ApplyOutcome =
  | { kind: 'up-to-date'; saved: string[] }
  | { kind: 'applied'; changed: string[]; saved: string[] };

/**
 * Makes ocaml-src/ hold exactly the pristine tag plus one commit per patch.
 *
 * The series is applied in a temporary worktree of the same repository, and
 * ocaml-src/ is then `reset --hard` to the result: git rewrites only the files
 * whose content changes, so make's timestamps stay meaningful and only what a
 * changed patch touches is rebuilt. On a conflict the apply is replayed in
 * ocaml-src/ itself, which stops there for the user to resolve with git.
 */
export async function applySeries(opts: ApplyOptions): Promise<ApplyOutcome> {
  const git = gitIn(opts.srcDir, opts.identity);
  const saved = await guardSource(git, opts.srcDir, opts.baseRef, opts.patchesDir, { force: opts.force ?? false });
  const wanted = readPatchFiles(opts.patchesDir);
  const current = await formatSeries(git, opts.baseRef);
  if (samePatches(current, wanted)) {
    await markSynced(git);
    return { kind: 'up-to-date', saved };
  }
  const patchPaths = readSeries(opts.patchesDir).map((n) => join(opts.patchesDir, n));
  const oldHead = (await git.revparse(['HEAD'])).trim();
  const result = await withScratchWorktree(git, opts.baseRef, opts.identity, (wgit) => amAll(wgit, opts.baseRef, patchPaths));
  if (!result.ok) return await stopAtConflict(git, opts, patchPaths, result.applied, result.lastGood);
  const newHead = result.head;
  const keepsOldHead = await git
    .raw(['merge-base', '--is-ancestor', oldHead, newHead])
    .then(() => true)
    .catch(() => false);
  // Commits that leave the branch stay reachable: no state is ever lost.
  if (!keepsOldHead) await backupRef(git, oldHead);
  await git.raw(['reset', '--quiet', '--hard', newHead]);
  await markSynced(git);
  return { kind: 'applied', changed: patchDifferences(current, wanted), saved };
}

/** Replays the failing patch in ocaml-src/ so the user can resolve it there, then reports it. */
async function stopAtConflict(git: SimpleGit, opts: ApplyOptions, patchPaths: string[], applied: number, lastGood: string): Promise<never> {
  const failing = patchPaths[applied]!;
  const name = failing.slice(opts.patchesDir.length + 1);
  const oldHead = (await git.revparse(['HEAD'])).trim();
  if (oldHead !== lastGood) await backupRef(git, oldHead);
  await git.raw(['reset', '--quiet', '--hard', lastGood]);
  await git.raw([...GIT_AM, ...patchPaths.slice(applied)]).catch(() => undefined);
  let files = (await git.raw(['diff', '--name-only', '--diff-filter=U']).catch(() => '')).split('\n').filter(Boolean);
  if (files.length === 0) {
    // No three-way merge was possible: name the files the patch touches.
    const diff = await git.raw(['am', '--show-current-patch=diff']).catch(() => '');
    files = [...diff.matchAll(/^diff --git a\/(\S+)/gm)].map((m) => m[1]!);
  }
  throw new WorkbenchError(
    `patch ${name} (number ${applied + 1} of ${patchPaths.length}) does not apply; conflicting files:\n  ${files.join('\n  ')}`,
    'ocaml-src/ is stopped in `git am` at that patch. Resolve the files, `git -C ocaml-src add` them, ' +
      '`git -C ocaml-src am --continue`, then `npm run patches:export`. Or `git -C ocaml-src am --abort` to give up.',
  );
}
