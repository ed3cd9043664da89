import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { WorkbenchError } from '../errors.ts';

/**
 * The runtime the testsuite's programs run on (`ocaml-testsuite --runtime d`), switched as upstream switches it:
 * `make -C testsuite USE_RUNTIME=d` (testsuite/Makefile) sets USE_RUNTIME for ocamltest, which then links native
 * test programs with `-runtime-variant d` and runs bytecode ones with runtime/ocamlrund (ocamltest/ocaml_files.ml,
 * ocaml_flags.ml): the debug runtime, where the runtime's CAMLassert checks are compiled in. The Makefile also sets
 * OCAMLRUNPARAM to v=0 unless the environment sets it, since the debug runtime is verbose by default (its GC
 * messages would break the tests' reference outputs).
 *
 * Only `d` is offered: upstream's other variant, `i` (the instrumented runtime), is not part of this project's checks.
 */
export const RUNTIME_VARIANTS = ['d'] as const;
export type RuntimeVariant = (typeof RUNTIME_VARIANTS)[number];

const DESCRIPTIONS: Record<RuntimeVariant, string> = { d: 'debug runtime' };

/** `debug runtime` */
export function runtimeVariantDescription(runtime: RuntimeVariant): string {
  return DESCRIPTIONS[runtime];
}

/**
 * What the testsuite's Makefile adds to ocamltest's environment for `USE_RUNTIME=runtime` (nothing for the normal
 * runtime): USE_RUNTIME itself and, as its `export OCAMLRUNPARAM?=v=0`, OCAMLRUNPARAM unless `parentEnv` has it.
 */
export function runtimeVariantEnv(runtime: RuntimeVariant | undefined, parentEnv: Readonly<Record<string, string | undefined>> = process.env): Record<string, string> {
  if (runtime === undefined) return {};
  return { USE_RUNTIME: runtime, ...(parentEnv.OCAMLRUNPARAM === undefined ? { OCAMLRUNPARAM: 'v=0' } : {}) };
}

/** The files of a built tree that ocamltest uses for the variant: the bytecode runner and the native runtime library. */
export function runtimeVariantFiles(srcDir: string, runtime: RuntimeVariant): string[] {
  return [join(srcDir, 'runtime', `ocamlrun${runtime}`), join(srcDir, 'runtime', `libasmrun${runtime}.a`)];
}

/** Fails, before ocamltest runs, when the tree lacks the variant's runtime (configured with --disable-debug-runtime, or not built). */
export function requireRuntimeVariant(srcDir: string, runtime: RuntimeVariant): void {
  const missing = runtimeVariantFiles(srcDir, runtime).filter((f) => !existsSync(f));
  if (missing.length > 0) {
    throw new WorkbenchError(
      `the ${runtimeVariantDescription(runtime)} is not built in ${srcDir}: no ${missing.join(', no ')}`,
      'Build the tree (npm run build-ocaml) with the debug runtime: workbench.json configureFlags must not hold --disable-debug-runtime.',
    );
  }
}

/** The name of a run in its summary line: `ocaml-testsuite`, `ocaml-testsuite (debug runtime, series tests)` … */
export function suiteLabel(o: { runtime?: RuntimeVariant | undefined; series?: boolean }): string {
  const parts = [...(o.runtime ? [runtimeVariantDescription(o.runtime)] : []), ...(o.series ? ['series tests'] : [])];
  return parts.length > 0 ? `ocaml-testsuite (${parts.join(', ')})` : 'ocaml-testsuite';
}
