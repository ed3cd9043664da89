import { cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, isAbsolute, join } from 'node:path';
import { run } from '../exec.ts';
import { TIMEOUTS } from '../timeouts.ts';
import { BuildFailed, type HostSpec, type ModeContext, type Observed, type PluginFormat } from './mode.ts';
import { installedCmxs, libraryArchives, libraryIncludes } from './libraries.ts';
import { LOADER, LOADER_ENV, LOADER_LIBRARIES_ENV, loaderEnv, nativeLibrariesHost, type NativeLibrariesHost } from './native-libraries.ts';
import { copyTestFiles, pluginExt, testPluginSteps } from './plugins.ts';
import { programCommand, programEnv, stdlibDir, type Toolchain } from './toolchain.ts';
import { prebuiltRunner, runtimeLinkFlags, runtimeRunParams, runtimeTag } from './runtime-variant.ts';
import { projectPaths } from '../config.ts';

export type HostKind = 'byte' | 'native';

/**
 * How a host is linked: `linkFlags` are its opt-in at link time (e.g.
 * `ocamlc -crossload`); with `nativeLibraries` (byte+cmxs), its library
 * units are .cmxs loaded by a generic bytecode loader before its main unit,
 * a .cmo (native-libraries.ts): native plugins link only against native units.
 */
export interface HostOptions {
  linkFlags?: readonly string[];
  nativeLibraries?: boolean;
}

/** A bytecode host linked with `ocamlc -crossload`: ocamlrun.crossload runs it (runtime-variant.ts for its debug build). */
export function runsOnCrossloadRunner(kind: HostKind, opts: HostOptions): boolean {
  return kind === 'byte' && (opts.linkFlags ?? []).includes('-crossload');
}

/** The link flags of a host: its mode's, then the toolchain's runtime variant (`-runtime-variant d`). */
function hostLinkFlags(tc: Toolchain, opts: HostOptions): string[] {
  return [...(opts.linkFlags ?? []), ...runtimeLinkFlags(tc)];
}

export const SUPPORT_DIR = projectPaths().crosstestSupport;
const SUPPORT = ['crosstest.mli', 'crosstest.ml'].map((f) => join(SUPPORT_DIR, f));

/** The host's sources in link order: the support, then the spec's own (the last is the main unit). */
function hostSources(spec: HostSpec): string[] {
  return [...SUPPORT, ...spec.sources.map((s) => (isAbsolute(s) ? s : join(spec.dir, s)))];
}

/** Runs one compiler invocation in `cwd`, its output to `logFile`; a failure is a BuildFailed with the log's end. */
export async function compile(tool: string, args: string[], cwd: string, logFile: string, timeoutMs: number, tc: ModeContext['tc']): Promise<void> {
  const r = await run(tc.bin(tool), args, { cwd, logFile, timeoutMs });
  if (r.exitCode !== 0 || r.timedOut) {
    throw new BuildFailed(`${tool} ${args.join(' ')}`, readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n'));
  }
}

/** One build per (host kind, host spec) and run: all tests with the same host share it. */
const hostBuilds = new Map<string, Promise<string>>();

/**
 * Builds (once) the Dynlink host of `spec` as bytecode or native code, with
 * testsuite/_support and the spec's `libraries` (libraries.ts) linked in (or, with `nativeLibraries`, as the .cmxs
 * libraries and .cmo main unit that a bytecode loader host.exe loads);
 * returns its directory (host.exe and the .cmi files plugins compile against).
 */
export function buildHost(ctx: ModeContext, kind: HostKind, spec: HostSpec, opts: HostOptions = {}): Promise<string> {
  const dir = hostDir(ctx, kind, spec, opts);
  let build = hostBuilds.get(dir);
  if (!build) {
    build = (opts.nativeLibraries ? buildNativeLibrariesHost(ctx, spec, dir, opts) : doBuildHost(ctx, kind, spec, dir, hostLinkFlags(ctx.tc, opts))).then(() => dir);
    hostBuilds.set(dir, build);
  }
  return build;
}

/**
 * Hosts linked with different flags (e.g. `ocamlc -crossload`), made of native libraries or linked with another
 * runtime variant are different programs.
 */
function hostDir(ctx: ModeContext, kind: HostKind, spec: HostSpec, opts: HostOptions): string {
  return join(ctx.hostsDir, [kind, ...(opts.linkFlags ?? []), opts.nativeLibraries ? '+cmxs-libraries' : '', runtimeTag(ctx.tc)].join(''), spec.key);
}

async function doBuildHost(ctx: ModeContext, kind: HostKind, spec: HostSpec, dir: string, linkFlags: readonly string[]): Promise<void> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const sources = hostSources(spec);
  for (const s of sources) cpSync(s, join(dir, basename(s)));
  const tool = kind === 'byte' ? 'ocamlc' : 'ocamlopt';
  const log = join(dir, 'build.log');
  const libraries = spec.libraries ?? [];
  const common = ['-g', '-I', '+dynlink', ...libraryIncludes(libraries)];
  const timeout = TIMEOUTS.crosstestCompileFactor * ctx.timeoutMs;
  for (const s of sources) await compile(tool, [...common, '-c', basename(s)], dir, log, timeout, ctx.tc);
  const units = sources.map((s) => basename(s)).filter((s) => s.endsWith('.ml')).map((s) => s.replace(/\.ml$/, kind === 'byte' ? '.cmo' : '.cmx'));
  const archives = [...libraryArchives(libraries, kind), kind === 'byte' ? 'dynlink.cma' : 'dynlink.cmxa'];
  await compile(tool, [...common, ...linkFlags, '-linkall', ...archives, ...units, '-o', 'host.exe'], dir, log, timeout, ctx.tc);
}

