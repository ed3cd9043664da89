import { arch, availableParallelism, cpus, platform, release, totalmem } from 'node:os';
import { run } from '../exec.ts';
import { TIMEOUTS } from '../timeouts.ts';

/**
 * Facts about the machine that change the testsuite's outcomes (user id:
 * root gets no permission errors; core count; C compiler), recorded with the
 * baseline so a comparison can say when it was made somewhere else.
 */
export interface MachineFacts {
  platform: string;
  arch: string;
  kernel: string;
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  runsAsRoot: boolean;
  cc: string;
  node: string;
}

export async function machineFacts(): Promise<MachineFacts> {
  const cc = await run('cc', ['--version'], { cwd: '/', timeoutMs: TIMEOUTS.toolQueryMs }).catch(() => undefined);
  return {
    platform: platform(),
    arch: arch(),
    kernel: release(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    runsAsRoot: process.getuid?.() === 0,
    cc: cc?.exitCode === 0 ? (cc.stdout.split('\n')[0] ?? '').trim() : 'unknown',
    node: process.version,
  };
}

/** The facts that differ and may change outcomes (not the kernel patch level or Node). */
export function machineDifferences(baseline: MachineFacts, now: MachineFacts): string[] {
  const keys = ['platform', 'arch', 'cores', 'runsAsRoot', 'cc'] as const;
  return keys.filter((k) => baseline[k] !== now[k]).map((k) => `${k}: baseline ${String(baseline[k])}, here ${String(now[k])}`);
}
