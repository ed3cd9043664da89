import { memoryFigures, MEMORY_PER_PHRASES_TEXT, type EvalMeasurement } from './eval.ts';
import { C_CALLS_OCAML_KERNEL, CROSSING_ARITIES, crossingKernelName, EFFECTS_CALL_KERNELS, EFFECTS_SIDES, effectsFloorKernelName, effectsPairKernelName, ITERATOR_KERNELS, type CrossingArity, type EffectsSide } from './kernels.ts';
import {
  CLOSURES_QUESTIONS,
  CROSSING_RATIO_VARIANTS,
  crossingTarget,
  EFFECTS_PAIR_TARGET,
  EFFECTS_UNDER_HANDLER_TARGET,
  EFFECTS_VARIANTS,
  effectsCallDirection,
  effectsPlacementLabel,
  figureLookup,
  overSpreadGoal,
  spreadGoalOf,
  ITERATOR_CROSSING_VARIANT,
  RATIO_QUESTIONS,
  type CrossingVariant,
  type EffectsFloorReference,
  type EffectsPairReference,
  type Figure,
  type FigureKey,
} from './questions.ts';
import { INSTRUCTION_GOAL, instructionRatio, withinInstructionGoal, type InstructionCount } from './instructions.ts';
import { NO_COST_SPREAD_GOAL, SPREAD_GOAL } from './stats.ts';
import type { VariantName } from './variants.ts';

/**
 * The headline tables of a bench report, in markdown (reports/bench.md),
 * for the README: the same figures as the terminal table, arranged by
 * kernel, and the machine they were measured on.
 */
export interface BenchSummaryInput {
  date: string;
  machine: { cpus?: string; cores: number };
  repeat: number;
  /** Repetitions at most of a kernel or script whose figure with a target had a spread over SPREAD_GOAL. */
  maxRepeat?: number;
  /** Kernel, or toplevel script, → the repetitions it ran, where more than `repeat`. */
  repetitions?: Record<string, number>;
  figures: Figure[];
  extra: Record<string, number>;
  /** Instructions of the compute kernels, patched against pristine (instructions.ts), where counted. */
  instructions?: InstructionCount[];
  skipped: Record<string, string>;
  /** The memory kept by the evaluated phrases, if measured. */
  eval?: Pick<EvalMeasurement, 'memory'>;
}

const fmt = (f: Figure | undefined) =>
  f === undefined ? '—' : f.unit === 'ratio' ? `${f.value.toFixed(2)}×` : `${f.value.toFixed(1)}`;

/** A ratio with its spread: "2.00× (spread 3%)". */
const withSpread = (f: Figure | undefined) => (f === undefined ? '—' : `${fmt(f)} (spread ${Math.round((f.spread ?? 0) * 100)}%)`);

/** " (more, up to M, where a figure with a target had a spread over 5%: K n, …)", or nothing. */
function repetitionsText(r: BenchSummaryInput): string {
  if (r.maxRepeat === undefined || r.maxRepeat <= r.repeat) return '';
  const more = Object.entries(r.repetitions ?? {}).filter(([, n]) => n > r.repeat);
  const which = more.length === 0 ? 'none needed more' : more.map(([k, n]) => `${k} ${n}`).join(', ');
  return ` (more, up to ${r.maxRepeat}, where a figure with a target had a spread over ${SPREAD_GOAL * 100}%, ${NO_COST_SPREAD_GOAL * 100}% for patched vs pristine: ${which})`;
}

/** An "other figure" (report.extra): sizes in whole bytes, times with 3 decimals; its name says its unit. */
export function formatOtherFigure(name: string, value: number): string {
  return value.toFixed(name.endsWith('(bytes)') ? 0 : 3);
}

