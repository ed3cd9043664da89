import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../exec.ts';
import { SECTIONS, type Figure } from './questions.ts';
import { median } from './stats.ts';
import { TIMEOUTS } from '../timeouts.ts';

/**
 * Question 4: how long each toplevel takes to answer a script of N phrases
 * (type-checking and compiling dominate), measured as wall time of the
 * whole run, the toplevels interleaved within each repetition.
 */
export const TOPLEVELS = ['ocaml', 'ocaml.opt', 'ocamlnat'] as const;

/**
 * What is timed: each toplevel of the patched build and, when there is a pristine build, pristine 5.3.0's `ocaml`.
 * The patched `ocaml` runs on ocamlrun.crossload (patch 21): pristine `ocaml`, on ocamlrun, shows what that costs a
 * user who never loads a .cmxs.
 */
export type ToplevelRun = (typeof TOPLEVELS)[number] | 'pristine ocaml';

/** The --only name that selects the toplevel timings (kernels are selected by their own names). */
export const TOPLEVEL_SELECTION_NAME = 'toplevel';

/** The phrase scripts of a run, by number of phrases. */
export function phraseCounts(quick: boolean): number[] {
  return quick ? [20] : [50, 200];
}

export type ToplevelQuestionId = 'ocaml.opt-vs-ocaml' | 'ocamlnat-vs-ocaml' | 'ocaml-vs-pristine-ocaml';

/** Speed of toplevel `fast` relative to `slow` on each phrase script: time(slow) / time(fast). */
export interface ToplevelQuestion {
  id: ToplevelQuestionId;
  fast: ToplevelRun;
  slow: ToplevelRun;
  target?: string;
}

export const TOPLEVEL_QUESTIONS: readonly ToplevelQuestion[] = [
  { id: 'ocaml.opt-vs-ocaml', fast: 'ocaml.opt', slow: 'ocaml', target: '≥ 3' },
  { id: 'ocamlnat-vs-ocaml', fast: 'ocamlnat', slow: 'ocaml' },
  { id: 'ocaml-vs-pristine-ocaml', fast: 'ocaml', slow: 'pristine ocaml' },
];

/** The wall times of one toplevel on one phrase script, one per repetition that ran. */
export interface ToplevelTiming {
  run: ToplevelRun;
  phrases: number;
  seconds: number[];
}

export interface ToplevelMeasurement {
  /** In the order first measured: by phrase count, then TOPLEVELS, then pristine `ocaml`. */
  timings: ToplevelTiming[];
  /** Toplevel → why it did not run. */
  skipped: Partial<Record<ToplevelRun, string>>;
}

/** Times every toplevel on every phrase script, `repeat` times, interleaved within each repetition. */
export async function timeToplevels(opts: {
  patched: string;
  pristine?: string;
  /** The patched build tree, where ocamlnat is (see toplevelPath). */
  buildTree: string;
  workDir: string;
  phraseCounts: readonly number[];
  repeat: number;
}): Promise<ToplevelMeasurement> {
  const runs: { name: ToplevelRun; toplevel: string; prefix: string; buildTree?: string }[] = [
    ...TOPLEVELS.map((t) => ({ name: t, toplevel: t, prefix: opts.patched, buildTree: opts.buildTree })),
    ...(opts.pristine ? [{ name: 'pristine ocaml' as const, toplevel: 'ocaml', prefix: opts.pristine }] : []),
  ];
  const timings: ToplevelTiming[] = [];
  const skipped: ToplevelMeasurement['skipped'] = {};
  for (const phrases of opts.phraseCounts) {
    const script = phraseScript(join(opts.workDir, 'toplevel'), phrases);
    for (let r = 0; r < opts.repeat; r++) {
      for (const { name, toplevel, prefix, buildTree } of runs) {
        const out = await timeToplevel(prefix, toplevel, script, buildTree);
        if (typeof out === 'string') {
          skipped[name] = out;
          continue;
        }
        const timing = timings.find((t) => t.run === name && t.phrases === phrases);
        if (timing) timing.seconds.push(out);
        else timings.push({ run: name, phrases, seconds: [out] });
      }
    }
  }
  return { timings, skipped };
}

/** The toplevel questions on each phrase script (in order of phrase count); those whose toplevels did not both run are left out. */
export function toplevelFigures(timings: readonly ToplevelTiming[]): Figure[] {
  const seconds = (run: ToplevelRun, phrases: number) => timings.find((t) => t.run === run && t.phrases === phrases)?.seconds;
  const out: Figure[] = [];
  for (const phrases of [...new Set(timings.map((t) => t.phrases))]) {
    for (const q of TOPLEVEL_QUESTIONS) {
      const fast = seconds(q.fast, phrases);
      const slow = seconds(q.slow, phrases);
      if (!fast || !slow) continue;
      out.push({
        question: SECTIONS.toplevels,
        label: `${phrases} phrases: ${q.fast} vs ${q.slow}`,
        value: median(slow) / median(fast),
        unit: 'ratio',
        ...(q.target ? { target: q.target } : {}),
        key: { kind: 'toplevel', question: q.id, phrases },
      });
    }
  }
  return out;
}

/** The median time of each toplevel on each script, for the report's other figures. */
export function toplevelExtra(timings: readonly ToplevelTiming[]): Record<string, number> {
  return Object.fromEntries(timings.map((t) => [`toplevel ${t.run}, ${t.phrases} phrases (s, median)`, median(t.seconds)]));
}

export function phraseScript(dir: string, phrases: number): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `phrases-${phrases}.ml`);
  const lines: string[] = [];
  for (let i = 0; i < phrases; i++) {
    lines.push(
      `type r${i} = { a${i} : int; b${i} : string list };;`,
      `let f${i} (x : r${i}) = List.length x.b${i} + x.a${i} * ${i};;`,
      `let v${i} = f${i} { a${i} = ${i}; b${i} = List.init ${i % 7} string_of_int };;`,
    );
  }
  lines.push(`print_int (${Array.from({ length: Math.min(phrases, 50) }, (_, i) => `v${i}`).join(' + ')});;`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
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

export async function timeToplevel(prefix: string, toplevel: string, script: string, buildTree?: string): Promise<number | string> {
  const bin = toplevelPath(prefix, toplevel, buildTree);
  if (!bin) return toplevel === 'ocamlnat' ? 'not built (configure --enable-native-toplevel)' : `no ${toplevel} in ${prefix}/bin`;
  const r = await run(bin, ['-noinit', script], { cwd: join(script, '..'), timeoutMs: TIMEOUTS.benchRunMs });
  if (r.exitCode !== 0) return `exit ${r.exitCode}: ${(r.stderr || r.stdout).trim().split('\n').pop()}`;
  return r.durationMs / 1000;
}
