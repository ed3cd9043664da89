/**
 * The benchmark kernels (bench/kernels/*.ml) and their input sizes: the one list. The source units the hosts
 * build, the crossing table's rows and --only's choices are all derived from it; each kernel's name is also the
 * name its unit registers with Bench_api.register (test/bench-kernels.test.ts checks both ways).
 */
export interface Kernel {
  name: string;
  /** Source unit that registers it (bench/kernels/UNIT.ml). */
  unit: string;
  /** Input for a full run (about 0.1 s of native code) and for --quick. */
  n: number;
  quickN: number;
  /**
   * Compute kernels: the input of a run whose instructions are counted under valgrind (instructions.ts), about a
   * tenth of a full run's work, so that the bytecode runs take seconds under valgrind.
   */
  countN?: number;
  /**
   * Crossing kernels report ns per call (n calls per run); so do the iterator kernels (n callbacks per run) and the
   * effects kernels (n perform/continue pairs, or n calls, per run).
   */
  perCall?: boolean;
  /**
   * Issue 17's kernels, which have figures of their own (questions.ts) instead of the compute kernels' ratios and
   * the crossing table: `closures` (closures and partial applications built in bytecode, on 1 and 2 domains) and
   * `iterators` (the host's native iterators over a plugin's callbacks); issue 16's `effects` (perform/continue pairs
   * with the handler and the perform on either side, and host→plugin calls under a handler). Undefined: a compute
   * kernel, or a crossing kernel if perCall.
   */
  group?: 'closures' | 'iterators' | 'effects';
  /** Timed by the wall clock (BENCH_CLOCK=wall) rather than processor time, which adds up the domains' of a kernel that runs several. */
  clock?: 'wall';
}

/** The unit built as a program of its own (a bytecode program with C stubs needs -custom), never a host unit or plugin. */
export const C_CALLBACK_UNIT = 'c_callback';

/** Arguments of the crossing calls: 1, 2, 3, 5, and 1 with an exception raised back. */
export const CROSSING_ARITIES = ['1', '2', '3', '5', '10', 'exn'] as const;
export type CrossingArity = (typeof CROSSING_ARITIES)[number];
export type CrossingDirection = 'host_calls_plugin' | 'plugin_calls_host';

export function crossingKernelName(direction: CrossingDirection, arity: CrossingArity): string {
  return `${direction}_${arity}`;
}

/** The direction and arity of a crossing kernel, from its name; undefined for any other kernel. */
export function crossingKernelOf(name: string): { direction: CrossingDirection; arity: CrossingArity } | undefined {
  for (const direction of ['host_calls_plugin', 'plugin_calls_host'] as const) {
    for (const arity of CROSSING_ARITIES) if (name === crossingKernelName(direction, arity)) return { direction, arity };
  }
  return undefined;
}

export const COMPUTE_KERNELS: readonly Kernel[] = [
  { name: 'nbody', unit: 'nbody', n: 1_000_000, quickN: 20_000, countN: 100_000 },
  { name: 'fannkuch', unit: 'fannkuch', n: 10, quickN: 7, countN: 9 },
  { name: 'binary_trees', unit: 'binary_trees', n: 20_000, quickN: 200, countN: 2_000 },
  { name: 'sieve', unit: 'sieve', n: 20, quickN: 1, countN: 2 },
  { name: 'strings_hashtbl', unit: 'strings_hashtbl', n: 400, quickN: 10, countN: 40 },
];

/** The C reference of the crossing cost: C calling OCaml with caml_callback, in a plain program of each side. */
export const C_CALLS_OCAML_KERNEL: Kernel = { name: 'c_calls_ocaml_1', unit: C_CALLBACK_UNIT, n: 2_000_000, quickN: 20_000, perCall: true };

export const CROSSING_KERNELS: readonly Kernel[] = [
  ...CROSSING_ARITIES.flatMap((a) =>
    (['host_calls_plugin', 'plugin_calls_host'] as const).map((d) => ({ name: crossingKernelName(d, a), unit: 'crossing', n: 2_000_000, quickN: 20_000, perCall: true })),
  ),
  C_CALLS_OCAML_KERNEL,
];

/**
 * Closures and partial applications built and applied in a loop by bytecode (bench/kernels/closures.ml): `closures`
 * in the calling domain, and the same n steps in 1 spawned domain or split over 2, timed by the wall clock, for the
 * throughput of 2 domains relative to 1.
 */
export const CLOSURES_KERNEL = 'closures';
export const CLOSURES_DOMAIN_KERNELS = { 1: 'closures_domains_1', 2: 'closures_domains_2' } as const;
export const CLOSURES_KERNELS: readonly Kernel[] = [
  { name: CLOSURES_KERNEL, unit: 'closures', n: 300_000, quickN: 3_000, group: 'closures' },
  { name: CLOSURES_DOMAIN_KERNELS[1], unit: 'closures', n: 300_000, quickN: 3_000, group: 'closures', clock: 'wall' },
  { name: CLOSURES_DOMAIN_KERNELS[2], unit: 'closures', n: 300_000, quickN: 3_000, group: 'closures', clock: 'wall' },
];

