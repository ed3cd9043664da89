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
  /**
   * At most this many repetitions of a kernel: after `repeat`, one more at a time of the kernels `moreOf` names
   * (those of a figure whose spread is still over the goal), until it names none.
   */
  maxRepeat?: number;
  moreOf?: (samples: Samples) => readonly Kernel[];
  /** Runs of a kernel within one process (each one sample). */
  inner: number;
  nFor: (k: Kernel) => number;
  onRepetition?: (done: number, of: number, kernels: readonly Kernel[]) => void;
  /** How a kernel is run in a variant (runKernel; the harness's tests give a fake). */
  run?: typeof runKernel;
}

export interface KernelSamples {
  samples: Samples;
  /** Variant → Dynlink.loadfile seconds of the first load of each process that loaded a plugin. */
  loads: Map<VariantName, number[]>;
  /** Variant → Dynlink.loadfile seconds of a later load (another unit, after the first) of each such process. */
  laterLoads: Map<VariantName, number[]>;
  /** Kernel → variant → checksum of its last run. */
  checksums: Map<string, Map<VariantName, string>>;
  /** Kernel → the repetitions it ran. */
  repetitions: Map<string, number>;
}

/**
 * Runs every kernel in every built variant, the variants interleaved within each repetition so a noisy machine's
 * drift hits all alike; then repeats the kernels that `plan.moreOf` names, every variant of each again, so the
 * samples of every variant stay side by side (the i-th of each from the same repetition).
 */
export async function sampleKernels(built: ReadonlyMap<VariantName, Built>, plan: SamplingPlan): Promise<KernelSamples> {
  const acc: KernelSamples = { samples: new Map(), loads: new Map(), laterLoads: new Map(), checksums: new Map(), repetitions: new Map() };
  const maxRepeat = Math.max(plan.repeat, plan.maxRepeat ?? plan.repeat);
  for (let r = 0; r < maxRepeat; r++) {
    const kernels = r < plan.repeat ? plan.kernels : (plan.moreOf?.(acc.samples) ?? []);
    if (kernels.length === 0) break;
    for (const k of kernels) await runEveryVariant(built, k, plan, acc);
    plan.onRepetition?.(r + 1, r < plan.repeat ? plan.repeat : maxRepeat, kernels);
  }
  return acc;
}

/** One repetition of kernel `k`: a run in every variant that can run it. */
async function runEveryVariant(built: ReadonlyMap<VariantName, Built>, k: Kernel, plan: SamplingPlan, acc: KernelSamples): Promise<void> {
  const { samples, loads, laterLoads, checksums } = acc;
  for (const [name, b] of built) {
    if (!canRun(b, k)) continue;
    const out = await (plan.run ?? runKernel)(b, k, plan.nFor(k), plan.inner);
    const perKernel = samples.get(name) ?? new Map<string, number[]>();
    samples.set(name, perKernel);
    perKernel.set(k.name, [...(perKernel.get(k.name) ?? []), ...out.samples.map((s) => s.seconds)]);
    const byVariant = checksums.get(k.name) ?? new Map<VariantName, string>();
    checksums.set(k.name, byVariant);
    for (const s of out.samples) byVariant.set(name, s.checksum);
    if (out.loadSeconds !== undefined) loads.set(name, [...(loads.get(name) ?? []), out.loadSeconds]);
    if (out.laterLoadSeconds !== undefined) laterLoads.set(name, [...(laterLoads.get(name) ?? []), out.laterLoadSeconds]);
  }
  acc.repetitions.set(k.name, (acc.repetitions.get(k.name) ?? 0) + 1);
}

/** The kernels whose variants computed different checksums: a bug, not a speed. */
export function checksumMismatches(checksums: KernelSamples['checksums']): { kernel: string; byVariant: Partial<Record<VariantName, string>> }[] {
  return [...checksums]
    .filter(([, byVariant]) => new Set(byVariant.values()).size > 1)
    .map(([kernel, byVariant]) => ({ kernel, byVariant: Object.fromEntries(byVariant) }));
}
