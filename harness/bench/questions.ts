import {
  CLOSURES_DOMAIN_KERNELS,
  CLOSURES_KERNEL,
  crossingKernelOf,
  EFFECTS_CALL_KERNELS,
  EFFECTS_SIDES,
  effectsPairKernelName,
  effectsFloorOf,
  effectsPairOf,
  isComputeKernel,
  isCrossingKernel,
  type CrossingDirection,
  type EffectsSide,
  type Kernel,
} from './kernels.ts';
import type { EvalQuestionId } from './eval.ts';
import type { PhraseScriptKind, ToplevelQuestionId } from './toplevels.ts';
import type { VariantName } from './variants.ts';
import { median, NO_COST_SPREAD_GOAL, ratioSpread, spread, SPREAD_GOAL } from './stats.ts';

/** All samples of a run: variant → kernel → processor seconds per kernel run. */
export type Samples = Map<VariantName, Map<string, number[]>>;

/** The questions the bench answers, by section; a figure's `question` field is its section's title. */
export const SECTIONS = {
  nativeGain: '0. what native code buys (pure programs)',
  nativeFromBytecode: '1. native code from bytecode',
  bytecodeFromNative: '2. bytecode from native',
  crossingCost: '3. crossing cost',
  toplevels: '4. toplevels',
  noCostWhenUnused: '5. no cost when unused',
  evalLatency: '6. latency of an evaluated phrase (Eval)',
  evalScript: '7. a phrase script evaluated (Eval)',
  closures: '8. closures built by bytecode (.cmo in a native host)',
  iterators: '9. native iterators over bytecode callbacks',
  effects: '10. effects across the boundary (perform/continue pairs)',
  effectsUnderHandler: '11. crossing calls under an effect handler',
} as const;
export type Section = (typeof SECTIONS)[keyof typeof SECTIONS];

/**
 * What a figure measures, as data: the report's readers (bench.md, tests) look figures up by this key, never by
 * their label, which is for people only.
 */
export type FigureKey =
  | { kind: 'ratio'; question: RatioQuestionId; kernel: string }
  | { kind: 'ns-per-call'; kernel: string; variant: VariantName }
  | { kind: 'crossing-ratio'; kernel: string; variant: CrossingVariant }
  | { kind: 'closures'; question: ClosuresQuestionId }
  | { kind: 'iterator-ns-per-call'; kernel: string; variant: VariantName }
  | { kind: 'iterator-ratio'; kernel: string; variant: IteratorCrossingVariant }
  | { kind: 'effects-ns-per-call'; kernel: string; variant: VariantName }
  | { kind: 'effects-pair-ratio'; kernel: string; variant: CrossingVariant; reference: EffectsPairReference }
  | { kind: 'effects-floor-ratio'; kernel: string; variant: CrossingVariant; reference: EffectsFloorReference }
  | { kind: 'effects-handler-ratio'; variant: VariantName }
  | { kind: 'toplevel'; question: ToplevelQuestionId; script: PhraseScriptKind; phrases: number }
  | { kind: 'eval'; question: EvalQuestionId; workload: 'oneline' | PhraseScriptKind; phrases: number };

export interface Figure {
  question: Section;
  label: string;
  /** A ratio (>1 = the first is faster) or ns per call. */
  value: number;
  unit: 'ratio' | 'ns/call';
  spread?: number;
  target?: string;
  /** The spread it must get under with more repetitions, when it has a target: SPREAD_GOAL unless said. */
  spreadGoal?: number;
  key: FigureKey;
}

