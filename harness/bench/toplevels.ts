import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../exec.ts';
import { overSpreadGoal, SECTIONS, type Figure } from './questions.ts';
import { median, ratioSpread } from './stats.ts';
import { TIMEOUTS } from '../timeouts.ts';

/**
 * Question 4: how long each toplevel takes to answer a script of N phrases
 * (type-checking and compiling dominate), measured as wall time of the
 * whole run, the toplevels interleaved within each repetition.
 */
export const TOPLEVELS = ['ocaml', 'ocaml.opt', 'ocamlnat'] as const;

/**
 * What is timed: each toplevel of the patched build and, when there is a pristine build, pristine 5.3.0's `ocaml`.
 * The patched `ocaml` runs on ocamlrun.crossload (patch 0018): pristine `ocaml`, on ocamlrun, shows what that costs a
 * user who never loads a .cmxs.
 */
export type ToplevelRun = (typeof TOPLEVELS)[number] | 'pristine ocaml' | CompilerRun;

/**
 * Pristine 5.3.0's compiler on the same script (`ocamlc -c`), as bytecode and as native code: how much faster the
 * compiler's own work (parsing, typing, bytecode generation, which dominate a phrase) gets when compiled natively.
 * That is the reference for ocaml.opt against ocaml, which compile each phrase with the same code, natively and as
 * bytecode.
 */
export const COMPILER_RUNS = ['pristine ocamlc.byte', 'pristine ocamlc.opt'] as const;
export type CompilerRun = (typeof COMPILER_RUNS)[number];

/** The --only name that selects the toplevel timings (kernels are selected by their own names). */
export const TOPLEVEL_SELECTION_NAME = 'toplevel';

/**
 * The kinds of phrase script: `records` (a type, a function and a value per step: type-checking and compiling of
 * small phrases), `mix` (modules, functors, classes, exceptions, closures and printing: what an everyday session
 * does, with more of the compiler and of the runtime's printing at work).
 */
export type PhraseScriptKind = 'records' | 'mix';

export interface PhraseScriptSpec {
  kind: PhraseScriptKind;
  phrases: number;
}

/** The phrase scripts of a run. */
export function phraseScripts(quick: boolean): PhraseScriptSpec[] {
  return quick
    ? [
        { kind: 'records', phrases: 20 },
        { kind: 'mix', phrases: MIX_PHRASES_PER_STEP * 2 },
      ]
    : [
        { kind: 'records', phrases: 50 },
        { kind: 'records', phrases: 200 },
        { kind: 'mix', phrases: MIX_PHRASES_PER_STEP * 6 },
        { kind: 'mix', phrases: MIX_PHRASES_PER_STEP * 24 },
      ];
}

/** What a script is called in labels and in the report's other figures. */
export function scriptLabel(spec: PhraseScriptSpec): string {
  return `${spec.phrases} phrases (${spec.kind})`;
}

export type ToplevelQuestionId = 'ocaml.opt-vs-ocaml' | 'ocaml.opt-vs-pristine-ocaml' | 'ocamlnat-vs-ocaml' | 'ocamlc.opt-vs-ocamlc.byte' | 'ocaml-vs-pristine-ocaml';

/** Speed of toplevel `fast` relative to `slow` on each phrase script: time(slow) / time(fast). */
export interface ToplevelQuestion {
  id: ToplevelQuestionId;
  fast: ToplevelRun;
  slow: ToplevelRun;
  target?: string;
}

export const TOPLEVEL_QUESTIONS: readonly ToplevelQuestion[] = [
  { id: 'ocaml.opt-vs-ocaml', fast: 'ocaml.opt', slow: 'ocaml', target: '≥ 3' },
  // Issue 17: ocaml.opt at least 6 times as fast as the stock toplevel on every script.
  { id: 'ocaml.opt-vs-pristine-ocaml', fast: 'ocaml.opt', slow: 'pristine ocaml', target: '≥ 6' },
  { id: 'ocamlnat-vs-ocaml', fast: 'ocamlnat', slow: 'ocaml' },
  { id: 'ocamlc.opt-vs-ocamlc.byte', fast: 'pristine ocamlc.opt', slow: 'pristine ocamlc.byte' },
  { id: 'ocaml-vs-pristine-ocaml', fast: 'ocaml', slow: 'pristine ocaml' },
];

/** The wall times of one toplevel on one phrase script, one per repetition that ran. */
export interface ToplevelTiming {
  run: ToplevelRun;
  script: PhraseScriptKind;
  phrases: number;
  seconds: number[];
}

