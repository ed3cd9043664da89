import { run } from '../exec.ts';
import { runEnv } from '../crosstest/toolchain.ts';
import type { Loader } from './loaders.ts';

/** How long gdb may take to run a host to its crash and print the stack. */
export const GDB_TIMEOUT_MS = 120_000;

/** The gdb command line that shows where a loader crashes on a file: for the report, and to paste. */
export function gdbCommand(loader: Loader, file: string): [string, string[]] {
  const [cmd, args] = loader.command(file);
  return ['gdb', ['-batch', '-nx', '-ex', 'set pagination off', '-ex', 'run', '-ex', 'bt', '--args', cmd, ...args]];
}

/** A shell-quoted command line. */
export function shellLine([cmd, args]: [string, string[]]): string {
  const q = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  return [cmd, ...args].map(q).join(' ');
}

/**
 * The stack where a loader crashes on `file`, as gdb prints it (its frames, `#0 …`), with the signal line before
 * them; undefined when gdb is missing, times out, or the program did not stop on a signal.
 */
export async function crashBacktrace(loader: Loader, file: string, cwd: string): Promise<string[] | undefined> {
  const [cmd, args] = gdbCommand(loader, file);
  const r = await run(cmd, args, { cwd, env: runEnv({}), timeoutMs: GDB_TIMEOUT_MS, mergeOutput: true });
  if (r.timedOut) return undefined;
  const lines = r.stdout.split('\n');
  const signal = lines.find((l) => l.startsWith('Program received signal') || (l.startsWith('Thread') && l.includes('received signal')));
  const frames = lines.filter((l) => /^#\d+\s/.test(l));
  if (!signal || frames.length === 0) return undefined;
  return [signal, ...frames.slice(0, 30)];
}

/**
 * Where a crash happened, for grouping: the names of the innermost frames of gdb's stack (OCaml functions without
 * their numeric suffix), `caml_natdynlink_register < camlDynlink.load < camlDynlink.load`.
 */
export function crashSite(backtrace: readonly string[], depth = 3): string | undefined {
  const names: string[] = [];
  for (const line of backtrace) {
    const m = /^#\d+\s+(?:0x[0-9a-f]+ in )?(\S+) \(/.exec(line);
    if (!m) continue;
    names.push(m[1]!.replace(/_\d+$/, ''));
    if (names.length === depth) break;
  }
  return names.length > 0 ? names.join(' < ') : undefined;
}