/** The kernels whose samples a kernel figure is computed from (none for the toplevels and Eval, timed apart). */
export function figureKernels(key: FigureKey): string[] {
  switch (key.kind) {
    case 'ratio':
    case 'ns-per-call':
    case 'crossing-ratio':
    case 'iterator-ns-per-call':
    case 'iterator-ratio':
    case 'effects-ns-per-call':
      return [key.kernel];
    case 'closures': {
      const q = CLOSURES_QUESTIONS.find((x) => x.id === key.question)!;
      return [...new Set([q.fast.kernel, q.slow.kernel])];
    }
    case 'effects-pair-ratio':
      return [...new Set([key.kernel, effectsPairReference(key.variant, key.reference).kernel])];
    case 'effects-floor-ratio':
      return [...new Set([key.kernel, effectsFloorReferenceKernel(key.kernel, key.reference)])];
    case 'effects-handler-ratio':
      return [EFFECTS_CALL_KERNELS.outside, EFFECTS_CALL_KERNELS.under];
    case 'toplevel':
    case 'eval':
      return [];
  }
}

/** The spread a figure must get under: its own goal, or SPREAD_GOAL. */
export const spreadGoalOf = (f: Figure): number => f.spreadGoal ?? SPREAD_GOAL;

/** Whether a figure needs more repetitions: it has a target and a spread over its goal (issue 17). */
export const overSpreadGoal = (f: Figure): boolean => f.target !== undefined && (f.spread ?? 0) > spreadGoalOf(f);

/** The kernels of `kernels` to run once more: those of the figures over the spread goal. */
export function kernelsToRepeat(figures: readonly Figure[], kernels: readonly Kernel[]): Kernel[] {
  const names = new Set(figures.filter(overSpreadGoal).flatMap((f) => figureKernels(f.key)));
  return kernels.filter((k) => names.has(k.name));
}

/** One string per key, for indexing (field order fixed here, never parsed back). */
export function figureKeyId(key: FigureKey): string {
  switch (key.kind) {
    case 'ratio':
      return `ratio|${key.question}|${key.kernel}`;
    case 'ns-per-call':
      return `ns-per-call|${key.kernel}|${key.variant}`;
    case 'crossing-ratio':
      return `crossing-ratio|${key.kernel}|${key.variant}`;
    case 'closures':
      return `closures|${key.question}`;
    case 'iterator-ns-per-call':
      return `iterator-ns-per-call|${key.kernel}|${key.variant}`;
    case 'iterator-ratio':
      return `iterator-ratio|${key.kernel}|${key.variant}`;
    case 'effects-ns-per-call':
      return `effects-ns-per-call|${key.kernel}|${key.variant}`;
    case 'effects-pair-ratio':
      return `effects-pair-ratio|${key.kernel}|${key.variant}|${key.reference}`;
    case 'effects-floor-ratio':
      return `effects-floor-ratio|${key.kernel}|${key.variant}|${key.reference}`;
    case 'effects-handler-ratio':
      return `effects-handler-ratio|${key.variant}`;
    case 'toplevel':
      return `toplevel|${key.question}|${key.script}|${key.phrases}`;
    case 'eval':
      return `eval|${key.question}|${key.workload}|${key.phrases}`;
  }
}

/** Looks figures up by key; undefined where the figure was not measured (a variant that did not run). */
export function figureLookup(figures: readonly Figure[]): (key: FigureKey) => Figure | undefined {
  const byKey = new Map(figures.map((f) => [figureKeyId(f.key), f]));
  return (key) => byKey.get(figureKeyId(key));
}

export type RatioQuestionId =
  | 'native-vs-byte'
  | 'cmxs-in-byte-host-vs-native'
  | 'cmxs-in-byte-host-vs-byte'
  | 'cmxs-in-ocaml.opt-vs-native'
  | 'cmxs-in-ocaml-vs-native'
  | 'cmxs-in-native-host-vs-native'
  | 'cmxs-in-byte-host-vs-in-native-host'
  | 'cmxs-in-ocaml.opt-vs-in-native-host'
  | 'cmo-in-native-host-vs-byte'
  | 'patched-vs-pristine-native'
  | 'patched-vs-pristine-byte';