export interface ToplevelMeasurement {
  /** In the order first measured: by script, then TOPLEVELS, then pristine `ocaml`. */
  timings: ToplevelTiming[];
  /** Toplevel → why it did not run. */
  skipped: Partial<Record<ToplevelRun, string>>;
}

/**
 * Repetitions of `ocamlnat` at most: it assembles and links each phrase, 20 to 100 times slower than the others,
 * whose rows need many repetitions on a noisy machine; its ratio to `ocaml` needs no precision.
 */
export const OCAMLNAT_REPEAT = 3;

/**
 * Times every toplevel on every phrase script, `repeat` times (`ocamlnat` at most OCAMLNAT_REPEAT), interleaved
 * within each repetition.
 */
export async function timeToplevels(opts: {
  patched: string;
  pristine?: string;
  /** The patched build tree, where ocamlnat is (see toplevelPath). */
  buildTree: string;
  workDir: string;
  scripts: readonly PhraseScriptSpec[];
  repeat: number;
  /**
   * At most this many repetitions of a script (ocamlnat's excepted) while one of its figures with a target has a
   * spread over SPREAD_GOAL; by default `repeat`.
   */
  maxRepeat?: number;
}): Promise<ToplevelMeasurement> {
  const runs: { name: ToplevelRun; toplevel: string; prefix: string; buildTree?: string; compiler?: true }[] = [
    ...TOPLEVELS.map((t) => ({ name: t, toplevel: t, prefix: opts.patched, buildTree: opts.buildTree })),
    ...(opts.pristine ? [{ name: 'pristine ocaml' as const, toplevel: 'ocaml', prefix: opts.pristine }] : []),
    ...(opts.pristine ? COMPILER_RUNS.map((name) => ({ name, toplevel: name.slice('pristine '.length), prefix: opts.pristine!, compiler: true as const })) : []),
  ];
  const timings: ToplevelTiming[] = [];
  const skipped: ToplevelMeasurement['skipped'] = {};
  for (const spec of opts.scripts) {
    const { kind, phrases } = spec;
    const script = phraseScript(join(opts.workDir, 'toplevel'), spec);
    const maxRepeat = Math.max(opts.repeat, opts.maxRepeat ?? opts.repeat);
    const spreadOverGoal = () =>
      toplevelFigures(timings.filter((t) => t.script === kind && t.phrases === phrases)).some(overSpreadGoal);
    for (let r = 0; r < maxRepeat; r++) {
      if (r >= opts.repeat && !spreadOverGoal()) break;
      for (const { name, toplevel, prefix, buildTree, compiler } of runs) {
        if (name === 'ocamlnat' && r >= OCAMLNAT_REPEAT) continue;
        if (skipped[name] !== undefined) continue;
        const out = compiler ? await timeCompiler(prefix, toplevel, script) : await timeToplevel(prefix, toplevel, script, buildTree);
        if (typeof out === 'string') {
          skipped[name] = out;
          continue;
        }
        const timing = timings.find((t) => t.run === name && t.script === kind && t.phrases === phrases);
        if (timing) timing.seconds.push(out);
        else timings.push({ run: name, script: kind, phrases, seconds: [out] });
      }
    }
  }
  return { timings, skipped };
}

/** The toplevel questions on each phrase script (in the order measured); those whose toplevels did not both run are left out. */
export function toplevelFigures(timings: readonly ToplevelTiming[]): Figure[] {
  const seconds = (run: ToplevelRun, spec: PhraseScriptSpec) =>
    timings.find((t) => t.run === run && t.script === spec.kind && t.phrases === spec.phrases)?.seconds;
  const specs = new Map(timings.map((t) => [`${t.script}|${t.phrases}`, { kind: t.script, phrases: t.phrases }]));
  const out: Figure[] = [];
  for (const spec of specs.values()) {
    for (const q of TOPLEVEL_QUESTIONS) {
      const fast = seconds(q.fast, spec);
      const slow = seconds(q.slow, spec);
      if (!fast || !slow) continue;
      out.push({
        question: SECTIONS.toplevels,
        label: `${scriptLabel(spec)}: ${q.fast} vs ${q.slow}`,
        value: median(slow) / median(fast),
        unit: 'ratio',
        spread: ratioSpread(slow, fast),
        ...(q.target ? { target: q.target } : {}),
        key: { kind: 'toplevel', question: q.id, script: spec.kind, phrases: spec.phrases },
      });
    }
  }
  return out;
}

