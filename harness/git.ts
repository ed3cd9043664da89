import { simpleGit, type SimpleGit } from 'simple-git';
import type { WorkbenchConfig } from './config.ts';

export type GitIdentity = WorkbenchConfig['gitIdentity'];

/**
 * A simple-git client for `dir`. simple-git refuses the whole process.env
 * (its guard blocks some variables), so pass only what git needs, plus a fixed
 * committer identity and date: commits made by `git am` are then reproducible,
 * and the same series gives the same commit ids on every machine.
 */
export function gitIn(dir: string, identity?: GitIdentity): SimpleGit {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/root',
    LC_ALL: 'C',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    // Only the repository's own settings count: user config (diff.noprefix,
    // format.signature …) would make exported patches differ between machines.
    GIT_CONFIG_GLOBAL: '/dev/null',
  };
  if (identity) {
    env.GIT_COMMITTER_NAME = identity.name;
    env.GIT_COMMITTER_EMAIL = identity.email;
    env.GIT_COMMITTER_DATE = identity.date;
    // `git am` takes the author from each patch; this one is for the commits
    // the workbench makes itself (the pristine commit, stashes).
    env.GIT_AUTHOR_NAME = identity.name;
    env.GIT_AUTHOR_EMAIL = identity.email;
    env.GIT_AUTHOR_DATE = identity.date;
  }
  // allowUnsafeConfigPaths: the only config path we set is GIT_CONFIG_GLOBAL=/dev/null.
  return simpleGit({
    baseDir: dir,
    maxConcurrentProcesses: 4,
    unsafe: { allowUnsafeConfigPaths: true },
    allowEnvironment: Object.keys(env).filter((k) => k.startsWith('GIT_')),
  }).env(env);
}

/** Repository settings OCaml's tree needs (see harness-notes): CRLF files kept, build outputs hidden. */
export async function configureSourceRepo(git: SimpleGit): Promise<void> {
  await git.addConfig('core.autocrlf', 'false');
  await git.addConfig('status.showUntrackedFiles', 'no');
  await git.addConfig('am.keepcr', 'true');
  await git.addConfig('gc.auto', '0');
}