/** Speed of variant `fast` relative to `slow` on each compute kernel: time(slow) / time(fast). */
export interface RatioQuestion {
  id: RatioQuestionId;
  section: Section;
  fast: VariantName;
  slow: VariantName;
  target?: string;
  /** The spread goal of its figures, when not SPREAD_GOAL. */
  spreadGoal?: number;
  /** The row of bench.md's ratio table that shows it, if any. */
  summaryRow?: string;
}

/** The ratio questions, in the order of the report (and of bench.md's rows). */
export const RATIO_QUESTIONS: readonly RatioQuestion[] = [
  { id: 'native-vs-byte', section: SECTIONS.nativeGain, fast: 'native', slow: 'byte', summaryRow: 'native vs byte (pure programs)' },
  { id: 'cmxs-in-byte-host-vs-native', section: SECTIONS.nativeFromBytecode, fast: 'byte+cmxs', slow: 'native', target: '≥ 0.9', summaryRow: '`.cmxs` in a bytecode host vs native' },
  { id: 'cmxs-in-byte-host-vs-byte', section: SECTIONS.nativeFromBytecode, fast: 'byte+cmxs', slow: 'byte' },
  // A kernel #loaded as .cmxs into a toplevel and called from a phrase, against the pure native program.
  { id: 'cmxs-in-ocaml.opt-vs-native', section: SECTIONS.nativeFromBytecode, fast: 'ocaml.opt+cmxs', slow: 'native', target: '≥ 0.9', summaryRow: '`.cmxs` in `ocaml.opt` vs native' },
  {
    id: 'cmxs-in-ocaml-vs-native',
    section: SECTIONS.nativeFromBytecode,
    fast: 'ocaml+cmxs',
    slow: 'native',
    target: '≥ 0.9',
    summaryRow: '`.cmxs` in `ocaml` (run by `ocamlrun.crossload`) vs native',
  },
  // The same .cmxs in a native host: what natdynlink code costs by itself, apart from crossloading.
  { id: 'cmxs-in-native-host-vs-native', section: SECTIONS.nativeFromBytecode, fast: 'native+cmxs', slow: 'native', summaryRow: 'same `.cmxs` in a native host vs native' },
  {
    id: 'cmxs-in-byte-host-vs-in-native-host',
    section: SECTIONS.nativeFromBytecode,
    fast: 'byte+cmxs',
    slow: 'native+cmxs',
    target: '≥ 0.9',
    summaryRow: '`.cmxs` in a bytecode host vs in a native host',
  },
  { id: 'cmxs-in-ocaml.opt-vs-in-native-host', section: SECTIONS.nativeFromBytecode, fast: 'ocaml.opt+cmxs', slow: 'native+cmxs', target: '≥ 0.9' },
  { id: 'cmo-in-native-host-vs-byte', section: SECTIONS.bytecodeFromNative, fast: 'native+cmo', slow: 'byte', target: '≥ 0.95', summaryRow: '`.cmo` in a native host vs `ocamlrun`' },
  { id: 'patched-vs-pristine-native', section: SECTIONS.noCostWhenUnused, fast: 'native', slow: 'pristine-native', target: '≈ 1', spreadGoal: NO_COST_SPREAD_GOAL, summaryRow: 'patched vs pristine, native' },
  { id: 'patched-vs-pristine-byte', section: SECTIONS.noCostWhenUnused, fast: 'byte', slow: 'pristine-byte', target: '≈ 1', spreadGoal: NO_COST_SPREAD_GOAL, summaryRow: 'patched vs pristine, bytecode' },
];

/** The variants whose crossing kernels are reported, in ns per call: one side each, or crossing in each direction. */
export const CROSSING_VARIANTS: readonly VariantName[] = ['native', 'byte', 'native+cmo', 'byte+cmxs'];

/** The variants in which a crossing kernel's calls cross: the bytecode side is the plugin, or the host. */
export type CrossingVariant = 'native+cmo' | 'byte+cmxs';
export const CROSSING_RATIO_VARIANTS: readonly CrossingVariant[] = ['native+cmo', 'byte+cmxs'];

