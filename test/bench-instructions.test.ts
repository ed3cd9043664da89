import { describe, expect, it } from 'vitest';
import { countInstructions, instructionRatio, parseCallgrindTotal, withinInstructionGoal, type InstructionCount } from '../harness/bench/instructions.ts';
import { COMPUTE_KERNELS, CROSSING_KERNELS } from '../harness/bench/kernels.ts';
import { figureTable } from '../harness/bench/report.ts';
import { benchSummaryMarkdown, instructionsTable } from '../harness/bench/summary.ts';
import type { Built, VariantName } from '../harness/bench/variants.ts';

describe('bench: patched against pristine by instructions (valgrind)', () => {
  it('reads the total that callgrind reports, summed over the processes it followed', () => {
    const one = '==13894== Callgrind, a call-graph generating cache profiler\n==13894== Events    : Ir\n==13894== Collected : 2109074\n==13894== \n==13894== I   refs:      2,109,074\n';
    expect(parseCallgrindTotal(one)).toBe(2_109_074);
    expect(parseCallgrindTotal(`==1== Collected : 1000\n${one}`)).toBe(2_110_074);
    expect(parseCallgrindTotal('valgrind: command not found\n')).toBeUndefined();
    // Only callgrind's line counts, not a program's output that looks like it
    expect(parseCallgrindTotal('Collected : 5\n')).toBeUndefined();
  });

  it('counts every compute kernel with an input for counting, on each side that has both programs', async () => {
    const fake = (exe: string): Built => ({ exe, dir: exe, pluginFile: () => undefined });
    const built = new Map<VariantName, Built>([
      ['native', fake('native')],
      ['pristine-native', fake('pristine-native')],
      ['byte', fake('byte')], // no pristine bytecode program: that side is left out
    ]);
    const calls: string[] = [];
    const counts = await countInstructions(built, [...COMPUTE_KERNELS.slice(0, 2), ...CROSSING_KERNELS.slice(0, 1)], async (b, k, n) => {
      calls.push(`${b.exe} ${k.name} ${n}`);
      return b.exe === 'native' ? 1000 : 1010;
    });
    expect(calls).toEqual(['native nbody 100000', 'pristine-native nbody 100000', 'native fannkuch 9', 'pristine-native fannkuch 9']);
    expect(counts).toEqual([
      { kernel: 'nbody', side: 'native', n: 100_000, patched: 1000, pristine: 1010 },
      { kernel: 'fannkuch', side: 'native', n: 9, patched: 1000, pristine: 1010 },
    ]);
    expect(instructionRatio(counts[0]!)).toBeCloseTo(1.01, 10);
  });

  it('the goal is 2% either way', () => {
    const c = (patched: number): InstructionCount => ({ kernel: 'sieve', side: 'bytecode', n: 2, patched, pristine: 1000 });
    expect(withinInstructionGoal(c(1020))).toBe(true);
    expect(withinInstructionGoal(c(980))).toBe(true);
    expect(withinInstructionGoal(c(1021))).toBe(false);
    expect(withinInstructionGoal(c(979))).toBe(false);
  });

  it('bench.md shows each count with its ratio and names the counts over the goal; the terminal lists them', () => {
    const counts: InstructionCount[] = [
      { kernel: 'nbody', side: 'native', n: 1, patched: 163_640_000, pristine: 163_620_000 },
      { kernel: 'sieve', side: 'bytecode', n: 1, patched: 1_100_000_000, pristine: 1_000_000_000 },
    ];
    const lines = instructionsTable(counts);
    expect(lines.join('\n')).toContain('| patched vs pristine, native | 1.000× (163.64 M vs 163.62 M) | — |');
    expect(lines.join('\n')).toContain('| patched vs pristine, bytecode | — | 0.909× (1100.00 M vs 1000.00 M) |');
    expect(lines.join('\n')).toContain('Of these 2 counts, 1 are within 2% of pristine\'s; not: sieve, bytecode (0.909×).');
    expect(instructionsTable([])).toEqual([]);
    const md = benchSummaryMarkdown({ date: '2026-12-05T00:00:00Z', machine: { cores: 2 }, repeat: 1, figures: [
      { question: '1. x' as never, label: 'x', value: 1, unit: 'ratio', key: { kind: 'ratio', question: 'native-vs-byte', kernel: 'nbody' } },
    ], extra: {}, skipped: {}, instructions: counts });
    expect(md).toContain('instructions of one run, patched vs pristine 5.3.0');
    expect(figureTable([], {}, counts).join('\n')).toContain('sieve, bytecode');
  });
});
