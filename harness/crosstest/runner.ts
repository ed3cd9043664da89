import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { compareWithReference } from './compare.ts';
import { normalizeOutput } from './normalize.ts';
import { BuildFailed, type Mode, type ModeContext } from './mode.ts';
import type { CaseResult } from './results.ts';
import { expectedOutput, type TestCase } from './test-case.ts';
import type { Toolchain } from './toolchain.ts';

export interface RunPlan {
  tests: TestCase[];
  modes: Mode[];
  tc: Toolchain;
  /** Pristine 5.3.0, for the modes whose compiler is 'stock'; without it they are skipped, saying so. */
  stockTc?: Toolchain;
  /** `tc` is configured with `--enable-tsan` (toolchain.ts, `isTsanBuild`): the tests with `skipUnderTsan` are skipped. */
  tsan?: boolean;
  workRoot: string;
  jobs: number;
  timeoutMs: number;
  /** Called as each result is known (progress display). */
  onResult?: (r: CaseResult) => void;
  /** Restricts the (test, mode) pairs to run, e.g. to rerun the last failures. */
  select?: (test: string, mode: string) => boolean;
}

/** Runs `jobs` promises at a time, keeping results in input order. */
async function pool<T, R>(items: readonly T[], jobs: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, worker));
  return results;
}

/** A mode name as one path component: GC-stress variants are named `<mode>/gc-stress`. */
const dirName = (name: string) => name.replaceAll('/', '@');

/** Where the programs of `test` for one build key are built, shared by the modes of that key (and their GC-stress variants). */
export function buildDir(workRoot: string, test: string, buildKey: string): string {
  return join(workRoot, 'tests', test, 'build', dirName(buildKey));
}

/**
 * The private directory of one run of `test` in `mode` (GC-stress variants included): a fresh copy of its build
 * directory, so what one run writes is never seen by another.
 */
export function runDir(workRoot: string, test: string, mode: string): string {
  return join(workRoot, 'tests', test, 'runs', dirName(mode));
}

/**
 * Every test in every mode: one unit of work per (test, build), so a mode
 * and its GC-stress variant share one build; each run has its own directory.
 * Results come back in test-then-mode order whatever the scheduling.
 */
export async function runPlan(plan: RunPlan): Promise<CaseResult[]> {
  const dirNames = new Set(plan.modes.map((m) => dirName(m.name)));
  if (dirNames.size !== plan.modes.length) throw new Error(`two modes would share a run directory: ${plan.modes.map((m) => m.name).join(', ')}`);
  const unavailable = new Map<string, string | undefined>();
  for (const m of plan.modes) {
    const tc = toolchainOf(plan, m);
    unavailable.set(m.name, tc ? await m.unavailable(tc) : NO_STOCK_COMPILER);
  }
  const buildKeys = [...new Set(plan.modes.map((m) => m.buildKey))];
  const selected = plan.select ?? (() => true);
  const units = plan.tests
    .flatMap((test) => buildKeys.map((key) => ({ test, modes: plan.modes.filter((m) => m.buildKey === key && selected(test.name, m.name)) })))
    .filter((u) => u.modes.length > 0);
  // The tests that run alone come after the others, one at a time: nothing else then takes a core from their domains.
  const runUnitOf = (u: (typeof units)[number]) => runUnit(plan, u.test, u.modes, unavailable);
  const beside = await pool(units.filter((u) => u.test.runsAlone === undefined), plan.jobs, runUnitOf);
  const alone = await pool(units.filter((u) => u.test.runsAlone !== undefined), 1, runUnitOf);
  const perUnit = [...beside, ...alone];
  const order = new Map(plan.modes.map((m, i) => [m.name, i]));
  return perUnit.flat().sort((a, b) => a.test.localeCompare(b.test) || order.get(a.mode)! - order.get(b.mode)!);
}

export const NO_STOCK_COMPILER = 'no pristine 5.3.0 build to run stock ocaml (crosstest builds it in .cache/pristine/ unless --no-build; or --pristine PREFIX)';

/** The compiler a mode builds and runs with. */
function toolchainOf(plan: RunPlan, mode: Mode): Toolchain | undefined {
  return mode.compiler === 'stock' ? plan.stockTc : plan.tc;
}

/** A fresh, empty directory. */
function freshDir(dir: string): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

async function runUnit(plan: RunPlan, test: TestCase, modes: Mode[], unavailable: Map<string, string | undefined>): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  const emit = (r: CaseResult) => {
    results.push(r);
    plan.onResult?.(r);
  };
  const runnable = modes.filter((m) => {
    const why =
      unavailable.get(m.name) ??
      m.skip?.(test) ??
      test.skipModes?.[m.baseName ?? m.name] ??
      test.skipFamilies?.[m.family] ??
      (plan.tsan && m.compiler === 'patched' ? test.skipUnderTsan : undefined);
    if (why !== undefined) emit({ test: test.name, mode: m.name, status: 'skipped', durationMs: 0, reason: why });
    return why === undefined;
  });
  if (runnable.length === 0) return results;
  const built = freshDir(buildDir(plan.workRoot, test.name, runnable[0]!.buildKey));
  const ctx: ModeContext = {
    test,
    // Every mode of a unit has the same build key, so the same compiler.
    tc: toolchainOf(plan, runnable[0]!)!,
    workDir: built,
    hostsDir: join(plan.workRoot, runnable[0]!.compiler === 'stock' ? 'hosts-stock' : 'hosts'),
    logFile: join(built, 'build.log'),
    timeoutMs: plan.timeoutMs,
    ocamlRunParam: '',
  };
  const started = performance.now();
  try {
    await runnable[0]!.build(ctx);
  } catch (e) {
    const output = e instanceof BuildFailed ? `${e.command}\n${e.output}` : String(e);
    for (const m of runnable) emit({ test: test.name, mode: m.name, status: 'failed', durationMs: performance.now() - started, reason: 'build failed', buildOutput: output });
    return results;
  }
  for (const mode of runnable) {
    const workDir = runDir(plan.workRoot, test.name, mode.name);
    rmSync(workDir, { recursive: true, force: true });
    cpSync(built, workDir, { recursive: true });
    const observed = await mode.run({ ...ctx, workDir });
    const base = {
      test: test.name,
      mode: mode.name,
      durationMs: observed.durationMs,
      ...(test.output === 'separate' ? { observed: { stdout: observed.stdout, stderr: observed.stderr, status: observed.status } } : {}),
    };
    if (observed.timedOut) {
      emit({ ...base, status: 'timeout', reason: `killed after ${Math.round(observed.durationMs / 1000)}s` });
      continue;
    }
    const expected = {
      stdout: expectedOutput(test, 'stdout', mode),
      stderr: expectedOutput(test, 'stderr', mode),
      status: test.status,
    };
    const mismatches = compareWithReference(expected, observed, mode.name, (t) => normalizeOutput(test, t));
    emit(
      mismatches.length === 0
        ? { ...base, status: 'passed' }
        : { ...base, status: 'failed', reason: mismatches.map((m) => (m.firstLine ? `${m.what} differs from line ${m.firstLine}` : `${m.what} differs`)).join('; '), mismatches },
    );
  }
  return results;
}