/**
 * Which way a crossing kernel's calls cross in a variant: the host calls the plugin, or the plugin the host, and
 * in `native+cmo` the host is native, in `byte+cmxs` bytecode.
 */
export function crossingDirectionLabel(direction: CrossingDirection, variant: CrossingVariant): string {
  const hostIsNative = variant === 'native+cmo';
  const callerIsNative = direction === 'host_calls_plugin' ? hostIsNative : !hostIsNative;
  return callerIsNative ? 'native→bytecode' : 'bytecode→native';
}

/** The targets of the crossing ratios: a call at most 1.5× a bytecode→bytecode call, a raising one at most 2×. */
export function crossingTarget(arity: string): string {
  return arity === 'exn' ? '≥ 0.5' : '≥ 0.67';
}

export type ClosuresQuestionId =
  | 'cmo-in-native-host-vs-byte-1-domain'
  | 'cmo-in-native-host-vs-byte-2-domains'
  | '2-domains-vs-1-cmo-in-native-host'
  | '2-domains-vs-1-byte';

/** One run of a kernel in a variant: a side of a closures question. */
interface KernelRun {
  variant: VariantName;
  kernel: string;
}

/**
 * A ratio of the closures kernels, time(slow) / time(fast): either two variants on the same kernel, or the same
 * variant on the same work done by 1 domain (slow) and by 2 (fast), which is the throughput of 2 domains relative
 * to 1. `row` names it in bench.md, `series` in the chart (after "closures: ").
 */
export interface ClosuresQuestion {
  id: ClosuresQuestionId;
  fast: KernelRun;
  slow: KernelRun;
  series: string;
  row: string;
  target?: string;
}

/** The closures questions (issue 17), in the order of the report; a target only where the issue sets one. */
export const CLOSURES_QUESTIONS: readonly ClosuresQuestion[] = [
  {
    id: 'cmo-in-native-host-vs-byte-1-domain',
    fast: { variant: 'native+cmo', kernel: CLOSURES_KERNEL },
    slow: { variant: 'byte', kernel: CLOSURES_KERNEL },
    series: 'native+cmo vs byte, 1 domain',
    row: '`.cmo` in a native host vs `ocamlrun`, 1 domain (processor time)',
    target: '≥ 1.0',
  },
  {
    id: '2-domains-vs-1-cmo-in-native-host',
    fast: { variant: 'native+cmo', kernel: CLOSURES_DOMAIN_KERNELS[2] },
    slow: { variant: 'native+cmo', kernel: CLOSURES_DOMAIN_KERNELS[1] },
    series: '2 domains vs 1, native+cmo',
    row: 'throughput of 2 domains vs 1, `.cmo` in a native host (wall clock)',
    target: '≥ 1.8',
  },
  {
    id: 'cmo-in-native-host-vs-byte-2-domains',
    fast: { variant: 'native+cmo', kernel: CLOSURES_DOMAIN_KERNELS[2] },
    slow: { variant: 'byte', kernel: CLOSURES_DOMAIN_KERNELS[2] },
    series: 'native+cmo vs byte, 2 domains',
    row: '`.cmo` in a native host vs `ocamlrun`, 2 domains (wall clock)',
  },
  // The reference for the throughput: the same two runs under ocamlrun.
  {
    id: '2-domains-vs-1-byte',
    fast: { variant: 'byte', kernel: CLOSURES_DOMAIN_KERNELS[2] },
    slow: { variant: 'byte', kernel: CLOSURES_DOMAIN_KERNELS[1] },
    series: '2 domains vs 1, byte',
    row: 'throughput of 2 domains vs 1, `ocamlrun` (wall clock)',
  },
];

/** The variants whose iterator kernels are reported in ns per callback: native→native, bytecode→bytecode, native→bytecode. */
export const ITERATOR_VARIANTS: readonly VariantName[] = ['native', 'byte', 'native+cmo'];

/** The variant in which the host's native iterators call bytecode callbacks, against `byte` (bytecode→bytecode). */
export type IteratorCrossingVariant = 'native+cmo';
export const ITERATOR_CROSSING_VARIANT: IteratorCrossingVariant = 'native+cmo';

