import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WorkbenchError } from '../errors.ts';
import { run } from '../exec.ts';
import { TIMEOUTS } from '../timeouts.ts';
import { readSeed, type Seed } from './plan.ts';

/**
 * Builds, in the fuzzer's cache directory, the seed plugins and the four loader hosts:
 * the crossloading ones (patched compiler: a native program loading .cmo/.cma into the guest, a `-crossload`
 * bytecode program run by ocamlrun.crossload loading .cmxs) and the stock ones (pristine 5.3.0: a bytecode program
 * loading .cmo/.cma, a native one loading .cmxs). Rebuilt only when a source, a step or a compiler changed, so
 * that the seeds (whose bytes the mutants are made of) stay the same between a run and its replays.
 *
 * The bytecode seeds are built by the patched compiler (bytecode files are the same as 5.3.0's), the `.cmxs` seed by
 * pristine 5.3.0's: both loaders must accept the seed, and a plugin built by the series' ocamlopt refers to the
 * runtime's `caml_apply_guest` (its `caml_applyN` hand guest closures to the guest, patch 0031), which pristine's
 * runtime lacks, while the series' runtime loads plugins of 5.3.0's ocamlopt as they are.
 */

const HERE = dirname(fileURLToPath(import.meta.url));
export const SEED_SOURCES = ['seed_unit.ml', 'lib_a.ml', 'lib_b.ml'].map((f) => join(HERE, 'seeds', f));
export const HOST_SOURCE = join(HERE, 'host', 'fuzz_host.ml');

/** The seed files, by name, in the seeds directory. */
export const SEED_FILES = ['seed_unit.cmo', 'seed_lib.cma', 'seed_unit.cmxs'] as const;

export const HOSTS = ['crossload-native', 'crossload-byte', 'stock-byte', 'stock-native'] as const;
export type HostName = (typeof HOSTS)[number];

export interface Prefixes {
  /** The patched compiler's install prefix. */
  prefix: string;
  /** Pristine 5.3.0's install prefix. */
  pristine: string;
}

interface Step {
  dir: string;
  tool: string;
  args: string[];
}

/** Every compile and link step, in order: the seeds, then the hosts. */
export function buildSteps(cacheDir: string, p: Prefixes): Step[] {
  const seeds = join(cacheDir, 'seeds');
  const patched = (tool: string) => join(p.prefix, 'bin', tool);
  const pristine = (tool: string) => join(p.pristine, 'bin', tool);
  const host = (name: HostName, tool: string, flags: string[], lib: string): Step => ({
    dir: join(cacheDir, 'hosts', name),
    tool,
    args: [...flags, '-linkall', '-I', '+dynlink', lib, 'fuzz_host.ml', '-o', 'host.exe'],
  });
  return [
    { dir: seeds, tool: patched('ocamlc'), args: ['-g', '-c', 'seed_unit.ml'] },
    { dir: seeds, tool: pristine('ocamlopt'), args: ['-shared', 'seed_unit.ml', '-o', 'seed_unit.cmxs'] },
    { dir: seeds, tool: patched('ocamlc'), args: ['-c', 'lib_a.ml', 'lib_b.ml'] },
    { dir: seeds, tool: patched('ocamlc'), args: ['-a', 'lib_a.cmo', 'lib_b.cmo', '-o', 'seed_lib.cma'] },
    host('crossload-native', patched('ocamlopt'), [], 'dynlink.cmxa'),
    host('crossload-byte', patched('ocamlc'), ['-crossload'], 'dynlink.cma'),
    host('stock-byte', pristine('ocamlc'), [], 'dynlink.cma'),
    host('stock-native', pristine('ocamlopt'), [], 'dynlink.cmxa'),
  ];
}

/** The programs the fuzz runs need, checked before anything is built. */
export function requiredTools(p: Prefixes): string[] {
  return [
    ...['ocamlc', 'ocamlopt', 'ocamlrun.crossload'].map((t) => join(p.prefix, 'bin', t)),
    ...['ocamlc', 'ocamlopt', 'ocamlrun'].map((t) => join(p.pristine, 'bin', t)),
  ];
}

/** What decides the products: the sources, the steps, and the compilers (size and time of each program). */
function stamp(steps: readonly Step[], p: Prefixes): string {
  const h = createHash('sha256');
  for (const f of [...SEED_SOURCES, HOST_SOURCE]) h.update(f).update(readFileSync(f));
  for (const s of steps) h.update(JSON.stringify(s));
  for (const t of requiredTools(p)) {
    const st = statSync(t);
    h.update(`${t} ${st.size} ${st.mtimeMs}`);
  }
  return h.digest('hex');
}

export interface FuzzInputs {
  seeds: Seed[];
  /** The host program of each name (host.exe in its directory). */
  hosts: Record<HostName, string>;
  /** Whether this call built them (false: the cache was up to date). */
  built: boolean;
}

export async function buildFuzzInputs(cacheDir: string, p: Prefixes): Promise<FuzzInputs> {
  const missing = requiredTools(p).filter((t) => !existsSync(t));
  if (missing.length > 0) {
    throw new WorkbenchError(
      `the fuzzer needs the patched compiler and pristine 5.3.0; missing: ${missing.join(', ')}`,
      'Build the patched compiler with npm run build-ocaml and pristine 5.3.0 with npm run crosstest (or bench), or name them with --prefix and --pristine.',
    );
  }
  const steps = buildSteps(cacheDir, p);
  const stampFile = join(cacheDir, 'build.stamp');
  const want = stamp(steps, p);
  const hosts = Object.fromEntries(HOSTS.map((h) => [h, join(cacheDir, 'hosts', h, 'host.exe')])) as Record<HostName, string>;
  const products = [...SEED_FILES.map((f) => join(cacheDir, 'seeds', f)), ...Object.values(hosts)];
  const upToDate = existsSync(stampFile) && readFileSync(stampFile, 'utf8') === want && products.every((f) => existsSync(f));
  if (!upToDate) {
    rmSync(stampFile, { force: true });
    for (const d of ['seeds', 'hosts']) rmSync(join(cacheDir, d), { recursive: true, force: true });
    mkdirSync(join(cacheDir, 'seeds'), { recursive: true });
    for (const s of SEED_SOURCES) copyFileSync(s, join(cacheDir, 'seeds', s.slice(s.lastIndexOf('/') + 1)));
    for (const h of HOSTS) {
      mkdirSync(join(cacheDir, 'hosts', h), { recursive: true });
      copyFileSync(HOST_SOURCE, join(cacheDir, 'hosts', h, 'fuzz_host.ml'));
    }
    const log = join(cacheDir, 'build.log');
    rmSync(log, { force: true });
    for (const s of steps) {
      const r = await run(s.tool, s.args, { cwd: s.dir, logFile: log, timeoutMs: TIMEOUTS.crosstestCompileFactor * TIMEOUTS.crosstestRunS * 1000 });
      if (r.exitCode !== 0 || r.timedOut) {
        throw new WorkbenchError(`building the fuzzer's seeds and hosts failed: ${s.tool} ${s.args.join(' ')} (in ${s.dir})\n${readFileSync(log, 'utf8').split('\n').slice(-20).join('\n')}`, `See ${log}.`);
      }
    }
    writeFileSync(stampFile, want);
  }
  return { seeds: SEED_FILES.map((f) => readSeed(join(cacheDir, 'seeds', f))), hosts, built: !upToDate };
}
