import { appendFileSync, mkdirSync } from 'node:fs';
import { constants } from 'node:os';
import { dirname } from 'node:path';
import { execa, type Options } from 'execa';

/**
 * Child processes run in their own process group so that a timeout or an
 * interrupt of the harness kills the whole tree (make → gcc → as …): execa
 * alone would kill only the direct child (see harness-notes). The registry
 * below makes Ctrl-C and SIGTERM of the harness reach every live group.
 */
const liveGroups = new Set<number>();
let signalsHooked = false;

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
}

function hookSignals(): void {
  if (signalsHooked) return;
  signalsHooked = true;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
      process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
    });
  }
  process.once('exit', () => {
    for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
  });
}

export interface RunOptions {
  cwd: string;
  env?: Record<string, string>;
  /** Append stdout and stderr, interleaved, to this file. */
  logFile?: string;
  /** Kill the whole process group after this many milliseconds. */
  timeoutMs?: number;
  input?: string;
  /**
   * Send stderr to the same pipe as stdout, so the two interleave exactly as
   * the program wrote them; the result is in `stdout`.
   */
  mergeOutput?: boolean;
}

export interface RunResult {
  exitCode: number;
  /** Captured output; empty when it went to `logFile`. */
  stdout: string;
  stderr: string;
  timedOut: boolean;
  durationMs: number;
  signal?: string;
}

/** Runs a command to completion; never throws for a non-zero exit. */
export async function run(file: string, args: readonly string[], opts: RunOptions): Promise<RunResult> {
  hookSignals();
  if (opts.logFile) {
    mkdirSync(dirname(opts.logFile), { recursive: true });
    appendFileSync(opts.logFile, `$ ${[file, ...args].join(' ')}\n  (in ${opts.cwd})\n`);
  }
  const started = performance.now();
  const options: Options = {
    cwd: opts.cwd,
    extendEnv: true,
    detached: true,
    reject: false,
    stripFinalNewline: false,
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.input !== undefined ? { input: opts.input } : { stdin: 'ignore' }),
    // Both streams append to one file, so the log interleaves as on a terminal.
    ...(opts.logFile ? { stdout: { file: opts.logFile, append: true }, stderr: { file: opts.logFile, append: true } } : {}),
  };
  // A shell dup2s stderr onto the stdout pipe: one stream, in write order.
  const child = opts.mergeOutput ? execa('/bin/sh', ['-c', 'exec "$0" "$@" 2>&1', file, ...args], options) : execa(file, args, options);
  const pid = child.pid;
  if (pid !== undefined) {
    liveGroups.add(pid);
    // Once the direct child is gone, nothing in its group may hold the output
    // open (a killed make leaves its recipe shells running).
    child.once('exit', () => killGroup(pid, 'SIGKILL'));
  }
  let timedOut = false;
  const timer =
    opts.timeoutMs !== undefined && pid !== undefined
      ? setTimeout(() => {
          timedOut = true;
          killGroup(pid, 'SIGKILL');
        }, opts.timeoutMs)
      : undefined;
  try {
    const result = await child;
    return {
      // A signal death reads as the shell shows it: 128 + signal number.
      exitCode: result.exitCode ?? (result.signal ? 128 + (constants.signals[result.signal as NodeJS.Signals] ?? 0) : 1),
      stdout: typeof result.stdout === 'string' ? result.stdout : '',
      stderr: typeof result.stderr === 'string' ? result.stderr : '',
      timedOut,
      durationMs: performance.now() - started,
      ...(result.signal ? { signal: result.signal } : {}),
    };
  } finally {
    if (timer) clearTimeout(timer);
    if (pid !== undefined) {
      // Reap stragglers that kept running after the direct child exited.
      killGroup(pid, 'SIGKILL');
      liveGroups.delete(pid);
    }
  }
}

/** Is `command` on PATH? */
export async function haveCommand(command: string): Promise<boolean> {
  const r = await execa('/bin/sh', ['-c', 'command -v "$1"', 'sh', command], { reject: false });
  return r.exitCode === 0;
}
