import { COMPUTE_KERNELS, type Kernel } from './kernels.ts';
import type { Samples } from './questions.ts';
import { buildVariant, canRun, prefixHasCompiler, runKernel, type Built, type Variant, type VariantName } from './variants.ts';

/** First two lines of an error, for the report's `skipped`. */
const firstLines = (e: unknown) => String((e as Error).message ?? e).split('\n').slice(0, 2).join(' ');

/**
 * Builds every variant and runs one tiny kernel in it; a variant the compiler cannot do yet (or cannot run) is
 * skipped, with the reason, and the others go on.
 */
export async function buildVariants(variants: readonly Variant[], workDir: string): Promise<{ built: Map<VariantName, Built>; skipped: Record<string, string> }> {
  const built = new Map<VariantName, Built>();
  const skipped: Record<string, string> = {};
  for (const v of variants) {
    try {
      if (!prefixHasCompiler(v.prefix)) throw new Error(`no compiler in ${v.prefix}`);
      const b = await buildVariant(v, workDir);
      await runKernel(b, COMPUTE_KERNELS[0]!, 1, 1); // probe: can it run at all?
      built.set(v.name, b);
    } catch (e) {
      skipped[v.name] = firstLines(e);
    }
  }
  return { built, skipped };
}

export interface SamplingPlan {
  kernels: readonly Kernel[];
  /** Repetitions; within each, every kernel runs in every variant. */
  repeat: number;
  /** Runs of a kernel within one process (each one sample). */
  inner: number;
  nFor: (k: Kernel) => number;
  onRepetition?: (done: number, of: number) => void;
}

export interface KernelSamples {
  samples: Samples;
  /** Variant → Dynlink.loadfile seconds of the first load of each process that loaded a plugin. */
  loads: Map<VariantName, number[]>;
  /** Variant → Dynlink.loadfile seconds of a later load (another unit, after the first) of each such process. */
  laterLoads: Map<VariantName, number[]>;
  /** Kernel → variant → checksum of its last run. */
  checksums: Map<string, Map<VariantName, string>>;
}

/** Runs every kernel in every built variant, the variants interleaved within each repetition so a noisy machine's drift hits all alike. */
export async function sampleKernels(built: ReadonlyMap<VariantName, Built>, plan: SamplingPlan): Promise<KernelSamples> {
  const samples: Samples = new Map();
  const loads = new Map<VariantName, number[]>();
  const laterLoads = new Map<VariantName, number[]>();
  const checksums = new Map<string, Map<VariantName, string>>();
  for (let r = 0; r < plan.repeat; r++) {
    for (const k of plan.kernels) {
      for (const [name, b] of built) {
        if (!canRun(b, k)) continue;
        const out = await runKernel(b, k, plan.nFor(k), plan.inner);
        const perKernel = samples.get(name) ?? new Map<string, number[]>();
        samples.set(name, perKernel);
        perKernel.set(k.name, [...(perKernel.get(k.name) ?? []), ...out.samples.map((s) => s.seconds)]);
        const byVariant = checksums.get(k.name) ?? new Map<VariantName, string>();
        checksums.set(k.name, byVariant);
        for (const s of out.samples) byVariant.set(name, s.checksum);
        if (out.loadSeconds !== undefined) loads.set(name, [...(loads.get(name) ?? []), out.loadSeconds]);
        if (out.laterLoadSeconds !== undefined) laterLoads.set(name, [...(laterLoads.get(name) ?? []), out.laterLoadSeconds]);
      }
    }
    plan.onRepetition?.(r + 1, plan.repeat);
  }
  return { samples, loads, laterLoads, checksums };
}

/** The kernels whose variants computed different checksums: a bug, not a speed. */
export function checksumMismatches(checksums: KernelSamples['checksums']): { kernel: string; byVariant: Partial<Record<VariantName, string>> }[] {
  return [...checksums]
    .filter(([, byVariant]) => new Set(byVariant.values()).size > 1)
    .map(([kernel, byVariant]) => ({ kernel, byVariant: Object.fromEntries(byVariant) }));
}
