import { join } from 'node:path';
import type { SeriesLocation } from './config.ts';
import { gitIn } from './git.ts';
import { formatSeries, patchDifferences, readPatchFiles } from './patch-export.ts';
import { readSeries } from './series-file.ts';
import { amAll, withScratchWorktree } from './scratch-worktree.ts';
import { inspectSource } from './source-state.ts';


/**
 * Everything wrong with the series, or nothing: every patch applies to the
 * pristine tag, exporting the result gives back patches/ byte for byte, and
 * ocaml-src/ holds no work that patches/ lacks. Never changes ocaml-src/.
 */
export async function checkSeries(opts: SeriesLocation): Promise<string[]> {
  const problems: string[] = [];
  const git = gitIn(opts.srcDir, opts.identity);
  const names = readSeries(opts.patchesDir);
  const wanted = readPatchFiles(opts.patchesDir);
  await withScratchWorktree(git, opts.baseRef, opts.identity, async (wgit) => {
    const result = await amAll(
      wgit,
      opts.baseRef,
      names.map((n) => join(opts.patchesDir, n)),
    );
    if (!result.ok) {
      problems.push(`patch ${names[result.applied]} does not apply to ${opts.baseRef} after the ${result.applied} before it`);
      return;
    }
    for (const name of patchDifferences(wanted, await formatSeries(wgit, opts.baseRef))) {
      problems.push(`export would rewrite ${name}: apply then export is not byte-stable`);
    }
  });
  const state = await inspectSource(git, opts.srcDir, opts.baseRef, opts.patchesDir);
  if (state.operationInProgress) problems.push(`ocaml-src/ is in the middle of ${state.operationInProgress}`);
  for (const l of state.uncommitted) problems.push(`ocaml-src/ has uncommitted changes: ${l}`);
  for (const l of state.unexported) problems.push(`ocaml-src/ has a commit not exported to patches/: ${l}`);
  return problems;
}
