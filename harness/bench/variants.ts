import { cpSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { run } from '../exec.ts';
import type { Kernel } from './kernels.ts';

const BENCH_DIR = resolve(import.meta.dirname, '..', '..', 'bench');
const UNITS = ['nbody', 'fannkuch', 'binary_trees', 'sieve', 'strings_hashtbl', 'crossing'];

/**
 * One way of running a kernel: a host (bytecode or native) with the kernel
 * linked in, or loaded as a plugin in some format, built with some compiler.
 */
export interface Variant {
  name: string;
  prefix: string;
  host: 'byte' | 'native';
  /** undefined = the kernel is linked into the host (a plain program). */
  plugin?: 'cmo' | 'cmxs';
}

export interface Built {
  exe: string;
  dir: string;
  /** BENCH_PLUGIN value for a kernel's unit, if loaded as a plugin. */
  pluginFile(unit: string): string | undefined;
}

async function tool(prefix: string, name: string, args: string[], cwd: string): Promise<void> {
  const log = join(cwd, 'build.log');
  const r = await run(join(prefix, 'bin', name), args, { cwd, logFile: log });
  if (r.exitCode !== 0) throw new Error(`${name} ${args.join(' ')} failed:\n${readFileSync(log, 'utf8').slice(-2000)}`);
}

/** Builds the host (and the kernels, linked in or as plugins) for `v` under `workDir`. */
export async function buildVariant(v: Variant, workDir: string): Promise<Built> {
  const dir = join(workDir, v.name);
  mkdirSync(dir, { recursive: true });
  for (const f of ['bench_api.ml', 'bench_host.ml']) cpSync(join(BENCH_DIR, 'host', f), join(dir, f));
  for (const u of UNITS) cpSync(join(BENCH_DIR, 'kernels', `${u}.ml`), join(dir, `${u}.ml`));
  const [compiler, obj, lib] = v.host === 'byte' ? ['ocamlc', '.cmo', 'dynlink.cma'] : ['ocamlopt', '.cmx', 'dynlink.cmxa'];
  const flags = ['-I', '+dynlink'];
  await tool(v.prefix, compiler, [...flags, '-c', 'bench_api.ml'], dir);
  const linked = v.plugin ? [] : UNITS;
  for (const u of linked) await tool(v.prefix, compiler, [...flags, '-c', `${u}.ml`], dir);
  await tool(v.prefix, compiler, [...flags, '-c', 'bench_host.ml'], dir);
  // A bytecode host loading .cmxs opts in at link time (it then runs on ocamlrun.crossload).
  const optIn = v.host === 'byte' && v.plugin === 'cmxs' ? ['-crossload'] : [];
  await tool(v.prefix, compiler, [...flags, ...optIn, '-linkall', lib, 'bench_api' + obj, ...linked.map((u) => u + obj), 'bench_host' + obj, '-o', 'host.exe'], dir);
  if (v.plugin === 'cmo') for (const u of UNITS) await tool(v.prefix, 'ocamlc', ['-c', `${u}.ml`], dir);
  if (v.plugin === 'cmxs') for (const u of UNITS) await tool(v.prefix, 'ocamlopt', ['-shared', '-o', `${u}.cmxs`, `${u}.ml`], dir);
  return { exe: join(dir, 'host.exe'), dir, pluginFile: (unit) => (v.plugin ? join(dir, `${unit}.${v.plugin}`) : undefined) };
}

export interface Sample {
  /** Processor seconds of one run of the kernel. */
  seconds: number;
  checksum: string;
}

/** Runs `kernel` `reps` times in one process; also returns the plugin load time if any. */
export async function runKernel(built: Built, kernel: Kernel, n: number, reps: number): Promise<{ samples: Sample[]; loadSeconds?: number }> {
  const plugin = built.pluginFile(kernel.unit);
  const r = await run(built.exe, [], {
    cwd: built.dir,
    env: { BENCH_KERNEL: kernel.name, BENCH_N: String(n), BENCH_REPS: String(reps), OCAMLRUNPARAM: '', ...(plugin ? { BENCH_PLUGIN: plugin } : {}) },
    timeoutMs: 600_000,
  });
  if (r.exitCode !== 0) throw new Error(`${kernel.name} failed (exit ${r.exitCode}): ${r.stderr.trim().split('\n').pop()}`);
  const samples = [...r.stdout.matchAll(/^time (\S+) checksum (\S+)$/gm)].map((m) => ({ seconds: Number(m[1]), checksum: m[2]! }));
  const load = /^load (\S+)$/m.exec(r.stdout);
  return { samples, ...(load ? { loadSeconds: Number(load[1]) } : {}) };
}

/** Size in bytes of a native hello-world without Dynlink, built by `prefix`. */
export async function helloSize(prefix: string, workDir: string): Promise<number> {
  const dir = join(workDir, `hello-${prefix.replace(/[^a-z0-9]/gi, '_')}`);
  mkdirSync(dir, { recursive: true });
  const { writeFileSync } = await import('node:fs');
  writeFileSync(join(dir, 'hello.ml'), 'let () = print_endline "hello"\n');
  await tool(prefix, 'ocamlopt', ['hello.ml', '-o', 'hello.exe'], dir);
  return statSync(join(dir, 'hello.exe')).size;
}

export function prefixHasCompiler(prefix: string): boolean {
  return existsSync(join(prefix, 'bin', 'ocamlopt'));
}
