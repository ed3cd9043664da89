import { run } from '../exec.ts';
import { TIMEOUTS } from '../timeouts.ts';
import { isComputeKernel, type Kernel } from './kernels.ts';
import { kernelCommand, type Built, type VariantName } from './variants.ts';

/**
 * Issue 17: programs that do not crossload must run as with pristine 5.3.0, told apart to 2%. This VM's timings
 * often cannot (7 of 10 ratios kept a spread of 2–7% after 20 repetitions in the full run of 2026-12-05 on 37
 * patches, 1 of 10 in the next), and they move by as much when only where code lands changes. The instructions a
 * kernel executes do not: counted by valgrind (callgrind), they are the same from run to run to a few in a million, so their ratio tells whether the patched compiler and runtime do more
 * work, whatever the timings say about layout.
 */

/** The variants compared: the patched build's plain programs against pristine 5.3.0's. */
export const INSTRUCTION_SIDES = [
  { side: 'native', patched: 'native', pristine: 'pristine-native' },
  { side: 'bytecode', patched: 'byte', pristine: 'pristine-byte' },
] as const satisfies readonly { side: string; patched: VariantName; pristine: VariantName }[];
export type InstructionSide = (typeof INSTRUCTION_SIDES)[number]['side'];

/** Instructions of one run of a kernel (its input `n`) in the patched and the pristine program of one side. */
export interface InstructionCount {
  kernel: string;
  side: InstructionSide;
  n: number;
  patched: number;
  pristine: number;
}

/** The goal: a difference of at most 2% of the instructions. */
export const INSTRUCTION_GOAL = 0.02;

/**
 * The instructions that valgrind's callgrind reports in `stderr` ("==PID== Collected : N"), summed over the processes
 * it followed (a bytecode program may start through a launcher); undefined if there is none.
 */
export function parseCallgrindTotal(stderr: string): number | undefined {
  const counts = [...stderr.matchAll(/^==\d+== Collected : (\d+)$/gm)].map((m) => Number(m[1]));
  return counts.length === 0 ? undefined : counts.reduce((a, b) => a + b, 0);
}

/** Whether valgrind can run here; the reason if not. */
export async function valgrindMissing(): Promise<string | undefined> {
  const r = await run('valgrind', ['--version'], { cwd: process.cwd(), timeoutMs: TIMEOUTS.toolQueryMs }).catch(() => undefined);
  return r?.exitCode === 0 ? undefined : 'valgrind is not installed (apt-get install valgrind)';
}

/** Instructions of a process running `kernel` `reps` times in `built`, under callgrind. */
async function instructionsOf(built: Built, kernel: Kernel, n: number, reps: number): Promise<number> {
  const c = kernelCommand(built, kernel, n, reps);
  const r = await run('valgrind', ['--tool=callgrind', '--trace-children=yes', '--callgrind-out-file=/dev/null', c.file, ...c.args], {
    cwd: c.cwd,
    env: c.env,
    timeoutMs: TIMEOUTS.benchRunMs,
  });
  const total = parseCallgrindTotal(r.stderr);
  if (r.exitCode !== 0 || total === undefined) throw new Error(`valgrind ${kernel.name} in ${built.exe} failed (exit ${r.exitCode}): ${r.stderr.trim().split('\n').pop()}`);
  return total;
}

/**
 * Instructions of one run of `kernel`: a process running it twice minus one running it once, so that what the
 * process does around it (starting, loading, printing) is left out.
 */
export async function kernelInstructions(built: Built, kernel: Kernel, n: number): Promise<number> {
  const once = await instructionsOf(built, kernel, n, 1);
  const twice = await instructionsOf(built, kernel, n, 2);
  return twice - once;
}

/**
 * Counts the compute kernels among `kernels` (at their `countN`) in the patched and pristine programs of each side
 * that were built.
 */
export async function countInstructions(
  built: ReadonlyMap<VariantName, Built>,
  kernels: readonly Kernel[],
  count: (b: Built, k: Kernel, n: number) => Promise<number> = kernelInstructions,
): Promise<InstructionCount[]> {
  const out: InstructionCount[] = [];
  for (const kernel of kernels.filter((k) => isComputeKernel(k) && k.countN !== undefined)) {
    for (const { side, patched, pristine } of INSTRUCTION_SIDES) {
      const p = built.get(patched);
      const q = built.get(pristine);
      if (p === undefined || q === undefined) continue;
      const n = kernel.countN!;
      out.push({ kernel: kernel.name, side, n, patched: await count(p, kernel, n), pristine: await count(q, kernel, n) });
    }
  }
  return out;
}

/** pristine / patched: > 1 when the patched program executes fewer instructions, as time ratios read. */
export const instructionRatio = (c: InstructionCount): number => c.pristine / c.patched;

/** Whether the patched program's instructions are within INSTRUCTION_GOAL of pristine's. */
export const withinInstructionGoal = (c: InstructionCount): boolean => Math.abs(c.patched - c.pristine) <= INSTRUCTION_GOAL * c.pristine;
