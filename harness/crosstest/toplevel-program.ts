import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, isAbsolute, join } from 'node:path';
import { run } from '../exec.ts';
import { TIMEOUTS } from '../timeouts.ts';
import { installedCmxs, libraryIncludes, toplevelLibraryDirectives } from './libraries.ts';
import { BuildFailed, type HostSpec, type ModeContext, type Observed, type PluginFormat } from './mode.ts';
import { copyTestFiles, pluginExt, testPluginSteps } from './plugins.ts';
import { programCommand, programEnv, stdlibDir, type Toolchain } from './toolchain.ts';
import { prebuiltRunner, runtimeRunParams } from './runtime-variant.ts';
import { projectPaths } from '../config.ts';

/** `ocaml` (bytecode) or `ocaml.opt` (the bytecode toplevel compiled natively). */
export type Toplevel = 'ocaml' | 'ocaml.opt';

const SUPPORT = projectPaths().crosstestSupport;

async function compileIn(tc: Toolchain, tool: string, args: string[], cwd: string, logFile: string, timeoutMs: number): Promise<void> {
  const r = await run(tc.bin(tool), args, { cwd, logFile, timeoutMs });
  if (r.exitCode !== 0 || r.timedOut) throw new BuildFailed(`${tool} ${args.join(' ')}`, readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n'));
}

const scripts = new Map<string, Promise<string>>();

function scriptDir(ctx: ModeContext, spec: HostSpec, plugin: PluginFormat): string {
  return join(ctx.hostsDir, `toplevel-${plugin}`, spec.key);
}

/**
 * Turns a host into a toplevel script (once per host spec and plugin
 * format): the host's library units are #loaded, with the toplevel flavour
 * of the crosstest support (plugins loaded as by #load), and the main
 * source follows under a line directive, so messages keep its own line
 * numbers. With .cmxs plugins the host's libraries are #loaded as .cmxs
 * too, as a user of native libraries would: native code can only link
 * against units that exist natively. Both toplevels run the same script.
 * The spec's `libraries` are loaded first, by directives at the top of the
 * script (libraries.ts: their .cmxs with .cmxs plugins where one is installed).
 */
function buildScript(ctx: ModeContext, spec: HostSpec, plugin: PluginFormat): Promise<string> {
  const dir = scriptDir(ctx, spec, plugin);
  let build = scripts.get(dir);
  if (!build) {
    build = (async () => {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      const log = join(dir, 'build.log');
      cpSync(join(SUPPORT, 'crosstest.mli'), join(dir, 'crosstest.mli'));
      cpSync(join(SUPPORT, 'toplevel', 'crosstest.ml'), join(dir, 'crosstest.ml'));
      const paths = spec.sources.map((s) => (isAbsolute(s) ? s : join(spec.dir, s)));
      for (const p of paths) cpSync(p, join(dir, basename(p)));
      const libs = paths.slice(0, -1).map((p) => basename(p));
      const main = basename(paths[paths.length - 1]!);
      const libraries = spec.libraries ?? [];
      const include = libraryIncludes(libraries);
      const timeout = TIMEOUTS.crosstestCompileFactor * ctx.timeoutMs;
      for (const f of ['crosstest.mli', 'crosstest.ml', ...libs]) await compileIn(ctx.tc, 'ocamlc', ['-g', '-I', '+compiler-libs', ...include, '-c', f], dir, log, timeout);
      const libUnits = libs.filter((f) => f.endsWith('.ml'));
      if (plugin === 'cmxs') {
        for (const f of libs) await compileIn(ctx.tc, 'ocamlopt', ['-g', ...include, ...(f.endsWith('.ml') ? ['-shared', '-o', f.replace(/\.ml$/, '.cmxs')] : ['-c']), f], dir, log, timeout);
      }
      const loads = [
        ...toplevelLibraryDirectives(libraries, plugin, (lib) => installedCmxs(stdlibDir(ctx.tc), lib) !== undefined),
        '#load "crosstest.cmo";;\n',
        ...libUnits.map((f) => `#load "${f.replace(/\.ml$/, plugin === 'cmxs' ? '.cmxs' : '.cmo')}";;\n`),
      ];
      const script = `#directory "${dir}";;\n${loads.join('')}# 1 "${main}"\n${readFileSync(join(dir, main), 'utf8')}`;
      writeFileSync(join(dir, 'script.ml'), script);
      return dir;
    })();
    scripts.set(dir, build);
  }
  return build;
}

export async function buildToplevelProgram(ctx: ModeContext, plugin: PluginFormat): Promise<void> {
  const dir = await buildScript(ctx, ctx.test.host, plugin);
  copyTestFiles(ctx.test, ctx.workDir);
  const timeout = TIMEOUTS.crosstestCompileFactor * ctx.timeoutMs;
  for (const step of testPluginSteps(ctx.test, plugin, dir)) await compileIn(ctx.tc, step.tool, step.args, ctx.workDir, ctx.logFile, timeout);
}

export async function runToplevelProgram(ctx: ModeContext, toplevel: Toplevel, plugin: PluginFormat): Promise<Observed> {
  const script = join(scriptDir(ctx, ctx.test.host, plugin), 'script.ml');
  const command = toplevelCommand(ctx.tc, toplevel);
  if ('missing' in command) throw new Error(`cannot run ${toplevel}: ${command.missing}`);
  const [file, args] = programCommand(ctx.test, command.file, [...command.args, '-noinit', script]);
  const r = await run(file, args, {
    cwd: ctx.workDir,
    env: programEnv(ctx.test, [runtimeRunParams(ctx.tc), ctx.ocamlRunParam].join(','), { CROSSTEST_PLUGIN_EXT: pluginExt(ctx.test, plugin) }),
    timeoutMs: ctx.timeoutMs,
    mergeOutput: ctx.test.output === 'merged',
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.exitCode, timedOut: r.timedOut, durationMs: r.durationMs };
}

export function hasToplevel(tc: Toolchain, toplevel: Toplevel): boolean {
  return existsSync(tc.bin(toplevel));
}

/** The runner that the first line of the bytecode executable `file` names (`/…/bin/ocamlrun.crossload`), if any. */
export function shebangRunner(file: string): string | undefined {
  const head = readFileSync(file).subarray(0, 4096).toString('latin1');
  return head.startsWith('#!') ? head.slice(2).split('\n')[0]!.trim().split(/\s+/)[0] : undefined;
}

/**
 * How a toplevel is started on the toolchain's runtime: itself on the normal runtime. On a runtime variant
 * (`--runtime d`, runtime-variant.ts), `ocaml.opt` by its own variant build (`ocamld.opt`), and `ocaml` by the
 * variant of the runner its first line names: ocamlrun.crossload's variant build (`ocamlrund.crossload`) where it is
 * an `ocamlc -crossload` program, else `ocamlrund`. `missing` says why it cannot run there (the mode is skipped).
 */
export function toplevelCommand(tc: Toolchain, toplevel: Toplevel): { file: string; args: string[] } | { missing: string } {
  if (!tc.runtime) return { file: tc.bin(toplevel), args: [] };
  if (toplevel === 'ocaml.opt') {
    const runner = prebuiltRunner(tc, 'ocaml.opt');
    return 'missing' in runner ? runner : { file: runner.file, args: [] };
  }
  const named = shebangRunner(tc.bin(toplevel));
  if (named !== undefined && basename(named) === 'ocamlrun.crossload') {
    const runner = prebuiltRunner(tc, 'ocamlrun.crossload', 'ocaml');
    return 'missing' in runner ? runner : { file: runner.file, args: [tc.bin(toplevel)] };
  }
  const runner = tc.bin(`ocamlrun${tc.runtime}`);
  return existsSync(runner) ? { file: runner, args: [tc.bin(toplevel)] } : { missing: `no ocamlrun${tc.runtime} in ${tc.prefix}/bin to run ${toplevel} on it` };
}