/** The variants whose effects kernels are reported in ns per pair (per call): one side each, or crossloaded each way. */
export const EFFECTS_VARIANTS: readonly VariantName[] = ['native', 'byte', 'native+cmo', 'byte+cmxs'];

/**
 * What a crossing perform/continue pair is compared with: the pure native pair (the `native` variant, handler and
 * perform in the host), or the pair with handler and perform both in native code, or both in bytecode, in the same
 * process (the same crossloaded variant, both in the host or both in the plugin).
 */
export type EffectsPairReference = 'pure-native' | 'native' | 'bytecode';
export const EFFECTS_PAIR_REFERENCES: readonly EffectsPairReference[] = ['pure-native', 'native', 'bytecode'];

/** Issue 16's targets: a crossing pair at most 3× the pure native pair; a handler costs the calls under it nothing. */
export const EFFECTS_PAIR_TARGET = '≥ 0.33';
export const EFFECTS_UNDER_HANDLER_TARGET = '≥ 0.95';

/** The code of a side of a crossloaded variant: the host of `native+cmo` is native, its plugin bytecode; the other way in `byte+cmxs`. */
export function effectsSideCode(variant: CrossingVariant, side: EffectsSide): 'native' | 'bytecode' {
  return (side === 'host') === (variant === 'native+cmo') ? 'native' : 'bytecode';
}

/** Where a crossing pair has its handler and its perform: "native handler in the host, bytecode perform in the plugin". */
export function effectsPlacementLabel(handler: EffectsSide, perform: EffectsSide, variant: CrossingVariant): string {
  return `${effectsSideCode(variant, handler)} handler in the ${handler}, ${effectsSideCode(variant, perform)} perform in the ${perform}`;
}

/** The pair kernel that a crossing pair in `variant` is compared with, and the variant it runs in. */
export function effectsPairReference(variant: CrossingVariant, reference: EffectsPairReference): { variant: VariantName; kernel: string } {
  if (reference === 'pure-native') return { variant: 'native', kernel: effectsPairKernelName('host', 'host') };
  const side = EFFECTS_SIDES.find((x) => effectsSideCode(variant, x) === reference)!;
  return { variant, kernel: effectsPairKernelName(side, side) };
}

/**
 * What the floor of a crossing pair is compared with: the pure native pair (so that the floor reads against the
 * target of the pair: a pair cannot be faster than its floor), or the crossing pair itself, in the same process (how
 * much the effect adds to a crossing call).
 */
export type EffectsFloorReference = 'pure-native' | 'pair';
export const EFFECTS_FLOOR_REFERENCES: readonly EffectsFloorReference[] = ['pure-native', 'pair'];

/** The kernel a floor is compared with (in the `native` variant for the pure native pair, else the floor's own). */
export function effectsFloorReferenceKernel(floorKernel: string, reference: EffectsFloorReference): string {
  if (reference === 'pure-native') return effectsPairKernelName('host', 'host');
  const floor = effectsFloorOf(floorKernel);
  if (!floor) throw new Error(`${floorKernel} is not the floor of a crossing pair`);
  return floor.pairKernel;
}

const EFFECTS_REFERENCE_LABEL: Record<EffectsPairReference, string> = {
  'pure-native': 'pure native pair',
  native: 'native pair, same process',
  bytecode: 'bytecode pair, same process',
};

/** Which way a host→plugin call goes in a variant: native→native, bytecode→bytecode, or crossing. */
export function effectsCallDirection(variant: VariantName): string {
  if (variant === 'native+cmo' || variant === 'byte+cmxs') return crossingDirectionLabel('host_calls_plugin', variant);
  return variant.includes('native') ? 'native→native' : 'bytecode→bytecode';
}

/** How a variant is named in a label ("pristine-native" reads "pristine native"). */
const labelOf = (v: VariantName) => v.replace('pristine-', 'pristine ');

