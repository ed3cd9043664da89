import { execFileSync } from 'node:child_process';

/** Plain git for test set-up, as a user would type it (with a fixed identity). */
export function gitSync(dir: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'A Contributor',
      GIT_AUTHOR_EMAIL: 'contributor@example.invalid',
      GIT_AUTHOR_DATE: '2025-02-01T12:00:00Z',
      GIT_COMMITTER_NAME: 'A Contributor',
      GIT_COMMITTER_EMAIL: 'contributor@example.invalid',
      GIT_COMMITTER_DATE: '2025-02-01T12:00:00Z',
    },
  });
}
