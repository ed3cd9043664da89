import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../exec.ts';
import { runEnv } from '../crosstest/toolchain.ts';
import { classify, isFinding, verdictLine, type Classified } from './classify.ts';
import type { FileKind } from './layout.ts';
import type { Loader, Role } from './loaders.ts';
import { makeMutant, type Recipe, type Seed } from './plan.ts';

/** One run of a loader host on a mutant. */
export interface LoaderRun extends Classified {
  exitCode: number;
  signal?: string;
  timedOut: boolean;
  durationMs: number;
  /** The first lines of stderr (crashes only). */
  stderrHead?: string[];
  /** A crash after the host printed its verdict: that verdict. */
  verdictBeforeCrash?: string;
}

/**
 * A candidate finding run again. A mutated header can make both loaders read memory whose contents vary from run to
 * run (relocated pointers, with addresses randomised), so one run of the stock loader surviving says little: it is
 * run up to STOCK_RECHECKS times, and a crash there makes the mutant a crash of both. The crossloading loader is run
 * CROSSLOAD_RECHECKS times, to say how often it crashes.
 */
export interface Recheck {
  stockRuns: number;
  /** The first crash of the stock loader in the reruns, if any. */
  stockCrash?: string;
  /**
   * When the reruns did not crash it: the first error memcheck reported in one more run of the stock loader under
   * valgrind (`Invalid read of size 8`…), if any. A stock loader that reads or writes memory it must not has not
   * refused the file cleanly: it survives by luck (what lies where it reads), and the mutant is a crash of both.
   */
  stockMemoryError?: string;
  crossloadRuns: number;
  crossloadCrashes: number;
}

export const STOCK_RECHECKS = 10;
export const CROSSLOAD_RECHECKS = 5;

/** How many times longer than a plain run a run under memcheck may take. */
export const MEMCHECK_SLOWDOWN = 20;

/**
 * The loader run under valgrind's memcheck, which exits MEMCHECK_EXIT_CODE when it reports an error (no leak
 * checks: the hosts exit without freeing).
 */
export const MEMCHECK_EXIT_CODE = 99;
export function underMemcheck(loader: Loader): Loader {
  return {
    ...loader,
    description: `${loader.description}, under valgrind memcheck`,
    command: (file) => {
      const [cmd, args] = loader.command(file);
      return ['valgrind', ['-q', `--error-exitcode=${MEMCHECK_EXIT_CODE}`, '--leak-check=no', cmd, ...args]];
    },
  };
}

/** The first error of memcheck's report (`Invalid read of size 8`), without its `==pid==` prefix. */
export function memcheckError(stderrHead: readonly string[] | undefined): string | undefined {
  const line = stderrHead?.find((l) => /^==\d+== (Invalid|Use of uninitialised|Conditional jump|Syscall param|Mismatched|Source and destination)/.test(l));
  return line?.replace(/^==\d+== /, '');
}

export interface MutantResult {
  recipe: Recipe;
  /** The mutant's size in bytes. */
  size: number;
  crossload: LoaderRun;
  stock: LoaderRun;
  /** Only for mutants whose first runs made a finding. */
  recheck?: Recheck;
  finding: boolean;
}

/** Did the stock loader crash on this mutant, in its first run or a rerun, or make memory errors under memcheck? */
export function stockCrashed(r: Pick<MutantResult, 'stock' | 'recheck'>): boolean {
  return r.stock.verdict === 'crashed' || r.recheck?.stockCrash !== undefined || r.recheck?.stockMemoryError !== undefined;
}

/** How many lines of stderr a crash keeps. */
const STDERR_LINES = 8;

/** Runs a loader on `file`, without core dumps, in `cwd`, and classifies the run. */
export async function runLoader(loader: Loader, file: string, cwd: string, timeoutS: number): Promise<LoaderRun> {
  const [cmd, args] = loader.command(file);
  // exec: the shell becomes the host, so a signal that kills the host is the run's signal.
  const r = await run('/bin/sh', ['-c', 'ulimit -c 0; exec "$0" "$@"', cmd, ...args], { cwd, env: runEnv({}), timeoutMs: timeoutS * 1000 });
  const c = classify(r, timeoutS);
  const printed = c.verdict === 'crashed' ? verdictLine(r.stdout) : undefined;
  return {
    ...c,
    exitCode: r.exitCode,
    ...(r.signal ? { signal: r.signal } : {}),
    timedOut: r.timedOut,
    durationMs: Math.round(r.durationMs),
    ...(c.verdict === 'crashed' ? { stderrHead: r.stderr.split('\n').filter((l) => l.trim() !== '').slice(0, STDERR_LINES) } : {}),
    ...(printed !== undefined ? { verdictBeforeCrash: printed } : {}),
  };
}

