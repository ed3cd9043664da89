import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { basename, isAbsolute, join } from 'node:path';
import { EVAL_ARCHIVES, evalLibraryIn } from '../eval-library.ts';
import { run } from '../exec.ts';
import { TIMEOUTS } from '../timeouts.ts';
import { compile, SUPPORT_DIR } from './dynlink-program.ts';
import { libraryArchives, libraryIncludes } from './libraries.ts';
import type { CompileFlags, HostSpec, ModeContext, Observed } from './mode.ts';
import { copyTestFiles } from './plugins.ts';
import { programCommand, programEnv, stdlibDir, type Toolchain } from './toolchain.ts';
import { runtimeLinkFlags, runtimeRunParams, runtimeTag } from './runtime-variant.ts';

/**
 * native+eval: a native host linked with the Eval library (`ocamleval.cmxa`, patch 0029) compiles each plugin's
 * source at run time, to bytecode in memory, and runs it in the guest interpreter: no plugin is built. The host is
 * built as the library's documentation says (`ocamlopt -I +compiler-libs -I +dynlink ocamlcommon.cmxa
 * ocamlbytecomp.cmxa dynlink.cmxa dynlink_guest.cmxa ocamleval.cmxa …`), with the Eval flavour of the crosstest support
 * (testsuite/_support/eval/crosstest.ml): `Crosstest.load "plugin"` evaluates `#mod_use "plugin.ml"` in the
 * program's one context, whose load path has the host's build directory (its .cmi files) and the test's libraries
 * (`+unix`…), and a plugin's compile flags are those the .cmo modes give ocamlc.
 */

/** The mode's name (modes/native-eval.ts), for the rules of OCaml's corpus that concern it (ocaml-corpus.ts). */
export const EVAL_MODE = 'native+eval';

/** The archives every native+eval host links, in order, after the test's libraries. */
export { EVAL_ARCHIVES };

/** The environment variables the Eval flavour of the support reads (eval/crosstest.ml). */
export const EVAL_INCLUDE_ENV = 'CROSSTEST_EVAL_INCLUDE';
export const EVAL_FLAGS_ENV = 'CROSSTEST_EVAL_FLAGS';

/** The installed Eval library: without it the mode is skipped, saying so. */
export function evalLibrary(tc: Toolchain): string {
  return evalLibraryIn(stdlibDir(tc));
}

export function hasEvalLibrary(tc: Toolchain): boolean {
  return existsSync(evalLibrary(tc));
}

/** The compiler invocations that build a native+eval host in its directory, which holds its sources (basenames, link order). */
export function evalHostSteps(files: readonly string[], libraries: readonly string[], linkFlags: readonly string[]): Array<{ tool: 'ocamlopt'; args: string[] }> {
  const common = ['-g', '-I', '+dynlink', ...libraryIncludes(libraries)];
  // Only the support uses the compiler's libraries: the host's own units are compiled without +compiler-libs in
  // their load path, which holds units such as main.cmi (ocamlc's Main).
  const compileSteps = files.map((f) => ({ tool: 'ocamlopt' as const, args: [...common, ...(f === 'crosstest.ml' ? ['-I', '+compiler-libs'] : []), '-c', f] }));
  const units = files.filter((f) => f.endsWith('.ml')).map((f) => f.replace(/\.ml$/, '.cmx'));
  const link = { tool: 'ocamlopt' as const, args: [...common, '-I', '+compiler-libs', ...linkFlags, '-linkall', ...libraryArchives(libraries, 'native'), ...EVAL_ARCHIVES, ...units, '-o', 'host.exe'] };
  return [...compileSteps, link];
}

/** The value of CROSSTEST_EVAL_INCLUDE: the host's build directory, then `+L` for each of the test's libraries. */
export function evalIncludeEnv(hostDir: string, libraries: readonly string[]): string {
  const dirs = [hostDir, ...libraries.map((lib) => `+${lib}`)];
  const bad = dirs.find((d) => d.includes(':'));
  if (bad !== undefined) throw new Error(`${EVAL_INCLUDE_ENV} is ':'-separated: cannot name ${bad}`);
  return dirs.join(':');
}

/**
 * The value of CROSSTEST_EVAL_FLAGS: the test's flags for its bytecode plugins (`all`, then `cmo`, as ocamlc gets
 * them in the .cmo modes; plugins.ts), space-separated.
 */
export function evalFlagsEnv(flags: CompileFlags = {}): string {
  const words = [...(flags.all ?? []), ...(flags.cmo ?? [])];
  const bad = words.find((w) => /\s/.test(w) || w === '');
  if (bad !== undefined) throw new Error(`${EVAL_FLAGS_ENV} is space-separated: cannot pass the flag ${JSON.stringify(bad)}`);
  return words.join(' ');
}

const hostBuilds = new Map<string, Promise<string>>();

function evalHostDir(ctx: ModeContext, spec: HostSpec): string {
  return join(ctx.hostsDir, `native+eval${runtimeTag(ctx.tc)}`, spec.key);
}

/** Builds (once per host spec) the native+eval host of `spec`; returns its directory (host.exe and the .cmi files scripts use). */
export function buildEvalHost(ctx: ModeContext, spec: HostSpec): Promise<string> {
  const dir = evalHostDir(ctx, spec);
  let build = hostBuilds.get(dir);
  if (!build) {
    build = (async () => {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      cpSync(join(SUPPORT_DIR, 'crosstest.mli'), join(dir, 'crosstest.mli'));
      cpSync(join(SUPPORT_DIR, 'eval', 'crosstest.ml'), join(dir, 'crosstest.ml'));
      const paths = spec.sources.map((s) => (isAbsolute(s) ? s : join(spec.dir, s)));
      for (const p of paths) cpSync(p, join(dir, basename(p)));
      const files = ['crosstest.mli', 'crosstest.ml', ...paths.map((p) => basename(p))];
      const log = join(dir, 'build.log');
      const timeout = TIMEOUTS.crosstestCompileFactor * ctx.timeoutMs;
      for (const step of evalHostSteps(files, spec.libraries ?? [], runtimeLinkFlags(ctx.tc))) await compile(step.tool, step.args, dir, log, timeout, ctx.tc);
      return dir;
    })();
    hostBuilds.set(dir, build);
  }
  return build;
}

/** Builds the test's host (shared) and copies its plugin sources (and data files) into its work directory: nothing else is built. */
export async function buildEvalProgram(ctx: ModeContext): Promise<void> {
  await buildEvalHost(ctx, ctx.test.host);
  copyTestFiles(ctx.test, ctx.workDir);
}

export async function runEvalProgram(ctx: ModeContext): Promise<Observed> {
  const dir = evalHostDir(ctx, ctx.test.host);
  const [file, args] = programCommand(ctx.test, join(dir, 'host.exe'), []);
  const r = await run(file, args, {
    cwd: ctx.workDir,
    env: programEnv(ctx.test, [runtimeRunParams(ctx.tc), ctx.ocamlRunParam].join(','), {
      [EVAL_INCLUDE_ENV]: evalIncludeEnv(dir, ctx.test.host.libraries ?? []),
      [EVAL_FLAGS_ENV]: evalFlagsEnv(ctx.test.compileFlags),
    }),
    timeoutMs: ctx.timeoutMs,
    mergeOutput: ctx.test.output === 'merged',
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.exitCode, timedOut: r.timedOut, durationMs: r.durationMs };
}