function table(header: string[], rows: string[][]): string[] {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

export function benchSummaryMarkdown(r: BenchSummaryInput): string {
  const figure = figureLookup(r.figures);
  const out: string[] = [
    `Measured ${r.date.slice(0, 10)} on ${r.machine.cpus ?? 'an unknown CPU'} (${r.machine.cores} cores), ${r.repeat} interleaved repetitions${repetitionsText(r)}, medians; ratios > 1 mean the first is faster. ` +
      `A spread is the half-width of the 95% confidence interval of the median (of the ratios of each repetition, for a ratio), relative to it.`,
    '',
  ];
  const over = r.figures.filter(overSpreadGoal);
  if (r.maxRepeat !== undefined && r.maxRepeat > r.repeat && over.length > 0) {
    const goal = (f: Figure) => (spreadGoalOf(f) === SPREAD_GOAL ? '' : `, goal ${spreadGoalOf(f) * 100}%`);
    out.push(
      `Figures with a target whose spread is still over its goal (${SPREAD_GOAL * 100}% unless said) after the repetitions above: ${over.map((f) => `${f.label} (${percent(f.spread ?? 0)}${goal(f)})`).join('; ')}.`,
      '',
    );
  }
  // The kernels' tables, unless the run had no kernel (--only toplevel, --only eval).
  if (r.figures.some((f) => f.key.kind === 'ratio' || f.key.kind === 'ns-per-call' || f.key.kind === 'crossing-ratio')) out.push(...kernelTables(r, figure));
  if (r.figures.some((f) => f.key.kind === 'closures')) out.push(...closuresTable(figure));
  if (r.figures.some((f) => f.key.kind === 'iterator-ns-per-call' || f.key.kind === 'iterator-ratio')) out.push(...iteratorsTable(figure));
  out.push(...effectsTables(r.figures, figure));
  const top = r.figures.filter((f) => f.key.kind === 'toplevel');
  if (top.length > 0) {
    out.push(...table(['toplevels, same phrase script', 'ratio', 'target'], top.map((f) => [f.label, withSpread(f), f.target ?? ''])), '');
  }
  const evaluated = r.figures.filter((f) => f.key.kind === 'eval');
  if (evaluated.length > 0) {
    out.push(
      ...table(
        ['Eval (a native program evaluating phrases) vs the toplevels, same phrases', 'ratio', 'target'],
        evaluated.map((f) => [f.label, withSpread(f), f.target ?? '']),
      ),
      '',
    );
  }
  const mem = memoryFigures(r.eval?.memory);
  if (mem) {
    const mib = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
    out.push(
      `Memory kept by Eval per ${MEMORY_PER_PHRASES_TEXT} one-line phrases (after \`Gc.compact\`, measured over ${mem.phrases} phrases): ` +
        `${mib(mem.liveBytes)} of live heap, ${mib(mem.heapBytes)} of major heap, ${mem.rssBytes === undefined ? 'RSS not measured (no /proc)' : `${mib(mem.rssBytes)} of RSS`}.`,
      '',
    );
  }
  const extras = Object.entries(r.extra).map(([k, v]) => `${k}: ${formatOtherFigure(k, v)}`);
  if (extras.length > 0) out.push(`Other figures: ${extras.join('; ')}.`, '');
  const skipped = Object.entries(r.skipped);
  if (skipped.length > 0) out.push(`Skipped: ${skipped.map(([v, why]) => `${v} (${why})`).join('; ')}.`, '');
  return out.join('\n');
}

/** A spread as a whole percentage, or with one decimal under 10%: "1.4%". */
const percent = (x: number) => `${x < 0.1 ? (x * 100).toFixed(1) : Math.round(x * 100)}%`;

/** Whether a ratio's 95% confidence interval, value × (1 ± spread), holds 1: no difference this run can tell. */
export const holdsOne = (f: Figure): boolean => Math.abs(f.value - 1) <= f.value * (f.spread ?? 0);

/**
 * Programs that do not crossload against pristine 5.3.0 (issue 17: within noise, with enough repetitions to tell
 * 2% apart): each ratio with its spread, and whether its confidence interval holds 1.
 */
function noCostTable(kernels: readonly string[], figure: (key: FigureKey) => Figure | undefined): string[] {
  const rows = RATIO_QUESTIONS.filter((q) => q.spreadGoal === NO_COST_SPREAD_GOAL);
  const figs = rows.flatMap((q) => kernels.flatMap((kernel) => figure({ kind: 'ratio', question: q.id, kernel }) ?? []));
  if (figs.length === 0) return [];
  const cell = (f: Figure | undefined) => (f === undefined ? '—' : `${fmt(f)} (spread ${percent(f.spread ?? 0)}${holdsOne(f) ? '' : ', apart from 1'})`);
  const told = figs.filter((f) => (f.spread ?? 0) <= NO_COST_SPREAD_GOAL);
  return [
    ...table(
      [`patched vs pristine 5.3.0, programs that do not crossload (>1: patched is faster; target ≈ 1, spread goal ${NO_COST_SPREAD_GOAL * 100}%)`, ...kernels],
      rows.map((q) => [q.summaryRow ?? q.id, ...kernels.map((kernel) => cell(figure({ kind: 'ratio', question: q.id, kernel })))]),
    ),
    '',
    `Of these ${figs.length} ratios, ${figs.filter(holdsOne).length} hold 1 in their 95% confidence interval, and ${told.length} have a spread within ${NO_COST_SPREAD_GOAL * 100}%, ` +
      `so that a difference of ${NO_COST_SPREAD_GOAL * 100}% would show; ${told.filter(holdsOne).length} do both.`,
    '',
  ];
}

/** Millions of instructions, to two decimals: "974.37 M". */
const millions = (x: number) => `${(x / 1e6).toFixed(2)} M`;

/**
 * The same programs against pristine 5.3.0 by the instructions of one run of each kernel (valgrind), which tell
 * 2% apart where the timings above cannot: the ratio pristine / patched and the two counts.
 */
export function instructionsTable(counts: readonly InstructionCount[]): string[] {
  if (counts.length === 0) return [];
  const kernels = [...new Set(counts.map((c) => c.kernel))];
  const sides = [...new Set(counts.map((c) => c.side))];
  const cell = (kernel: string, side: string) => {
    const c = counts.find((x) => x.kernel === kernel && x.side === side);
    return c === undefined ? '—' : `${instructionRatio(c).toFixed(3)}× (${millions(c.patched)} vs ${millions(c.pristine)})`;
  };
  const within = counts.filter(withinInstructionGoal).length;
  return [
    ...table(
      [`instructions of one run, patched vs pristine 5.3.0 (valgrind; >1: patched executes fewer; goal: within ${INSTRUCTION_GOAL * 100}%)`, ...kernels],
      sides.map((side) => [`patched vs pristine, ${side}`, ...kernels.map((k) => cell(k, side))]),
    ),
    '',
    `Of these ${counts.length} counts, ${within} are within ${INSTRUCTION_GOAL * 100}% of pristine's` +
      (within === counts.length ? '.' : `; not: ${counts.filter((c) => !withinInstructionGoal(c)).map((c) => `${c.kernel}, ${c.side} (${instructionRatio(c).toFixed(3)}×)`).join('; ')}.`),
    '',
  ];
}

/** The tables of the kernels: ratios by kernel, ns per crossing call, crossings against calls within bytecode. */
function kernelTables(r: BenchSummaryInput, figure: (key: FigureKey) => Figure | undefined): string[] {
  // Columns: the compute kernels that have a ratio, in the order measured.
  const kernels = [...new Set(r.figures.flatMap((f) => (f.key.kind === 'ratio' ? [f.key.kernel] : [])))];
  const rows = RATIO_QUESTIONS.flatMap((q) => (q.summaryRow === undefined ? [] : [{ title: q.summaryRow, question: q.id }]));
  const out: string[] = [
    ...table(['ratio', ...kernels], rows.map(({ title, question }) => [title, ...kernels.map((kernel) => fmt(figure({ kind: 'ratio', question, kernel })))])),
    '',
    ...noCostTable(kernels, figure),
    ...instructionsTable(r.instructions ?? []),
  ];
  // Crossing cost: the direction depends on which side the host is.
  const ns = (kernel: string, variant: VariantName) => fmt(figure({ kind: 'ns-per-call', kernel, variant }));
  const host = (a: CrossingArity) => crossingKernelName('host_calls_plugin', a);
  const plugin = (a: CrossingArity) => crossingKernelName('plugin_calls_host', a);
  out.push(
    ...table(
      ['ns per call, arguments', 'native→native', 'bytecode→bytecode', 'native→bytecode (.cmo in native host)', 'bytecode→native (.cmxs in bytecode host)', 'bytecode→native (.cmo in native host)', 'native→bytecode (.cmxs in bytecode host)'],
      CROSSING_ARITIES.map((a) => [
        a === 'exn' ? '1, raising' : a,
        ns(host(a), 'native'),
        ns(host(a), 'byte'),
        ns(host(a), 'native+cmo'),
        ns(host(a), 'byte+cmxs'),
        ns(plugin(a), 'native+cmo'),
        ns(plugin(a), 'byte+cmxs'),
      ]),
    ),
    '',
    `Reference: \`caml_callback\` from C, 1 argument: ${ns(C_CALLS_OCAML_KERNEL.name, 'native')} ns in a native program, ${ns(C_CALLS_OCAML_KERNEL.name, 'byte')} ns in a bytecode one.`,
    '',
  );
  // The same crossings as ratios to the calls within bytecode, with their targets (issue 17's table).
  const cross = (kernel: string, variant: CrossingVariant) => figure({ kind: 'crossing-ratio', kernel, variant });
  out.push(
    ...table(
      ['bytecode→bytecode vs crossing, arguments (>1: the crossing is faster; target ≥ 0.67, raising ≥ 0.5)', 'native→bytecode (.cmo in native host)', 'bytecode→native (.cmxs in bytecode host)', 'bytecode→native (.cmo in native host)', 'native→bytecode (.cmxs in bytecode host)'],
      CROSSING_ARITIES.map((a) => [
        a === 'exn' ? '1, raising' : a,
        withSpread(cross(host(a), 'native+cmo')),
        withSpread(cross(host(a), 'byte+cmxs')),
        withSpread(cross(plugin(a), 'native+cmo')),
        withSpread(cross(plugin(a), 'byte+cmxs')),
      ]),
    ),
    '',
  );
  return out;
}

/** Issue 17's closures kernels: a row per closures question, with its spread and target. */
function closuresTable(figure: (key: FigureKey) => Figure | undefined): string[] {
  return [
    ...table(
      ['closures and partial applications built by bytecode', 'ratio', 'target'],
      CLOSURES_QUESTIONS.map((q) => [q.row, withSpread(figure({ kind: 'closures', question: q.id })), q.target ?? '']),
    ),
    '',
  ];
}

/** The host's native iterators over a plugin's callbacks: ns per callback on each side, and the ratio to bytecode→bytecode. */
function iteratorsTable(figure: (key: FigureKey) => Figure | undefined): string[] {
  const ns = (kernel: string, variant: 'native' | 'byte' | 'native+cmo') => fmt(figure({ kind: 'iterator-ns-per-call', kernel, variant }));
  const label: Record<string, string> = { iterators_list_map: '`List.map`', iterators_hashtbl_iter: '`Hashtbl.iter`' };
  return [
    ...table(
      [
        'ns per callback, iterator of the host',
        'native→native',
        'bytecode→bytecode',
        'native→bytecode (.cmo in native host)',
        `bytecode→bytecode vs native→bytecode (>1: the crossing is faster; target ${crossingTarget('1')})`,
      ],
      ITERATOR_KERNELS.map((k) => [
        label[k.name] ?? k.name,
        ns(k.name, 'native'),
        ns(k.name, 'byte'),
        ns(k.name, 'native+cmo'),
        withSpread(figure({ kind: 'iterator-ratio', kernel: k.name, variant: ITERATOR_CROSSING_VARIANT })),
      ]),
    ),
    '',
  ];
}

/** How the effects tables name a variant: its program, and where the plugin's code runs. */
const EFFECTS_VARIANT_TEXT: Partial<Record<VariantName, string>> = {
  native: 'native',
  byte: 'bytecode',
  'native+cmo': '.cmo in native host',
  'byte+cmxs': '.cmxs in bytecode host',
};
const effectsVariantText = (v: VariantName) => EFFECTS_VARIANT_TEXT[v] ?? v;

/**
 * Issue 16's effects across the boundary: ns per perform/continue pair in each placement and variant; each crossing
 * pair against the pure native pair (with its target) and against the pairs all in native code and all in bytecode
 * of the same process; a host→plugin call under a handler against the same call outside any. The pairs' tables if
 * a pair kernel ran, the calls' if a call kernel did.
 */
function effectsTables(figures: readonly Figure[], figure: (key: FigureKey) => Figure | undefined): string[] {
  const ran = (kernels: readonly string[]) => figures.some((f) => f.key.kind === 'effects-ns-per-call' && kernels.includes(f.key.kernel));
  const ns = (kernel: string, variant: VariantName) => fmt(figure({ kind: 'effects-ns-per-call', kernel, variant }));
  const pairs = EFFECTS_SIDES.flatMap((handler) => EFFECTS_SIDES.map((perform) => ({ handler, perform, kernel: effectsPairKernelName(handler, perform) })));
  const crossing = CROSSING_RATIO_VARIANTS.flatMap((variant: CrossingVariant) => pairs.filter((p) => p.handler !== p.perform).map((p) => ({ ...p, variant })));
  const ratio = (kernel: string, variant: CrossingVariant, reference: EffectsPairReference) => withSpread(figure({ kind: 'effects-pair-ratio', kernel, variant, reference }));
  const floorKernel = (c: { handler: EffectsSide; perform: EffectsSide }) => effectsFloorKernelName(c.handler, c.perform);
  const floorRatio = (kernel: string, variant: CrossingVariant, reference: EffectsFloorReference) => withSpread(figure({ kind: 'effects-floor-ratio', kernel, variant, reference }));
  const calls = [EFFECTS_CALL_KERNELS.outside, EFFECTS_CALL_KERNELS.under];
  const pairTables = [
    ...table(
      ['ns per perform/continue pair', ...EFFECTS_VARIANTS.map(effectsVariantText)],
      pairs.map((p) => [`handler in the ${p.handler}, perform in the ${p.perform}`, ...EFFECTS_VARIANTS.map((v) => ns(p.kernel, v))]),
    ),
    '',
    ...table(
      [
        'crossing perform/continue pair',
        `vs pure native pair (>1: the crossing is faster; target ${EFFECTS_PAIR_TARGET}, at most 3×)`,
        'vs native pair, same process',
        'vs bytecode pair, same process',
        'ns of its floor (the same loop, a crossing call in place of the perform)',
        'floor vs pure native pair (the best the pair could do)',
        'pair vs its floor',
      ],
      crossing.map((c) => [
        `${effectsPlacementLabel(c.handler, c.perform, c.variant)} (${effectsVariantText(c.variant)})`,
        ratio(c.kernel, c.variant, 'pure-native'),
        ratio(c.kernel, c.variant, 'native'),
        ratio(c.kernel, c.variant, 'bytecode'),
        ns(floorKernel(c), c.variant),
        floorRatio(floorKernel(c), c.variant, 'pure-native'),
        floorRatio(floorKernel(c), c.variant, 'pair'),
      ]),
    ),
    '',
  ];
  const callTable = [
    ...table(
      ['host→plugin call', 'ns outside any handler', 'ns under a handler', 'under a handler vs outside (>1: under a handler is faster)', 'target'],
      EFFECTS_VARIANTS.map((v) => [
        `${effectsCallDirection(v)} (${effectsVariantText(v)})`,
        ns(EFFECTS_CALL_KERNELS.outside, v),
        ns(EFFECTS_CALL_KERNELS.under, v),
        withSpread(figure({ kind: 'effects-handler-ratio', variant: v })),
        (CROSSING_RATIO_VARIANTS as readonly string[]).includes(v) ? EFFECTS_UNDER_HANDLER_TARGET : '',
      ]),
    ),
    '',
  ];
  return [...(ran(pairs.map((p) => p.kernel)) ? pairTables : []), ...(ran(calls) ? callTable : [])];
}
