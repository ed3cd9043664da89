import { cpSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../exec.ts';
import { C_CALLBACK_UNIT, HOST_UNITS, isComputeKernel, TOPLEVEL_UNITS, type Kernel } from './kernels.ts';
import { TIMEOUTS } from '../timeouts.ts';
import { projectPaths } from '../config.ts';

const BENCH_DIR = projectPaths().benchSources;


/**
 * One way of running a kernel: a host (bytecode or native) with the kernel
 * linked in, or loaded as a plugin in some format, built with the patched
 * compiler or pristine 5.3.0; or a toplevel script that #loads the kernel as
 * a .cmxs.
 */
export type VariantSpec =
  | {
      name: string;
      build: 'patched' | 'pristine';
      host: 'byte' | 'native';
      /** undefined = the kernel is linked into the host (a plain program). */
      plugin?: 'cmo' | 'cmxs';
    }
  | {
      name: string;
      build: 'patched';
      /** The toplevel (in prefix/bin) that runs a script #loading bench_api.cmxs and the kernel's .cmxs. */
      host: 'toplevel';
      toplevel: 'ocaml' | 'ocaml.opt';
      plugin: 'cmxs';
    };

/** Every variant, the one list; the questions (questions.ts) compare them by these names. */
export const VARIANTS = [
  { name: 'native', build: 'patched', host: 'native' },
  { name: 'byte', build: 'patched', host: 'byte' },
  { name: 'native+cmxs', build: 'patched', host: 'native', plugin: 'cmxs' },
  { name: 'byte+cmo', build: 'patched', host: 'byte', plugin: 'cmo' },
  { name: 'native+cmo', build: 'patched', host: 'native', plugin: 'cmo' },
  { name: 'byte+cmxs', build: 'patched', host: 'byte', plugin: 'cmxs' },
  { name: 'ocaml.opt+cmxs', build: 'patched', host: 'toplevel', toplevel: 'ocaml.opt', plugin: 'cmxs' },
  { name: 'ocaml+cmxs', build: 'patched', host: 'toplevel', toplevel: 'ocaml', plugin: 'cmxs' },
  { name: 'pristine-native', build: 'pristine', host: 'native' },
  { name: 'pristine-byte', build: 'pristine', host: 'byte' },
] as const satisfies readonly VariantSpec[];

export type VariantName = (typeof VARIANTS)[number]['name'];

/** A variant with the install prefix of the compiler that builds it. */
export type Variant = VariantSpec & { name: VariantName; prefix: string };

/** The variants of a run: every one whose compiler is there (the pristine ones only with a pristine prefix). */
export function benchVariants(prefixes: { patched: string; pristine?: string }): Variant[] {
  return VARIANTS.flatMap((v): Variant[] => {
    const prefix = v.build === 'patched' ? prefixes.patched : prefixes.pristine;
    return prefix === undefined ? [] : [{ ...v, prefix }];
  });
}

export interface Built {
  exe: string;
  dir: string;
  /** BENCH_PLUGIN value for a kernel's unit, if loaded as a plugin. */
  pluginFile(unit: string): string | undefined;
  /** Command-line arguments for a kernel's unit (a toplevel's script). */
  args?(unit: string): string[];
  /**
   * Only the compute kernels: the crossing and iterator kernels measure a host↔plugin boundary that a toplevel
   * variant lacks, and the closures kernels on domains need the host's wall clock.
   */
  computeOnly?: boolean;
  /** A program of its own for a kernel unit that the host cannot hold (C stubs in bytecode need -custom). */
  exeFor?(unit: string): string | undefined;
  /** BENCH_SECOND_PLUGIN: a small unit that the host loads after the kernel's plugin, timing a load that is not the first. */
  secondPlugin?: string;
}

async function tool(prefix: string, name: string, args: string[], cwd: string): Promise<void> {
  const log = join(cwd, 'build.log');
  const r = await run(join(prefix, 'bin', name), args, { cwd, logFile: log });
  if (r.exitCode !== 0) throw new Error(`${name} ${args.join(' ')} failed:\n${readFileSync(log, 'utf8').slice(-2000)}`);
}

/** Builds the host (and the kernels, linked in or as plugins) for `v` under `workDir`. */
export async function buildVariant(v: Variant, workDir: string): Promise<Built> {
  if (v.host === 'toplevel') return buildToplevelVariant(v, workDir);
  const dir = join(workDir, v.name);
  mkdirSync(dir, { recursive: true });
  for (const f of ['bench_api.ml', 'bench_host.ml', 'bench_loader.ml', `${SECOND_PLUGIN_UNIT}.ml`]) cpSync(join(BENCH_DIR, 'host', f), join(dir, f));
  for (const u of HOST_UNITS) cpSync(join(BENCH_DIR, 'kernels', `${u}.ml`), join(dir, `${u}.ml`));
  // Unix for the wall clock that bench_host.ml gives Bench_api (the kernels that run several domains).
  const [compiler, obj, libs] = v.host === 'byte' ? ['ocamlc', '.cmo', ['unix.cma', 'dynlink.cma']] as const : ['ocamlopt', '.cmx', ['unix.cmxa', 'dynlink.cmxa']] as const;
  const flags = ['-I', '+dynlink', '-I', '+unix'];
  await tool(v.prefix, compiler, [...flags, '-c', 'bench_api.ml'], dir);
  const linked = v.plugin ? [] : HOST_UNITS;
  for (const u of linked) await tool(v.prefix, compiler, [...flags, '-c', `${u}.ml`], dir);
  await tool(v.prefix, compiler, [...flags, '-c', 'bench_host.ml'], dir);
  if (v.host === 'byte' && v.plugin === 'cmxs') {
    // The plugins can only use native units: Bench_api is loaded as a .cmxs, then the host proper as a .cmo (see bench_loader.ml).
    // The bytecode host opts in at link time (-crossload: it then runs on ocamlrun.crossload).
    await tool(v.prefix, 'ocamlopt', ['-c', 'bench_api.ml'], dir);
    await tool(v.prefix, 'ocamlopt', ['-shared', '-o', 'bench_api.cmxs', 'bench_api.cmx'], dir);
    await tool(v.prefix, compiler, [...flags, '-c', 'bench_loader.ml'], dir);
    await tool(v.prefix, compiler, [...flags, '-crossload', '-linkall', ...libs, 'bench_loader.cmo', '-o', 'host.exe'], dir);
  } else {
    await tool(v.prefix, compiler, [...flags, '-linkall', ...libs, 'bench_api' + obj, ...linked.map((u) => u + obj), 'bench_host' + obj, '-o', 'host.exe'], dir);
  }
  const pluginUnits = [...HOST_UNITS, SECOND_PLUGIN_UNIT];
  if (v.plugin === 'cmo') for (const u of pluginUnits) await tool(v.prefix, 'ocamlc', ['-c', `${u}.ml`], dir);
  if (v.plugin === 'cmxs') for (const u of pluginUnits) await tool(v.prefix, 'ocamlopt', ['-shared', '-o', `${u}.cmxs`, `${u}.ml`], dir);
  // The caml_callback reference of the crossing cost, in plain programs only.
  let cCallback: string | undefined;
  if (!v.plugin) {
    for (const f of ['c_callback.ml', 'c_callback_stubs.c']) cpSync(join(BENCH_DIR, 'kernels', f), join(dir, f));
    await tool(v.prefix, compiler, [...(v.host === 'byte' ? ['-custom'] : []), 'c_callback_stubs.c', 'bench_api' + obj, 'c_callback.ml', '-o', 'c_callback.exe'], dir);
    cCallback = join(dir, 'c_callback.exe');
  }
  return {
    exe: join(dir, 'host.exe'),
    dir,
    pluginFile: (unit) => (v.plugin && unit !== C_CALLBACK_UNIT ? join(dir, `${unit}.${v.plugin}`) : undefined),
    exeFor: (unit) => (unit === C_CALLBACK_UNIT ? cCallback : undefined),
    ...(v.plugin ? { secondPlugin: join(dir, `${SECOND_PLUGIN_UNIT}.${v.plugin}`) } : {}),
  };
}

/** For each kernel unit, a script: #load bench_api.cmxs and the unit's .cmxs, then #use the host loop (bench/host/bench_toplevel.ml). */
async function buildToplevelVariant(v: Extract<Variant, { host: 'toplevel' }>, workDir: string): Promise<Built> {
  const dir = join(workDir, v.name);
  mkdirSync(dir, { recursive: true });
  for (const f of ['bench_api.ml', 'bench_toplevel.ml']) cpSync(join(BENCH_DIR, 'host', f), join(dir, f));
  for (const u of TOPLEVEL_UNITS) cpSync(join(BENCH_DIR, 'kernels', `${u}.ml`), join(dir, `${u}.ml`));
  for (const u of ['bench_api', ...TOPLEVEL_UNITS]) {
    await tool(v.prefix, 'ocamlopt', ['-c', `${u}.ml`], dir);
    await tool(v.prefix, 'ocamlopt', ['-shared', '-o', `${u}.cmxs`, `${u}.cmx`], dir);
  }
  for (const u of TOPLEVEL_UNITS) {
    const script = [`#directory ${JSON.stringify(dir)};;`, '#load "bench_api.cmxs";;', `#load ${JSON.stringify(`${u}.cmxs`)};;`, '#use "bench_toplevel.ml";;', ''];
    writeFileSync(join(dir, `host-${u}.ml`), script.join('\n'));
  }
  return {
    exe: join(v.prefix, 'bin', v.toplevel),
    dir,
    pluginFile: (unit) => join(dir, `${unit}.cmxs`),
    args: (unit) => ['-noinit', join(dir, `host-${unit}.ml`)],
    computeOnly: true,
  };
}

export interface Sample {
  /** Processor seconds of one run of the kernel. */
  seconds: number;
  checksum: string;
}

/** Whether `built` can run `kernel` at all (C_CALLBACK_UNIT only where its own program was built). */
export function canRun(built: Built, kernel: Kernel): boolean {
  if (kernel.unit === C_CALLBACK_UNIT) return built.exeFor?.(kernel.unit) !== undefined;
  return !built.computeOnly || isComputeKernel(kernel);
}

/** The environment that selects `kernel` in a host (Bench_api.run_selected_kernel), and its clock. */
export function kernelEnv(kernel: Kernel, n: number, reps: number): Record<string, string> {
  return { BENCH_KERNEL: kernel.name, BENCH_N: String(n), BENCH_REPS: String(reps), OCAMLRUNPARAM: '', BENCH_CLOCK: kernel.clock === 'wall' ? 'wall' : 'process' };
}

/** The unit that plugin hosts load after the kernel's (bench/host/bench_second.ml). */
export const SECOND_PLUGIN_UNIT = 'bench_second';

/**
 * Runs `kernel` `reps` times in one process; also returns the time of the first plugin load if any (the kernel's,
 * which in a native host loading bytecode also starts the guest) and of a later one (`secondPlugin`).
 */
export async function runKernel(
  built: Built,
  kernel: Kernel,
  n: number,
  reps: number,
): Promise<{ samples: Sample[]; loadSeconds?: number; laterLoadSeconds?: number }> {
  const c = kernelCommand(built, kernel, n, reps);
  const r = await run(c.file, c.args, { cwd: c.cwd, env: c.env, timeoutMs: TIMEOUTS.benchRunMs });
  if (r.exitCode !== 0) throw new Error(`${kernel.name} failed (exit ${r.exitCode}): ${r.stderr.trim().split('\n').pop()}`);
  const samples = [...r.stdout.matchAll(/^time (\S+) checksum (\S+)$/gm)].map((m) => ({ seconds: Number(m[1]), checksum: m[2]! }));
  const load = /^load (\S+)$/m.exec(r.stdout);
  const later = /^load2 (\S+)$/m.exec(r.stdout);
  return { samples, ...(load ? { loadSeconds: Number(load[1]) } : {}), ...(later ? { laterLoadSeconds: Number(later[1]) } : {}) };
}

/** The command that runs `kernel` `reps` times in `built` (runKernel; instructions.ts runs it under valgrind). */
export function kernelCommand(built: Built, kernel: Kernel, n: number, reps: number): { file: string; args: string[]; cwd: string; env: Record<string, string> } {
  const plugin = built.pluginFile(kernel.unit);
  const own = built.exeFor?.(kernel.unit);
  const second: Record<string, string> = plugin && built.secondPlugin ? { BENCH_SECOND_PLUGIN: built.secondPlugin } : {};
  return {
    file: own ?? built.exe,
    args: own ? [] : (built.args?.(kernel.unit) ?? []),
    cwd: built.dir,
    env: { ...kernelEnv(kernel, n, reps), ...(plugin ? { BENCH_PLUGIN: plugin } : {}), ...second },
  };
}

/** Size in bytes of a native program built by `prefix` from one source, `name`.ml, with extra `ocamlopt` arguments. */
async function nativeProgramSize(prefix: string, workDir: string, name: string, source: string, args: readonly string[]): Promise<number> {
  const dir = join(workDir, `${name}-${prefix.replace(/[^a-z0-9]/gi, '_')}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.ml`), source);
  await tool(prefix, 'ocamlopt', [...args, `${name}.ml`, '-o', `${name}.exe`], dir);
  return statSync(join(dir, `${name}.exe`)).size;
}

/** Size in bytes of a native hello-world without Dynlink, built by `prefix`. */
export function helloSize(prefix: string, workDir: string): Promise<number> {
  return nativeProgramSize(prefix, workDir, 'hello', 'let () = print_endline "hello"\n', []);
}

/**
 * Size in bytes of a native program that links Dynlink and loads the file named on its command line (issue 17's
 * "native program linking dynlink.cmxa that never loads bytecode"), built by `prefix`.
 */
export function dynlinkProgramSize(prefix: string, workDir: string): Promise<number> {
  const source = 'let () = if Array.length Sys.argv > 1 then Dynlink.loadfile Sys.argv.(1)\n';
  return nativeProgramSize(prefix, workDir, 'loader', source, ['-I', '+dynlink', 'dynlink.cmxa']);
}

export function prefixHasCompiler(prefix: string): boolean {
  return existsSync(join(prefix, 'bin', 'ocamlopt'));
}
