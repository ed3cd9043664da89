import { cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { run } from '../exec.ts';
import { BuildFailed, type ModeContext, type Observed, type PluginFormat } from './mode.ts';
import type { HostSpec } from './test-case.ts';
import { runEnv } from './toolchain.ts';

export type HostKind = 'byte' | 'native';

const SUPPORT_DIR = resolve(import.meta.dirname, '..', '..', 'testsuite', '_support');
const SUPPORT = ['crosstest.mli', 'crosstest.ml'].map((f) => join(SUPPORT_DIR, f));

async function compile(tool: string, args: string[], cwd: string, logFile: string, timeoutMs: number, tc: ModeContext['tc']): Promise<void> {
  const r = await run(tc.bin(tool), args, { cwd, logFile, timeoutMs });
  if (r.exitCode !== 0 || r.timedOut) {
    throw new BuildFailed(`${tool} ${args.join(' ')}`, readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n'));
  }
}

/** One build per (host kind, host spec) and run: all tests with the same host share it. */
const hostBuilds = new Map<string, Promise<string>>();

/**
 * Builds (once) the Dynlink host of `spec` as bytecode or native code, with
 * testsuite/_support linked in; returns its directory (host.exe and the
 * .cmi files plugins compile against).
 */
export function buildHost(ctx: ModeContext, kind: HostKind, spec: HostSpec, linkFlags: readonly string[] = []): Promise<string> {
  const dir = hostDir(ctx, kind, spec, linkFlags);
  let build = hostBuilds.get(dir);
  if (!build) {
    build = doBuildHost(ctx, kind, spec, dir, linkFlags).then(() => dir);
    hostBuilds.set(dir, build);
  }
  return build;
}

/** Hosts linked with different flags (e.g. `ocamlc -crossload`) are different programs. */
function hostDir(ctx: ModeContext, kind: HostKind, spec: HostSpec, linkFlags: readonly string[]): string {
  return join(ctx.hostsDir, [kind, ...linkFlags].join(''), spec.key);
}

async function doBuildHost(ctx: ModeContext, kind: HostKind, spec: HostSpec, dir: string, linkFlags: readonly string[]): Promise<void> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const sources = [...SUPPORT, ...spec.sources.map((s) => (isAbsolute(s) ? s : join(spec.dir, s)))];
  for (const s of sources) cpSync(s, join(dir, basename(s)));
  const tool = kind === 'byte' ? 'ocamlc' : 'ocamlopt';
  const log = join(dir, 'build.log');
  const common = ['-g', '-I', '+dynlink'];
  const timeout = 5 * ctx.timeoutMs;
  for (const s of sources) await compile(tool, [...common, '-c', basename(s)], dir, log, timeout, ctx.tc);
  const units = sources.map((s) => basename(s)).filter((s) => s.endsWith('.ml')).map((s) => s.replace(/\.ml$/, kind === 'byte' ? '.cmo' : '.cmx'));
  await compile(tool, [...common, ...linkFlags, '-linkall', kind === 'byte' ? 'dynlink.cma' : 'dynlink.cmxa', ...units, '-o', 'host.exe'], dir, log, timeout, ctx.tc);
}

/**
 * Builds the test's host (shared) and its plugins, as .cmo or .cmxs, in the
 * test's own work directory.
 */
export async function buildDynlinkProgram(ctx: ModeContext, host: HostKind, plugin: PluginFormat, linkFlags: readonly string[] = []): Promise<void> {
  const hostDir = await buildHost(ctx, host, ctx.test.host, linkFlags);
  mkdirSync(ctx.workDir, { recursive: true });
  for (const f of ctx.test.plugins) cpSync(join(ctx.test.dir, f), join(ctx.workDir, f));
  const timeout = 5 * ctx.timeoutMs;
  for (const src of ctx.test.plugins) {
    const args =
      plugin === 'cmo'
        ? ['-g', '-I', hostDir, '-c', src]
        : ['-g', '-I', hostDir, '-shared', '-o', src.replace(/\.ml$/, '.cmxs'), src];
    await compile(plugin === 'cmo' ? 'ocamlc' : 'ocamlopt', args, ctx.workDir, ctx.logFile, timeout, ctx.tc);
  }
}

export async function runDynlinkProgram(ctx: ModeContext, host: HostKind, plugin: PluginFormat, linkFlags: readonly string[] = []): Promise<Observed> {
  const exe = join(hostDir(ctx, host, ctx.test.host, linkFlags), 'host.exe');
  const r = await run(exe, [], {
    cwd: ctx.workDir,
    env: runEnv({ ...ctx.test.env, CROSSTEST_PLUGIN_EXT: `.${plugin}`, OCAMLRUNPARAM: ctx.ocamlRunParam }),
    timeoutMs: ctx.timeoutMs,
    mergeOutput: ctx.test.output === 'merged',
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.exitCode, timedOut: r.timedOut, durationMs: r.durationMs };
}