/**
 * The byte+cmxs host: the library units as .cmxs, the main unit as a .cmo,
 * and the generic bytecode loader (native-libraries.ts, crosstest_loader.ml).
 */
function nativeLibrariesPlan(tc: Toolchain, spec: HostSpec, opts: HostOptions): NativeLibrariesHost {
  return nativeLibrariesHost(hostSources(spec).map((s) => basename(s)), hostLinkFlags(tc, opts), spec.libraries ?? [], (lib) => installedCmxs(stdlibDir(tc), lib));
}

async function buildNativeLibrariesHost(ctx: ModeContext, spec: HostSpec, dir: string, opts: HostOptions): Promise<void> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const sources = [...hostSources(spec), join(SUPPORT_DIR, LOADER)];
  for (const s of sources) cpSync(s, join(dir, basename(s)));
  const log = join(dir, 'build.log');
  for (const step of nativeLibrariesPlan(ctx.tc, spec, opts).steps) await compile(step.tool, step.args, dir, log, TIMEOUTS.crosstestCompileFactor * ctx.timeoutMs, ctx.tc);
}

/**
 * Builds the test's host (shared) and its plugins, as .cmo (or .cma) or
 * .cmxs, in the test's own work directory.
 */
export async function buildDynlinkProgram(ctx: ModeContext, host: HostKind, plugin: PluginFormat, opts: HostOptions = {}): Promise<void> {
  const hostDir = await buildHost(ctx, host, ctx.test.host, opts);
  copyTestFiles(ctx.test, ctx.workDir);
  const timeout = TIMEOUTS.crosstestCompileFactor * ctx.timeoutMs;
  for (const step of testPluginSteps(ctx.test, plugin, hostDir)) await compile(step.tool, step.args, ctx.workDir, ctx.logFile, timeout, ctx.tc);
}

export async function runDynlinkProgram(ctx: ModeContext, host: HostKind, plugin: PluginFormat, opts: HostOptions = {}): Promise<Observed> {
  const dir = hostDir(ctx, host, ctx.test.host, opts);
  const plan = opts.nativeLibraries ? nativeLibrariesPlan(ctx.tc, ctx.test.host, opts) : undefined;
  const loader: Record<string, string> = plan ? { [LOADER_ENV]: loaderEnv(dir, plan.load), [LOADER_LIBRARIES_ENV]: loaderEnv(dir, plan.libraries) } : {};
  const [file, args] = programCommand(ctx.test, ...hostCommand(ctx.tc, host, opts, join(dir, 'host.exe')));
  const r = await run(file, args, {
    cwd: ctx.workDir,
    env: programEnv(ctx.test, [runtimeRunParams(ctx.tc), ctx.ocamlRunParam].join(','), { ...loader, CROSSTEST_PLUGIN_EXT: pluginExt(ctx.test, plugin) }),
    timeoutMs: ctx.timeoutMs,
    mergeOutput: ctx.test.output === 'merged',
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.exitCode, timedOut: r.timedOut, durationMs: r.durationMs };
}

/**
 * How a host is started: by its own first line; on a runtime variant, an `ocamlc -crossload` host by the variant's
 * build of ocamlrun.crossload, named on the command line (its first line names ocamlrun.crossload whatever the
 * variant), as its first line would start it: the program's Sys.argv is the same. The mode is skipped before a run
 * where that runner is missing (dynlink-mode.ts).
 */
export function hostCommand(tc: Toolchain, kind: HostKind, opts: HostOptions, exe: string): [string, string[]] {
  if (!tc.runtime || !runsOnCrossloadRunner(kind, opts)) return [exe, []];
  const runner = prebuiltRunner(tc, 'ocamlrun.crossload');
  if ('missing' in runner) throw new Error(`no runner for ${exe}: ${runner.missing}`);
  return [runner.file, [exe]];
}