const sampled = (s: Samples, v: VariantName, k: string) => {
  const xs = s.get(v)?.get(k);
  return xs && xs.length > 0 ? xs : undefined;
};

/**
 * The figures of the kernels: every ratio question on each compute kernel, then the ns per call of each crossing
 * kernel in CROSSING_VARIANTS and their ratios to bytecode→bytecode, then the closures questions, the iterator
 * kernels' figures and the effects kernels'. A figure whose variants did not both run (one the compiler cannot do yet) is left out, never
 * shown as 0.
 */
export function kernelFigures(s: Samples, kernels: readonly Kernel[], nFor: (k: Kernel) => number): Figure[] {
  const out: Figure[] = [];
  for (const k of kernels.filter(isComputeKernel)) {
    for (const q of RATIO_QUESTIONS) {
      const fast = sampled(s, q.fast, k.name);
      const slow = sampled(s, q.slow, k.name);
      // A zero time (a kernel faster than the clock's resolution) has no ratio either.
      if (!fast || !slow || !(median(fast) > 0 && median(slow) > 0)) continue;
      out.push({
        question: q.section,
        label: `${k.name}: ${labelOf(q.fast)} vs ${labelOf(q.slow)}`,
        value: median(slow) / median(fast),
        unit: 'ratio',
        spread: ratioSpread(slow, fast),
        ...(q.target ? { target: q.target } : {}),
        ...(q.spreadGoal !== undefined ? { spreadGoal: q.spreadGoal } : {}),
        key: { kind: 'ratio', question: q.id, kernel: k.name },
      });
    }
  }
  for (const k of kernels.filter(isCrossingKernel)) {
    for (const v of CROSSING_VARIANTS) {
      const xs = sampled(s, v, k.name);
      if (!xs) continue;
      out.push({
        question: SECTIONS.crossingCost,
        label: `${k.name} [${v}]`,
        value: (median(xs) / nFor(k)) * 1e9,
        unit: 'ns/call',
        spread: spread(xs),
        key: { kind: 'ns-per-call', kernel: k.name, variant: v },
      });
    }
  }
  // Each crossing against the same calls within bytecode (the `byte` variant), as a ratio (>1 = the crossing is
  // faster), with the targets of the crossing table: at most 1.5× (2× when raising) a bytecode→bytecode call.
  for (const k of kernels.filter(isCrossingKernel)) {
    const crossing = crossingKernelOf(k.name);
    const within = sampled(s, 'byte', k.name);
    if (!crossing || !within || !(median(within) > 0)) continue;
    for (const v of CROSSING_RATIO_VARIANTS) {
      const xs = sampled(s, v, k.name);
      if (!xs || !(median(xs) > 0)) continue;
      out.push({
        question: SECTIONS.crossingCost,
        // A raising call has its own series, as its target differs (one target line per series in the chart).
        label: `${k.name}: ${crossingDirectionLabel(crossing.direction, v)}${crossing.arity === 'exn' ? ', raising' : ''} (${v}) vs bytecode→bytecode`,
        value: median(within) / median(xs),
        unit: 'ratio',
        spread: ratioSpread(within, xs),
        target: crossingTarget(crossing.arity),
        key: { kind: 'crossing-ratio', kernel: k.name, variant: v },
      });
    }
  }
  return [...out, ...closuresFigures(s, kernels), ...iteratorFigures(s, kernels, nFor), ...effectsFigures(s, kernels, nFor)];
}

