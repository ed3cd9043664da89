import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { WorkbenchError } from '../errors.ts';
import { RUNTIME_VARIANTS, runtimeVariantDescription, type RuntimeVariant } from '../ocaml-testsuite/runtime-variant.ts';
import type { Toolchain } from './toolchain.ts';

/**
 * `crosstest --runtime d`: the programs under test run on the debug runtime, where the runtime's CAMLassert checks
 * (the guest interpreter's and crossload.c's included) are compiled in. As upstream's testsuite does for
 * `USE_RUNTIME=d` (ocaml-testsuite/runtime-variant.ts), hosts are linked with `-runtime-variant d`: a native host
 * then links libasmrund.a, and a bytecode host's first line names `ocamlrund` instead of `ocamlrun`; OCAMLRUNPARAM
 * starts with `v=0`, as the debug runtime is verbose by default. Plugins are unchanged (a .cmo or .cmxs holds no
 * runtime). The programs the installed compiler ships, rather than crosstest links, need a debug build of their
 * own, named here (`debugPrograms`), and the modes that run them are skipped, saying so, where the prefix lacks it.
 *
 * The toolchain of `toplevel.stock` (pristine 5.3.0, the toplevels' reference) has no runtime variant: the
 * reference run stays on the normal runtime.
 */
export const CROSSTEST_RUNTIMES = RUNTIME_VARIANTS;
export type { RuntimeVariant };

/** The link flags that select the runtime variant of the toolchain (none for the normal runtime). */
export function runtimeLinkFlags(tc: Pick<Toolchain, 'runtime'>): string[] {
  return tc.runtime ? ['-runtime-variant', tc.runtime] : [];
}

/** OCAMLRUNPARAM settings that the variant needs before the mode's and the test's (`v=0` for the debug runtime). */
export function runtimeRunParams(tc: Pick<Toolchain, 'runtime'>): string {
  return tc.runtime === 'd' ? 'v=0' : '';
}

/** A path component naming the variant ('' for the normal runtime), for directories of programs linked for it. */
export function runtimeTag(tc: Pick<Toolchain, 'runtime'>): string {
  return tc.runtime ? `+runtime-${tc.runtime}` : '';
}

/**
 * The prebuilt programs of the installed compiler that run test programs, and the file (in the prefix's bin/) of
 * their build linked with the variant's runtime. `ocamlrun.crossload` runs every `ocamlc -crossload` program (the
 * byte+cmxs hosts, and `ocaml`, which is one); `ocaml.opt` is a native program of its own. upstream installs
 * `ocamlrund` beside `ocamlrun`; these are the names crosstest looks for beside theirs.
 */
export const PREBUILT_RUNNERS = ['ocamlrun.crossload', 'ocaml.opt'] as const;
export type PrebuiltRunner = (typeof PREBUILT_RUNNERS)[number];

export function variantProgramName(program: PrebuiltRunner, runtime: RuntimeVariant): string {
  return program === 'ocamlrun.crossload' ? `ocamlrun${runtime}.crossload` : `ocaml${runtime}.opt`;
}

/**
 * Why the programs that `program` runs are on the normal runtime whatever crosstest links, for the skip reasons:
 * `what` is those programs (`byte+cmxs hosts`, `ocaml`).
 */
function whyNormalRuntime(program: PrebuiltRunner, what: string): string {
  return program === 'ocamlrun.crossload'
    ? `${what} ${what === 'ocaml' ? 'is an ocamlc -crossload program' : 'are ocamlc -crossload programs'}, run by ocamlrun.crossload, whose build on the debug runtime ` +
        '(ocamlrund.crossload, made by the series where configure builds the debug runtime) this prefix lacks'
    : 'ocaml.opt is a native program, whose build on the debug runtime (ocamld.opt, made by the series where configure builds the debug runtime) this prefix lacks';
}

/**
 * The file that runs `program`'s part on the toolchain's runtime: `program` itself for the normal runtime; for a
 * variant, its variant build in the prefix's bin/ when installed, else `{ missing }`, the reason the mode is skipped
 * (`what`: the programs it would run, for that reason).
 */
export function prebuiltRunner(tc: Toolchain, program: PrebuiltRunner, what: string = program): { file: string } | { missing: string } {
  if (!tc.runtime) return { file: tc.bin(program) };
  const name = variantProgramName(program, tc.runtime);
  const file = tc.bin(name);
  if (existsSync(file)) return { file };
  return {
    missing:
      `not on the ${runtimeVariantDescription(tc.runtime)} (--runtime ${tc.runtime}): ${whyNormalRuntime(program, what)}; ` +
      `${tc.prefix}/bin has no ${name} (${program} linked with -runtime-variant ${tc.runtime})`,
  };
}

/** The files of an installed prefix that linking with `-runtime-variant` and running on the variant need. */
export function prefixRuntimeVariantFiles(tc: Pick<Toolchain, 'prefix' | 'bin'>, runtime: RuntimeVariant): string[] {
  return [tc.bin(`ocamlrun${runtime}`), join(tc.prefix, 'lib', 'ocaml', `libasmrun${runtime}.a`)];
}

/** Fails, before any test is built, when the installed prefix lacks the variant's runtime (configured with --disable-debug-runtime). */
export function requirePrefixRuntimeVariant(tc: Pick<Toolchain, 'prefix' | 'bin'>, runtime: RuntimeVariant): void {
  const missing = prefixRuntimeVariantFiles(tc, runtime).filter((f) => !existsSync(f));
  if (missing.length > 0) {
    throw new WorkbenchError(
      `the ${runtimeVariantDescription(runtime)} is not installed in ${tc.prefix}: no ${missing.join(', no ')}`,
      'Build and install the compiler with it (npm run build-ocaml): workbench.json configureFlags must not hold --disable-debug-runtime.',
    );
  }
}
