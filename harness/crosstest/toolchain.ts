import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../exec.ts';
import type { RuntimeVariant } from '../ocaml-testsuite/runtime-variant.ts';
import { configValue } from '../ocaml-testsuite/stock-products.ts';

/** The installed compiler the tests run with, and the runtime its programs run on (runtime-variant.ts). */
export interface Toolchain {
  prefix: string;
  bin: (tool: string) => string;
  /** `crosstest --runtime d`: hosts linked with `-runtime-variant d` (undefined: the normal runtime). */
  runtime?: RuntimeVariant;
}

export function toolchain(prefix: string, runtime?: RuntimeVariant): Toolchain {
  return { prefix, bin: (tool) => join(prefix, 'bin', tool), ...(runtime ? { runtime } : {}) };
}

/**
 * The same compiler on the normal runtime. A mode's probe asks whether the installed compiler can run the mode at
 * all, and a probe that fails skips the mode: it runs on the normal runtime, so that a failure of the runtime
 * variant (a debug assertion) fails the tests, never hides them as skipped.
 */
export function onNormalRuntime(tc: Toolchain): Toolchain {
  return tc.runtime ? toolchain(tc.prefix) : tc;
}

/** The standard library directory (`ocamlc -where`), where `+L` names `<it>/L`. */
export function stdlibDir(tc: Toolchain): string {
  return join(tc.prefix, 'lib', 'ocaml');
}

export function hasTool(tc: Toolchain, tool: string): boolean {
  return existsSync(tc.bin(tool));
}

/**
 * The environment every test program runs in: fixed locale and time zone,
 * and OCAMLRUNPARAM fully decided by the mode (never inherited).
 */
export function runEnv(extra: Record<string, string>): Record<string, string> {
  return { LC_ALL: 'C', LANG: 'C', TZ: 'UTC', OCAMLRUNPARAM: '', CAMLRUNPARAM: '', ...extra };
}

/**
 * The environment of a test program in a mode: `runEnv` with the test's own
 * variables and `extra` (the harness's), and OCAMLRUNPARAM made of the
 * mode's settings (`modeParams`, e.g. GC stress) then the test's (`b=1`).
 */
export function programEnv(test: { env: Record<string, string>; runParams?: string }, modeParams: string, extra: Record<string, string>): Record<string, string> {
  const params = [modeParams, test.runParams ?? ''].flatMap((p) => p.split(',')).filter((p) => p !== '');
  return runEnv({ ...test.env, ...extra, OCAMLRUNPARAM: params.join(',') });
}

/**
 * The command that runs `file` with `args` and without the variables the
 * test unsets: runs inherit the caller's environment, so those are removed
 * by `env -u` (the program's Sys.argv stays the same).
 */
export function programCommand(test: { unsetEnv?: readonly string[]; arguments?: readonly string[] }, file: string, args: readonly string[]): [string, string[]] {
  const all = [...args, ...(test.arguments ?? [])];
  const unset = test.unsetEnv ?? [];
  return unset.length === 0 ? [file, all] : ['env', [...unset.flatMap((v) => ['-u', v]), file, ...all]];
}

/** Is the compiler configured with `--enable-tsan`? (`tsan: true` in `ocamlc -config`; false where it cannot say.) */
export async function isTsanBuild(tc: Toolchain): Promise<boolean> {
  if (!hasTool(tc, 'ocamlc')) return false;
  const r = await run(tc.bin('ocamlc'), ['-config'], { cwd: tc.prefix, timeoutMs: 60_000 });
  return r.exitCode === 0 && configValue(r.stdout, 'tsan') === 'true';
}