/** The closures questions whose two runs were both measured (their kernels selected, their variants run). */
export function closuresFigures(s: Samples, kernels: readonly Kernel[]): Figure[] {
  const selected = new Set(kernels.filter((k) => k.group === 'closures').map((k) => k.name));
  const out: Figure[] = [];
  for (const q of CLOSURES_QUESTIONS) {
    if (!selected.has(q.fast.kernel) || !selected.has(q.slow.kernel)) continue;
    const fast = sampled(s, q.fast.variant, q.fast.kernel);
    const slow = sampled(s, q.slow.variant, q.slow.kernel);
    if (!fast || !slow || !(median(fast) > 0 && median(slow) > 0)) continue;
    out.push({
      question: SECTIONS.closures,
      label: `closures: ${q.series}`,
      value: median(slow) / median(fast),
      unit: 'ratio',
      spread: ratioSpread(slow, fast),
      ...(q.target ? { target: q.target } : {}),
      key: { kind: 'closures', question: q.id },
    });
  }
  return out;
}

/**
 * The iterator kernels: ns per callback in ITERATOR_VARIANTS, then the native iterators over bytecode callbacks
 * (native+cmo) against the same iteration within bytecode (`byte`), as a ratio (>1 = the crossloaded run is faster)
 * with the crossing table's target for a one-argument call (at most 1.5× a bytecode→bytecode call).
 */
export function iteratorFigures(s: Samples, kernels: readonly Kernel[], nFor: (k: Kernel) => number): Figure[] {
  const out: Figure[] = [];
  const iterators = kernels.filter((k) => k.group === 'iterators');
  for (const k of iterators) {
    for (const v of ITERATOR_VARIANTS) {
      const xs = sampled(s, v, k.name);
      if (!xs) continue;
      out.push({
        question: SECTIONS.iterators,
        label: `${k.name} [${v}]`,
        value: (median(xs) / nFor(k)) * 1e9,
        unit: 'ns/call',
        spread: spread(xs),
        key: { kind: 'iterator-ns-per-call', kernel: k.name, variant: v },
      });
    }
  }
  for (const k of iterators) {
    const within = sampled(s, 'byte', k.name);
    const crossing = sampled(s, ITERATOR_CROSSING_VARIANT, k.name);
    if (!within || !crossing || !(median(within) > 0 && median(crossing) > 0)) continue;
    out.push({
      question: SECTIONS.iterators,
      label: `${k.name}: native→bytecode (${ITERATOR_CROSSING_VARIANT}) vs bytecode→bytecode`,
      value: median(within) / median(crossing),
      unit: 'ratio',
      spread: ratioSpread(within, crossing),
      target: crossingTarget('1'),
      key: { kind: 'iterator-ratio', kernel: k.name, variant: ITERATOR_CROSSING_VARIANT },
    });
  }
  return out;
}

/**
 * The effects kernels (issue 16): ns per perform/continue pair (or per call) in EFFECTS_VARIANTS; then each crossing
 * pair (handler and perform on different sides of a crossloaded variant) as a ratio (>1 = the crossing pair is
 * faster) to the pure native pair, with the target of at most 3× (≥ 0.33), and to the pairs all in native code and
 * all in bytecode of the same process; then the floor of each crossing pair (the same loop with a crossing call in
 * place of the perform) against the pure native pair, with the pair's target, and the crossing pair against its
 * floor; then a host→plugin call under the host's handler against the same call outside any handler, with the
 * target of no cost (≥ 0.95) where the call crosses. A figure whose two runs were not
 * both measured (a kernel not selected, a variant that did not run) is left out.
 */