/** The host's native iterators over a plugin's callbacks (bench/kernels/iterators.ml), n callbacks per run. */
export const ITERATOR_KERNELS: readonly Kernel[] = [
  { name: 'iterators_list_map', unit: 'iterators', n: 2_000_000, quickN: 20_000, perCall: true, group: 'iterators' },
  { name: 'iterators_hashtbl_iter', unit: 'iterators', n: 2_000_000, quickN: 20_000, perCall: true, group: 'iterators' },
];

/** The side of the host/plugin boundary where an effects kernel has its handler, or its loop of performs. */
export const EFFECTS_SIDES = ['host', 'plugin'] as const;
export type EffectsSide = (typeof EFFECTS_SIDES)[number];

/** The kernel of n perform/continue pairs with the handler on side `handler` and the performs on side `perform`. */
export function effectsPairKernelName(handler: EffectsSide, perform: EffectsSide): string {
  return `effects_${handler}_handles_${perform}`;
}

/** The placement of a pair kernel, from its name; undefined for any other kernel. */
export function effectsPairOf(name: string): { handler: EffectsSide; perform: EffectsSide } | undefined {
  for (const handler of EFFECTS_SIDES) {
    for (const perform of EFFECTS_SIDES) if (name === effectsPairKernelName(handler, perform)) return { handler, perform };
  }
  return undefined;
}

/**
 * The floor of the crossing pair with the handler on side `handler` and the performs on side `perform`: the same loop
 * with a call of the handler side's work in place of the perform (bench/kernels/effects.ml), what such a pair does
 * at the least besides the effect itself.
 */
export function effectsFloorKernelName(handler: EffectsSide, perform: EffectsSide): string {
  return `effects_floor_${handler}_handles_${perform}`;
}

/** The pair kernel whose floor a kernel is, from its name; undefined for any other kernel. */
export function effectsFloorOf(name: string): { handler: EffectsSide; perform: EffectsSide; pairKernel: string } | undefined {
  for (const handler of EFFECTS_SIDES) {
    for (const perform of EFFECTS_SIDES) {
      if (handler !== perform && name === effectsFloorKernelName(handler, perform)) return { handler, perform, pairKernel: effectsPairKernelName(handler, perform) };
    }
  }
  return undefined;
}

/** n calls of the host to a plugin's function, outside any effect handler and under the host's handler. */
export const EFFECTS_CALL_KERNELS = { outside: 'effects_call_outside_handler', under: 'effects_call_under_handler' } as const;

/**
 * Effects across the boundary (bench/kernels/effects.ml, the host's side in bench_host.ml): ns per perform/continue
 * pair in the four placements of the handler and the performs (host or plugin each), then the floors of the two
 * placements that cross, then ns per host→plugin call outside any handler and under one.
 */
export const EFFECTS_KERNELS: readonly Kernel[] = [
  ...EFFECTS_SIDES.flatMap((handler) =>
    EFFECTS_SIDES.map((perform): Kernel => ({ name: effectsPairKernelName(handler, perform), unit: 'effects', n: 2_000_000, quickN: 20_000, perCall: true, group: 'effects' })),
  ),
  ...EFFECTS_SIDES.flatMap((handler) =>
    EFFECTS_SIDES.filter((perform) => perform !== handler).map((perform): Kernel => ({ name: effectsFloorKernelName(handler, perform), unit: 'effects', n: 2_000_000, quickN: 20_000, perCall: true, group: 'effects' })),
  ),
  { name: EFFECTS_CALL_KERNELS.outside, unit: 'effects', n: 2_000_000, quickN: 20_000, perCall: true, group: 'effects' },
  { name: EFFECTS_CALL_KERNELS.under, unit: 'effects', n: 2_000_000, quickN: 20_000, perCall: true, group: 'effects' },
];

export const ALL_KERNELS: readonly Kernel[] = [...COMPUTE_KERNELS, ...CROSSING_KERNELS, ...CLOSURES_KERNELS, ...ITERATOR_KERNELS, ...EFFECTS_KERNELS];

/** A compute kernel: a ratio per ratio question (questions.ts), and the only kind a toplevel variant runs. */
export function isComputeKernel(k: Kernel): boolean {
  return !k.perCall && k.group === undefined;
}

/** A crossing kernel (or the caml_callback reference): ns per call, and the crossing table. */
export function isCrossingKernel(k: Kernel): boolean {
  return k.perCall === true && k.group === undefined;
}

/** The distinct source units of `kernels`, in order of first appearance. */
export function unitsOf(kernels: readonly Kernel[]): string[] {
  return [...new Set(kernels.map((k) => k.unit))];
}

/** The units a host links in or loads as plugins: every kernel's, except the one built as its own program. */
export const HOST_UNITS: readonly string[] = unitsOf(ALL_KERNELS).filter((u) => u !== C_CALLBACK_UNIT);

/** The units a toplevel variant #loads: the compute kernels' (it has no host↔plugin boundary to cross). */
export const TOPLEVEL_UNITS: readonly string[] = unitsOf(COMPUTE_KERNELS);

/** Input size of a kernel in a full run or a --quick one. */
export function inputSize(kernel: Kernel, quick: boolean): number {
  return quick ? kernel.quickN : kernel.n;
}
