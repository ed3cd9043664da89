import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { WorkbenchError } from './errors.ts';

/**
 * Runs `fn` holding a lock file that names this process. A lock held by a
 * live process is refused with a clear message; one whose process is gone
 * (a killed run) is stale and taken over.
 */
export async function withLock<T>(file: string, what: string, fn: () => Promise<T>): Promise<T> {
  if (existsSync(file)) {
    const pid = Number(readFileSync(file, 'utf8').trim());
    if (pid !== process.pid && isAlive(pid)) {
      throw new WorkbenchError(`${what} is already running (process ${pid})`, `Wait for it to finish, or stop it; ${file} is its lock.`);
    }
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, String(process.pid));
  try {
    return await fn();
  } finally {
    rmSync(file, { force: true });
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