export function effectsFigures(s: Samples, kernels: readonly Kernel[], nFor: (k: Kernel) => number): Figure[] {
  const effects = kernels.filter((k) => k.group === 'effects');
  const selected = new Set(effects.map((k) => k.name));
  const measured = (v: VariantName, kernel: string) => {
    const xs = selected.has(kernel) ? sampled(s, v, kernel) : undefined;
    return xs && median(xs) > 0 ? xs : undefined;
  };
  const nsPerCall = (section: Section, ks: readonly Kernel[]) =>
    ks.flatMap((k) =>
      EFFECTS_VARIANTS.flatMap((v): Figure[] => {
        const xs = sampled(s, v, k.name);
        if (!xs) return [];
        const key: FigureKey = { kind: 'effects-ns-per-call', kernel: k.name, variant: v };
        return [{ question: section, label: `${k.name} [${v}]`, value: (median(xs) / nFor(k)) * 1e9, unit: 'ns/call', spread: spread(xs), key }];
      }),
    );
  // Section 10's figures, then section 11's (the chart's panels follow this order).
  const inSection10 = (k: Kernel) => effectsPairOf(k.name) !== undefined || effectsFloorOf(k.name) !== undefined;
  const out: Figure[] = nsPerCall(SECTIONS.effects, effects.filter(inSection10));
  for (const v of CROSSING_RATIO_VARIANTS) {
    for (const k of effects) {
      const pair = effectsPairOf(k.name);
      const crossing = measured(v, k.name);
      if (!pair || pair.handler === pair.perform || !crossing) continue;
      for (const reference of EFFECTS_PAIR_REFERENCES) {
        const ref = effectsPairReference(v, reference);
        const xs = measured(ref.variant, ref.kernel);
        if (!xs) continue;
        out.push({
          question: SECTIONS.effects,
          label: `${effectsPlacementLabel(pair.handler, pair.perform, v)} (${v}): crossing pair vs ${EFFECTS_REFERENCE_LABEL[reference]}`,
          value: median(xs) / median(crossing),
          unit: 'ratio',
          spread: ratioSpread(xs, crossing),
          ...(reference === 'pure-native' ? { target: EFFECTS_PAIR_TARGET } : {}),
          key: { kind: 'effects-pair-ratio', kernel: k.name, variant: v, reference },
        });
      }
    }
  }
  // The floors: against the pure native pair, with the pair's target drawn next to it (a pair is never faster than
  // its floor), and the crossing pair against its floor (>1 would be a pair faster than its floor).
  for (const v of CROSSING_RATIO_VARIANTS) {
    for (const k of effects) {
      const floor = effectsFloorOf(k.name);
      const xs = measured(v, k.name);
      if (!floor || !xs) continue;
      for (const reference of EFFECTS_FLOOR_REFERENCES) {
        const refVariant: VariantName = reference === 'pure-native' ? 'native' : v;
        const ref = measured(refVariant, effectsFloorReferenceKernel(k.name, reference));
        if (!ref) continue;
        const placement = effectsPlacementLabel(floor.handler, floor.perform, v);
        out.push(
          reference === 'pure-native'
            ? {
                question: SECTIONS.effects,
                label: `${placement} (${v}): floor of the crossing pair vs pure native pair`,
                value: median(ref) / median(xs),
                unit: 'ratio',
                spread: ratioSpread(ref, xs),
                target: EFFECTS_PAIR_TARGET,
                key: { kind: 'effects-floor-ratio', kernel: k.name, variant: v, reference },
              }
            : {
                question: SECTIONS.effects,
                label: `${placement} (${v}): crossing pair vs its floor`,
                value: median(xs) / median(ref),
                unit: 'ratio',
                spread: ratioSpread(xs, ref),
                key: { kind: 'effects-floor-ratio', kernel: k.name, variant: v, reference },
              },
        );
      }
    }
  }
  out.push(...nsPerCall(SECTIONS.effectsUnderHandler, effects.filter((k) => !inSection10(k))));
  for (const v of EFFECTS_VARIANTS) {
    const outside = measured(v, EFFECTS_CALL_KERNELS.outside);
    const under = measured(v, EFFECTS_CALL_KERNELS.under);
    if (!outside || !under) continue;
    const crosses = (CROSSING_RATIO_VARIANTS as readonly VariantName[]).includes(v);
    out.push({
      question: SECTIONS.effectsUnderHandler,
      label: `host→plugin call, ${effectsCallDirection(v)} (${v}): under a handler vs outside any`,
      value: median(outside) / median(under),
      unit: 'ratio',
      spread: ratioSpread(outside, under),
      ...(crosses ? { target: EFFECTS_UNDER_HANDLER_TARGET } : {}),
      key: { kind: 'effects-handler-ratio', variant: v },
    });
  }
  return out;
}
