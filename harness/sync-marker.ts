import type { SimpleGit } from 'simple-git';

/**
 * The HEAD of ocaml-src/ as of the last apply or export. Commits reachable
 * from it are known to be in patches/ (now, or in the project's history), so
 * replacing them loses nothing.
 */
const SYNCED_KEY = 'workbench.syncedhead';

export async function markSynced(git: SimpleGit): Promise<void> {
  await git.addConfig(SYNCED_KEY, (await git.revparse(['HEAD'])).trim());
}

export async function syncedHead(git: SimpleGit): Promise<string> {
  return (await git.raw(['config', '--get', SYNCED_KEY]).catch(() => '')).trim();
}