/** The median time of each toplevel on each script, for the report's other figures. */
export function toplevelExtra(timings: readonly ToplevelTiming[]): Record<string, number> {
  return Object.fromEntries(
    timings.map((t) => [`toplevel ${t.run}, ${scriptLabel({ kind: t.script, phrases: t.phrases })} (s, median)`, median(t.seconds)]),
  );
}

/** Writes the phrase script of `spec` into `dir`; every toplevel runs the same file. */
export function phraseScript(dir: string, spec: PhraseScriptSpec): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `phrases-${spec.kind}-${spec.phrases}.ml`);
  const lines = spec.kind === 'records' ? recordsPhrases(spec.phrases) : mixPhrases(spec.phrases / MIX_PHRASES_PER_STEP);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

function recordsPhrases(phrases: number): string[] {
  const lines: string[] = [];
  for (let i = 0; i < phrases; i++) {
    lines.push(
      `type r${i} = { a${i} : int; b${i} : string list };;`,
      `let f${i} (x : r${i}) = List.length x.b${i} + x.a${i} * ${i};;`,
      `let v${i} = f${i} { a${i} = ${i}; b${i} = List.init ${i % 7} string_of_int };;`,
    );
  }
  lines.push(`print_int (${Array.from({ length: Math.min(phrases, 50) }, (_, i) => `v${i}`).join(' + ')});;`);
  return lines;
}

/** The phrases of one step of the `mix` script. */
export const MIX_PHRASES_PER_STEP = 9;

function mixPhrases(steps: number): string[] {
  const lines: string[] = [];
  for (let i = 0; i < steps; i++) {
    const step = [
      `module M${i} = struct type t = A${i} of int | B${i} of string let f = function A${i} n -> n + ${i} | B${i} s -> String.length s end;;`,
      `module F${i} (X : sig val x : int end) = struct let y = X.x * 2 let g z = z + y end;;`,
      `module N${i} = F${i} (struct let x = ${i} end);;`,
      `class c${i} (n : int) = object (self) val mutable v = n method get = v method bump = v <- v + 1; self#get end;;`,
      `class d${i} = object inherit c${i} ${i} method! get = v * 2 end;;`,
      `exception E${i} of int;;`,
      `let h${i} = try raise (E${i} (N${i}.g ${i})) with E${i} n -> n + M${i}.f (M${i}.A${i} ${i});;`,
      `let k${i} = let add a b = a + b in List.map (add ${i}) [1; 2; 3];;`,
      `Printf.printf "%d %d %d\\n" h${i} (new d${i})#bump (List.length k${i});;`,
    ];
    if (step.length !== MIX_PHRASES_PER_STEP) throw new Error('MIX_PHRASES_PER_STEP is stale');
    lines.push(...step);
  }
  return lines;
}

/**
 * Where a toplevel is: installed in prefix/bin, or, for ocamlnat, in the
 * build tree, where 5.3.0's `make` builds it even though only
 * --enable-native-toplevel installs it (it finds the installed stdlib).
 */
export function toplevelPath(prefix: string, toplevel: string, buildTree?: string): string | undefined {
  const candidates = [join(prefix, 'bin', toplevel), ...(toplevel === 'ocamlnat' && buildTree ? [join(buildTree, 'ocamlnat')] : [])];
  return candidates.find((p) => existsSync(p));
}

/** The wall time of `ocamlc -c` (warnings off) on the script, in its directory, or why it did not run. */
export async function timeCompiler(prefix: string, compiler: string, script: string): Promise<number | string> {
  const bin = join(prefix, 'bin', compiler);
  if (!existsSync(bin)) return `no ${compiler} in ${prefix}/bin`;
  const r = await run(bin, ['-w', '-a', '-c', script], { cwd: join(script, '..'), timeoutMs: TIMEOUTS.benchRunMs });
  if (r.exitCode !== 0) return `exit ${r.exitCode}: ${(r.stderr || r.stdout).trim().split('\n').pop()}`;
  return r.durationMs / 1000;
}

export async function timeToplevel(prefix: string, toplevel: string, script: string, buildTree?: string): Promise<number | string> {
  const bin = toplevelPath(prefix, toplevel, buildTree);
  if (!bin) return toplevel === 'ocamlnat' ? 'not built (configure --enable-native-toplevel)' : `no ${toplevel} in ${prefix}/bin`;
  const r = await run(bin, ['-noinit', script], { cwd: join(script, '..'), timeoutMs: TIMEOUTS.benchRunMs });
  if (r.exitCode !== 0) return `exit ${r.exitCode}: ${(r.stderr || r.stdout).trim().split('\n').pop()}`;
  return r.durationMs / 1000;
}
