import { cpSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { run } from '../exec.ts';
import { BuildFailed, type ModeContext, type Observed, type PluginFormat } from './mode.ts';
import { runEnv } from './toolchain.ts';

export type HostKind = 'byte' | 'native';

const SUPPORT_DIR = resolve(import.meta.dirname, '..', '..', 'testsuite', '_support');
const SUPPORT = ['crosstest.mli', 'crosstest.ml'];

async function compile(ctx: ModeContext, tool: string, args: string[]): Promise<void> {
  const r = await run(ctx.tc.bin(tool), args, { cwd: ctx.workDir, logFile: ctx.logFile, timeoutMs: 5 * ctx.timeoutMs });
  if (r.exitCode !== 0 || r.timedOut) {
    throw new BuildFailed(`${tool} ${args.join(' ')}`, readFileSync(ctx.logFile, 'utf8').split('\n').slice(-30).join('\n'));
  }
}

const obj = (src: string, kind: HostKind) => src.replace(/\.ml$/, kind === 'byte' ? '.cmo' : '.cmx');

/**
 * Builds a Dynlink host (bytecode or native) from the test's host sources
 * plus testsuite/_support, and its plugins as .cmo or .cmxs files, all in
 * the mode's work directory.
 */
export async function buildDynlinkProgram(ctx: ModeContext, host: HostKind, plugin: PluginFormat): Promise<void> {
  mkdirSync(ctx.workDir, { recursive: true });
  for (const f of SUPPORT) cpSync(join(SUPPORT_DIR, f), join(ctx.workDir, f));
  for (const f of [...ctx.test.host, ...ctx.test.plugins]) cpSync(join(ctx.test.dir, f), join(ctx.workDir, f));
  const hostTool = host === 'byte' ? 'ocamlc' : 'ocamlopt';
  const common = ['-g', '-I', '+dynlink'];
  for (const src of [...SUPPORT, ...ctx.test.host]) await compile(ctx, hostTool, [...common, '-c', src]);
  const units = ['crosstest.ml', ...ctx.test.host].map((s) => obj(s, host));
  await compile(ctx, hostTool, [...common, '-linkall', host === 'byte' ? 'dynlink.cma' : 'dynlink.cmxa', ...units, '-o', 'host.exe']);
  for (const src of ctx.test.plugins) {
    if (plugin === 'cmo') await compile(ctx, 'ocamlc', ['-g', '-c', src]);
    else await compile(ctx, 'ocamlopt', ['-g', '-shared', '-o', src.replace(/\.ml$/, '.cmxs'), src]);
  }
}

export async function runDynlinkProgram(ctx: ModeContext, plugin: PluginFormat): Promise<Observed> {
  const r = await run(join(ctx.workDir, 'host.exe'), [], {
    cwd: ctx.workDir,
    env: runEnv({ CROSSTEST_PLUGIN_EXT: `.${plugin}`, OCAMLRUNPARAM: ctx.ocamlRunParam }),
    timeoutMs: ctx.timeoutMs,
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.exitCode, timedOut: r.timedOut, durationMs: r.durationMs };
}