export interface FuzzOptions {
  ids: readonly string[];
  seeds: readonly Seed[];
  loaders: (kind: FileKind) => Record<Role, Loader>;
  /** Where mutants are written while they run. */
  workDir: string;
  /** Where the mutants of this run's findings are kept (emptied first). */
  findingsDir: string;
  jobs: number;
  timeoutS: number;
  /** Run the stock loader under memcheck when its reruns survive a candidate finding (valgrind is installed). */
  memcheck: boolean;
  onResult?: (r: MutantResult) => void;
}

/** The file a mutant is written to: named after its id, with its kind's extension (Dynlink looks at it). */
export function mutantFile(dir: string, recipe: Recipe): string {
  return join(dir, `${recipe.id}.${recipe.kind}`);
}

/** Feeds one mutant to both loaders of its kind: first the crossloading one, then the stock one. */
export async function runMutant(id: string, o: Omit<FuzzOptions, 'ids' | 'jobs' | 'onResult'>): Promise<MutantResult> {
  const { recipe, bytes } = makeMutant(id, o.seeds);
  const file = mutantFile(o.workDir, recipe);
  writeFileSync(file, bytes);
  try {
    const loaders = o.loaders(recipe.kind);
    const crossload = await runLoader(loaders.crossload, file, o.workDir, o.timeoutS);
    const stock = await runLoader(loaders.stock, file, o.workDir, o.timeoutS);
    if (!isFinding(crossload.verdict, stock.verdict)) return { recipe, size: bytes.length, crossload, stock, finding: false };
    const recheck: Recheck = { stockRuns: 0, crossloadRuns: 0, crossloadCrashes: 0 };
    while (recheck.stockRuns < STOCK_RECHECKS && recheck.stockCrash === undefined) {
      const again = await runLoader(loaders.stock, file, o.workDir, o.timeoutS);
      recheck.stockRuns++;
      if (again.verdict === 'crashed') recheck.stockCrash = again.detail;
    }
    if (recheck.stockCrash === undefined && o.memcheck) {
      const checked = await runLoader(underMemcheck(loaders.stock), file, o.workDir, o.timeoutS * MEMCHECK_SLOWDOWN);
      if (checked.verdict === 'crashed') recheck.stockMemoryError = memcheckError(checked.stderrHead) ?? `under memcheck: ${checked.detail}`;
    }
    for (; recheck.crossloadRuns < CROSSLOAD_RECHECKS; recheck.crossloadRuns++) {
      if ((await runLoader(loaders.crossload, file, o.workDir, o.timeoutS)).verdict === 'crashed') recheck.crossloadCrashes++;
    }
    const finding = recheck.stockCrash === undefined && recheck.stockMemoryError === undefined;
    if (finding) writeFileSync(mutantFile(o.findingsDir, recipe), bytes);
    return { recipe, size: bytes.length, crossload, stock, recheck, finding };
  } finally {
    rmSync(file, { force: true });
  }
}

/** Runs every mutant, `jobs` at a time; results in the order of `ids`. */
export async function fuzz(o: FuzzOptions): Promise<MutantResult[]> {
  mkdirSync(o.workDir, { recursive: true });
  // Only this run's findings: a replay or gdb finds them there.
  rmSync(o.findingsDir, { recursive: true, force: true });
  mkdirSync(o.findingsDir, { recursive: true });
  const results: MutantResult[] = new Array(o.ids.length);
  let next = 0;
  const worker = async () => {
    while (next < o.ids.length) {
      const i = next++;
      const r = await runMutant(o.ids[i]!, o);
      results[i] = r;
      o.onResult?.(r);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, o.jobs) }, worker));
  return results;
}
