import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { run } from './exec.ts';
import type { Outcome } from './outcomes.ts';

/*
 * Fault injection: paths that only a failing allocation takes, run for real. Each case of faults/ is a gdb script
 * (`<case>.gdb`) that runs the program faults/guest_start.ml (built with the installed ocamlopt, -g, and Dynlink),
 * which loads the bytecode faults/plugin.cmo until a load succeeds, and makes one allocation of the runtime fail at a
 * chosen point while the first load starts the guest, by forcing its return value. The lines the program and the
 * plugin print (`load N: …`, `plugin: …`) and those the script prints (`gdb-check: …`) must be `<case>.expected`. A
 * wedged runtime (a mutex left locked) shows as a timeout. Without gdb the cases are skipped, not passed.
 */

export const FAULT_PROGRAM = 'guest_start.ml';
export const FAULT_PLUGIN = 'plugin.ml';

/** The lines of a gdb session that the case compares: the program's and the script's checks, in order. */
export function observedLines(gdbOutput: string): string {
  return gdbOutput
    .split('\n')
    .filter((l) => /^(load \d+: |plugin: |gdb-check: )/.test(l))
    .map((l) => `${l}\n`)
    .join('');
}

export function faultCases(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.gdb') && existsSync(join(dir, f.replace(/\.gdb$/, '.expected'))))
    .map((f) => f.replace(/\.gdb$/, ''))
    .sort();
}

export interface FaultResult {
  name: string;
  outcome: Outcome;
  /** Why it failed or was skipped. */
  detail?: string;
}

/** Whether a gdb session ran the script to its end: gdb exits 0 in batch mode unless a command of the script failed. */
export function judgeFaultRun(name: string, expected: string, ran: { exitCode: number; timedOut: boolean; stdout: string }): FaultResult {
  const observed = observedLines(ran.stdout);
  const problems: string[] = [];
  if (ran.timedOut) problems.push('timed out (the program waits forever: a lock left held?)');
  else if (ran.exitCode !== 0) problems.push(`gdb exited with status ${ran.exitCode} (a command of the script failed)`);
  if (observed !== expected) problems.push(createTwoFilesPatch(`${name}.expected`, 'observed', expected, observed));
  if (problems.length === 0) return { name, outcome: 'passed' };
  return { name, outcome: 'failed', detail: `${problems.join('\n')}\n--- gdb's output ---\n${ran.stdout.split('\n').slice(-30).join('\n')}` };
}

/** Builds the program with the compilers of `bin` and runs every case of `dir` under `gdb`. */
export async function runFaults(dir: string, bin: string, gdb = 'gdb'): Promise<FaultResult[]> {
  const cases = faultCases(dir);
  const probe = await run(gdb, ['--version'], { cwd: dir, timeoutMs: 30_000 }).catch(() => undefined);
  if (!probe || probe.exitCode !== 0) return cases.map((name) => ({ name, outcome: 'skipped', detail: `no ${gdb} on PATH` }));
  const work = mkdtempSync(join(tmpdir(), 'faults-'));
  try {
    cpSync(join(dir, FAULT_PROGRAM), join(work, FAULT_PROGRAM));
    cpSync(join(dir, FAULT_PLUGIN), join(work, FAULT_PLUGIN));
    const builds: [string, string[]][] = [
      ['ocamlc', ['-c', FAULT_PLUGIN]],
      ['ocamlopt', ['-g', '-I', '+dynlink', 'dynlink.cmxa', FAULT_PROGRAM, '-o', 'guest_start']],
    ];
    for (const [compiler, args] of builds) {
      const built = await run(join(bin, compiler), args, { cwd: work, mergeOutput: true, timeoutMs: 300_000 });
      if (built.exitCode !== 0 || built.timedOut) {
        return cases.map((name) => ({ name, outcome: 'failed', detail: `${compiler} ${args.join(' ')} failed:\n${built.stdout}` }));
      }
    }
    const results: FaultResult[] = [];
    for (const name of cases) {
      const ran = await run(gdb, ['-q', '-batch', '-nx', '-x', join(dir, `${name}.gdb`), join(work, 'guest_start')], {
        cwd: work,
        mergeOutput: true,
        timeoutMs: 60_000,
      });
      results.push(judgeFaultRun(name, readFileSync(join(dir, `${name}.expected`), 'utf8'), ran));
    }
    return results;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
