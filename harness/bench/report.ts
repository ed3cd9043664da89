import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { ratioChartSvg } from './chart.ts';
import { evalExtra, type EvalMeasurement } from './eval.ts';
import { INSTRUCTION_GOAL, instructionRatio, type InstructionCount } from './instructions.ts';
import type { Figure, Samples } from './questions.ts';
import type { KernelSamples } from './sampling.ts';
import { median, ratioSpread } from './stats.ts';
import { benchSummaryMarkdown, formatOtherFigure, type BenchSummaryInput } from './summary.ts';
import { toplevelExtra, type ToplevelTiming } from './toplevels.ts';
import type { VariantName } from './variants.ts';

/** reports/bench.json: the figures, and every sample they come from. */
export interface BenchReport extends BenchSummaryInput {
  quick: boolean;
  inner: number;
  samples: Record<string, Record<string, number[]>>;
  loads: Record<string, number[]>;
  /** Variant → seconds of a later Dynlink.loadfile (after the first) of each process. */
  laterLoads: Record<string, number[]>;
  /** Every wall time of every toplevel on every phrase script, in the order measured. */
  toplevels: ToplevelTiming[];
  /** The evaluated phrases (eval.ts): every wall time, the host's own timings, the memory measures, the outputs. */
  eval: EvalMeasurement;
  /** Kernels whose variants computed different checksums, and files of the evaluated phrases whose runs printed different things. */
  checksumMismatches: string[];
}

export function machine(): BenchReport['machine'] {
  return { cpus: cpus()[0]?.model, cores: availableParallelism() };
}

/**
 * The figures that are no ratio: toplevel times, Dynlink.loadfile latency per variant, hello-world sizes, the
 * evaluated phrases' latencies and memory.
 */
export function otherFigures(input: {
  toplevels: readonly ToplevelTiming[];
  loads: KernelSamples['loads'];
  laterLoads?: KernelSamples['laterLoads'];
  helloSize: { patched: number; pristine?: number };
  /** A native program linking dynlink.cmxa that loads nothing (issue 17: size ≤ 1.02× pristine). */
  dynlinkSize?: { patched: number; pristine?: number };
  eval?: EvalMeasurement;
}): Record<string, number> {
  const extra: Record<string, number> = { ...toplevelExtra(input.toplevels), ...(input.eval ? evalExtra(input.eval) : {}) };
  for (const [v, xs] of input.loads) extra[`Dynlink.loadfile latency, ${v} (ms, median)`] = median(xs) * 1000;
  const later = input.laterLoads ?? new Map<VariantName, number[]>();
  for (const [v, xs] of later) extra[`Dynlink.loadfile latency, later load, ${v} (ms, median)`] = median(xs) * 1000;
  Object.assign(extra, cmoLoadRatios(input.loads, later));
  extra['native hello-world size, patched (bytes)'] = input.helloSize.patched;
  if (input.helloSize.pristine !== undefined) extra['native hello-world size, pristine (bytes)'] = input.helloSize.pristine;
  const dl = input.dynlinkSize;
  if (dl !== undefined) {
    extra['native program linking dynlink.cmxa, size, patched (bytes)'] = dl.patched;
    if (dl.pristine !== undefined) {
      extra['native program linking dynlink.cmxa, size, pristine (bytes)'] = dl.pristine;
      extra['native program linking dynlink.cmxa: patched vs pristine (size ratio, target ≤ 1.02)'] = dl.patched / dl.pristine;
    }
  }
  return extra;
}

/**
 * Issue 17's target for loading a .cmo (native host ≤ 1.2× the bytecode host), on the later load of a process,
 * the first one (which in a native host also starts the guest) apart: time(native+cmo) / time(byte+cmo), medians,
 * with the larger spread of the two.
 */
export function cmoLoadRatios(
  first: ReadonlyMap<VariantName, number[]>,
  later: ReadonlyMap<VariantName, number[]>,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [which, loads] of [['first load', first], ['later load', later]] as const) {
    const native = loads.get('native+cmo');
    const byte = loads.get('byte+cmo');
    if (!native?.length || !byte?.length) continue;
    const label = `Dynlink.loadfile of a .cmo, ${which}: native host vs bytecode host (time ratio${which === 'later load' ? ', target ≤ 1.2' : ''})`;
    out[label] = median(native) / median(byte);
    out[`${label}, spread (%)`] = ratioSpread(native, byte) * 100;
  }
  return out;
}

const plain = <V>(m: ReadonlyMap<VariantName, V>): Record<string, V> => Object.fromEntries(m);

export function benchReport(input: {
  date: Date;
  quick: boolean;
  repeat: number;
  maxRepeat?: number;
  repetitions?: Record<string, number>;
  inner: number;
  skipped: Record<string, string>;
  figures: Figure[];
  extra: Record<string, number>;
  instructions?: InstructionCount[];
  samples: Samples;
  loads: KernelSamples['loads'];
  laterLoads: KernelSamples['laterLoads'];
  toplevels: ToplevelTiming[];
  eval: EvalMeasurement;
  checksumMismatches: string[];
}): BenchReport {
  return {
    date: input.date.toISOString(),
    machine: machine(),
    quick: input.quick,
    repeat: input.repeat,
    ...(input.maxRepeat !== undefined ? { maxRepeat: input.maxRepeat } : {}),
    ...(input.repetitions !== undefined ? { repetitions: input.repetitions } : {}),
    inner: input.inner,
    skipped: input.skipped,
    figures: input.figures,
    extra: input.extra,
    ...(input.instructions !== undefined && input.instructions.length > 0 ? { instructions: input.instructions } : {}),
    samples: Object.fromEntries([...input.samples].map(([v, m]) => [v, Object.fromEntries(m)])),
    loads: plain(input.loads),
    laterLoads: plain(input.laterLoads),
    toplevels: input.toplevels,
    eval: input.eval,
    checksumMismatches: input.checksumMismatches,
  };
}

/** The terminal's table: the figures by section, then the other figures. */
export function figureTable(figures: readonly Figure[], extra: Record<string, number>, instructions: readonly InstructionCount[] = []): string[] {
  const out: string[] = [];
  for (const section of [...new Set(figures.map((f) => f.question))]) {
    out.push('', section);
    for (const f of figures.filter((x) => x.question === section)) {
      const v = f.unit === 'ratio' ? `${f.value.toFixed(2)}×` : `${f.value.toFixed(1)} ${f.unit}`;
      out.push(`  ${f.label.padEnd(48)} ${v.padStart(10)}  spread ${f.spread === undefined ? 'n/a' : `${(f.spread * 100).toFixed(0)}%`}${f.target ? `  target ${f.target}` : ''}`);
    }
  }
  if (instructions.length > 0) {
    out.push('', `instructions of one run, patched vs pristine (pristine / patched; goal: within ${INSTRUCTION_GOAL * 100}%)`);
    for (const c of instructions) out.push(`  ${`${c.kernel}, ${c.side}`.padEnd(48)} ${`${instructionRatio(c).toFixed(4)}×`.padStart(10)}  ${c.patched} vs ${c.pristine}`);
  }
  out.push('', 'other figures');
  for (const [k, v] of Object.entries(extra)) out.push(`  ${k.padEnd(56)} ${formatOtherFigure(k, v)}`);
  return out;
}

/** Writes bench.json (every sample), bench.svg (the ratio chart) and bench.md (the headline tables) into `dir`. */
export async function writeBenchReports(dir: string, report: BenchReport): Promise<{ json: string; svg: string; md: string }> {
  const files = { json: join(dir, 'bench.json'), svg: join(dir, 'bench.svg'), md: join(dir, 'bench.md') };
  mkdirSync(dir, { recursive: true });
  writeFileSync(files.json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(files.svg, await ratioChartSvg(report.figures));
  writeFileSync(files.md, benchSummaryMarkdown(report));
  return files;
}
