import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVAL_ARCHIVES, EVAL_LINK_FLAGS, evalLibraryIn } from '../eval-library.ts';
import { run } from '../exec.ts';
import { projectPaths } from '../config.ts';
import { TIMEOUTS } from '../timeouts.ts';
import { SECTIONS, type Figure } from './questions.ts';
import { median, ratioSpread } from './stats.ts';
import { phraseScript, scriptLabel, toplevelPath, type PhraseScriptKind, type PhraseScriptSpec } from './toplevels.ts';

/**
 * Questions 6 and 7: what a native program that evaluates OCaml with the Eval library (ocamleval.cmxa: phrases
 * compiled to bytecode in memory, run by the interpreter of the native runtime) gains over the toplevels, and what
 * it keeps in memory. The host is bench/eval/eval_bench.ml; the toplevels run the same files, as whole processes,
 * interleaved with it within each repetition.
 *
 * - `eval-phrases`: latency of one phrase. The host evaluates N one-line phrases, each with its own Eval.eval, and
 *   times each; a toplevel's latency per phrase is (time with the N phrases - time with none) / N, both runs of the
 *   same repetition. Target: Eval at least 50 times faster per phrase than ocamlnat.
 * - `eval-script`: the toplevels' phrase scripts (toplevels.ts) evaluated by Eval.eval_file, each run timed as a
 *   whole process as the toplevels are.
 * - `eval-memory`: the heap and the RSS kept per 10 000 evaluated phrases (measured once per run).
 */
export const EVAL_PARTS = ['eval-phrases', 'eval-script', 'eval-memory'] as const;
export type EvalPart = (typeof EVAL_PARTS)[number];

/** The processes compared: the Eval host, and the toplevels on the same files. */
export const EVAL_RUNS = ['eval', 'ocaml.opt', 'ocaml', 'ocamlnat'] as const;
export type EvalRun = (typeof EVAL_RUNS)[number];

export type EvalQuestionId = 'eval-vs-ocamlnat' | 'eval-vs-ocaml' | 'eval-vs-ocaml.opt';

/** Speed of Eval relative to a toplevel: time(toplevel) / time(eval), per phrase or on a whole script. */
export interface EvalQuestion {
  id: EvalQuestionId;
  slow: Exclude<EvalRun, 'eval'>;
  /** The target of the latency per phrase (none on scripts). */
  target?: string;
}

export const EVAL_QUESTIONS: readonly EvalQuestion[] = [
  { id: 'eval-vs-ocamlnat', slow: 'ocamlnat', target: '≥ 50' },
  { id: 'eval-vs-ocaml', slow: 'ocaml' },
  // ocaml.opt is the toplevel that Eval is made of: what the library adds to it, or saves (no process, no output).
  { id: 'eval-vs-ocaml.opt', slow: 'ocaml.opt' },
];

/** The memory figures are "per 10 000 phrases", whatever the number measured. */
export const MEMORY_PER_PHRASES = 10_000;

export interface EvalPlan {
  /** One-line phrases of the latency files. */
  phrases: number;
  scripts: PhraseScriptSpec[];
  /** Phrases evaluated between the two measures of memory. */
  memoryPhrases: number;
}

/** Sizes of a run: the same N for every process (the per-phrase cost of ocamlnat is about 14 ms, Eval's 0.06 ms). */
export function evalPlan(quick: boolean): EvalPlan {
  return quick
    ? { phrases: 20, scripts: [{ kind: 'mix', phrases: 18 }], memoryPhrases: 500 }
    : {
        phrases: 300,
        scripts: [
          { kind: 'records', phrases: 50 },
          { kind: 'mix', phrases: 216 },
        ],
        memoryPhrases: MEMORY_PER_PHRASES,
      };
}

/**
 * The one-line phrases of a latency file: a first phrase that binds v0 = 0, then N phrases of the same shape that
 * each define a function and call it on the previous value, then a line that prints the checksum. The file with
 * N = 0 has the first and last lines only: a toplevel's time on it is what the N phrases are measured against. The
 * first phrase has the shape of the others so that what is done once (reading the Stdlib's interface) is done by
 * it, in every process, and not by the first of the N timed phrases of Eval.
 */
export function onelinePhrases(n: number): string[] {
  const lines = ['let v0 = let f x = x * 3 + 0 in f 0;;'];
  for (let i = 1; i <= n; i++) lines.push(`let v${i} = let f x = x * 3 + ${i} in f v${i - 1};;`);
  lines.push(`Printf.printf "checksum %d\\n" v${n};;`);
  return lines;
}

/** What the phrases of onelinePhrases(n) print: v_n in OCaml's 63-bit ints. */
export function onelineChecksum(n: number): string {
  const bits = 63n;
  const mask = (1n << bits) - 1n;
  let v = 0n;
  for (let i = 1; i <= n; i++) v = (v * 3n + BigInt(i)) & mask;
  const signed = v >= 1n << (bits - 1n) ? v - (1n << bits) : v;
  return `checksum ${signed}\n`;
}

export function writeOnelineFile(dir: string, n: number): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `oneline-${n}.ml`);
  writeFileSync(file, `${onelinePhrases(n).join('\n')}\n`);
  return file;
}

/** Every wall time of one process on one file, per repetition. */
export interface EvalTiming {
  run: EvalRun;
  /** `oneline` for the latency files (N phrases, and the file with none), else a phrase script. */
  workload: 'oneline' | PhraseScriptKind;
  phrases: number;
  seconds: number[];
}

/** The Eval host's own figures of one run of a latency file: the seconds of each of the N phrases (not the first and last line). */
export interface InProcessLatency {
  /** Sum of the N phrases' seconds. */
  total: number;
  median: number;
}

export interface MemoryMeasure {
  liveWords: number;
  heapWords: number;
  /** -1 where /proc/self/status is missing. */
  rssKb: number;
}

export interface EvalMemory {
  phrases: number;
  before: MemoryMeasure;
  after: MemoryMeasure;
}

export interface EvalMeasurement {
  plan: EvalPlan;
  parts: readonly EvalPart[];
  /** In the order first measured. */
  timings: EvalTiming[];
  /** The host's timings of the N phrases, one per repetition. */
  inProcess: InProcessLatency[];
  /**
   * The host's Eval.eval_file seconds on each script, per repetition; `phrases` names the script as its spec does
   * (the steps of a `records` script), `count` is the phrases in its file.
   */
  scriptInProcess: { script: PhraseScriptKind; phrases: number; count: number; seconds: number[] }[];
  memory?: EvalMemory;
  /** File → run → digest of what it printed (mismatches are bugs, as the kernels' checksums). */
  outputs: Record<string, Partial<Record<EvalRun | 'expected', string>>>;
  /** Run (or `eval (memory)`) → why it did not run. */
  skipped: Record<string, string>;
}

export const NO_EVAL: EvalMeasurement = { plan: evalPlan(true), parts: [], timings: [], inProcess: [], scriptInProcess: [], outputs: {}, skipped: {} };

const HOST_LINE = /^(phrase|script|memory|before|after|error) (.*)$/;

/** The host's stderr: the seconds of each phrase (latency), of the script, the memory measures, or the error. */
export interface HostReport {
  phrases: number[];
  script?: number;
  memory?: EvalMemory;
  error?: string;
}

/** Reads eval_bench's stderr (bench/eval/eval_bench.ml); lines it does not know are ignored. */
export function parseHostReport(stderr: string): HostReport {
  const out: HostReport = { phrases: [] };
  const measures: Partial<Record<'before' | 'after', MemoryMeasure>> = {};
  let memoryPhrases: number | undefined;
  for (const line of stderr.split('\n')) {
    const m = HOST_LINE.exec(line.trim());
    if (!m) continue;
    const [, tag, rest] = m as unknown as [string, string, string];
    if (tag === 'phrase') {
      const p = /^(\d+) (\S+)$/.exec(rest);
      if (p) out.phrases[Number(p[1]) - 1] = Number(p[2]);
    } else if (tag === 'script') out.script = Number(rest);
    else if (tag === 'memory') memoryPhrases = Number(rest);
    else if (tag === 'error') out.error = rest.replace(/^\d+ /, (n) => `phrase ${n.trim()}: `);
    else {
      const p = /^live_words (\d+) heap_words (\d+) rss_kb (-?\d+)$/.exec(rest);
      if (p) measures[tag as 'before' | 'after'] = { liveWords: Number(p[1]), heapWords: Number(p[2]), rssKb: Number(p[3]) };
    }
  }
  if (memoryPhrases !== undefined && measures.before && measures.after) out.memory = { phrases: memoryPhrases, before: measures.before, after: measures.after };
  return out;
}

/** The host's figures of a latency file: the N phrases are every line but the first (`let v0`) and the last (the checksum). */
export function inProcessLatency(phraseSeconds: readonly number[]): InProcessLatency {
  const timed = phraseSeconds.slice(1, -1);
  return { total: timed.reduce((a, b) => a + b, 0), median: median(timed) };
}

/** The phrases of a script written one a line (toplevels.ts, phraseScript): its lines that end with `;;`. */
export function phraseCount(text: string): number {
  return text.split('\n').filter((l) => l.trimEnd().endsWith(';;')).length;
}

/** A process's output as a checksum: itself when short, else a digest. */
export function outputDigest(stdout: string): string {
  return stdout.length <= 80 ? stdout : `sha256:${createHash('sha256').update(stdout).digest('hex').slice(0, 16)}`;
}

/** The files whose runs printed different things (a bug, not a speed), with what each printed. */
export function evalOutputMismatches(outputs: EvalMeasurement['outputs']): { file: string; byRun: Partial<Record<EvalRun | 'expected', string>> }[] {
  return Object.entries(outputs)
    .filter(([, byRun]) => new Set(Object.values(byRun)).size > 1)
    .map(([file, byRun]) => ({ file, byRun }));
}

/** Where ocamleval.cmxa is in an install prefix. */
export function evalLibrary(prefix: string): string {
  return evalLibraryIn(join(prefix, 'lib', 'ocaml'));
}

/** Builds bench/eval/eval_bench.ml with the prefix's ocamlopt, as eval.mli says a program using Eval is built. */
export async function buildEvalHost(prefix: string, workDir: string): Promise<string> {
  if (!existsSync(evalLibrary(prefix))) throw new Error(`no ${evalLibrary(prefix)} (the Eval library of the series)`);
  const dir = join(workDir, 'eval');
  mkdirSync(dir, { recursive: true });
  cpSync(join(projectPaths().benchSources, 'eval', 'eval_bench.ml'), join(dir, 'eval_bench.ml'));
  // The documented command line, with unix.cmxa for the host's clock.
  const args = [...EVAL_LINK_FLAGS, '-I', '+unix', 'unix.cmxa', ...EVAL_ARCHIVES, 'eval_bench.ml', '-o', 'eval_bench.exe'];
  const r = await run(join(prefix, 'bin', 'ocamlopt'), args, { cwd: dir, timeoutMs: TIMEOUTS.benchRunMs });
  if (r.exitCode !== 0) throw new Error(`ocamlopt ${args.join(' ')} failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ')}`);
  return join(dir, 'eval_bench.exe');
}

interface Runner {
  run: EvalRun;
  /** The command line for a file, in `mode` for the host. */
  argv(mode: 'latency' | 'script' | 'memory', file: string): [string, string[]];
}

interface ProcessResult {
  seconds: number;
  stdout: string;
  host: HostReport;
}

async function runOne(r: Runner, mode: 'latency' | 'script' | 'memory', file: string): Promise<ProcessResult | string> {
  const [bin, args] = r.argv(mode, file);
  const out = await run(bin, args, { cwd: join(file, '..'), timeoutMs: TIMEOUTS.benchRunMs });
  const host = r.run === 'eval' ? parseHostReport(out.stderr) : { phrases: [] };
  if (out.exitCode !== 0) return `exit ${out.exitCode}: ${host.error ?? (out.stderr || out.stdout).trim().split('\n').pop()}`;
  return { seconds: out.durationMs / 1000, stdout: out.stdout, host };
}

/**
 * Measures the parts of `parts`: after a warm-up, `repeat` repetitions, in each every process on every file one
 * after the other (so a noisy machine's drift hits them alike); memory once, after them. A process that cannot run is skipped, with
 * the reason, and the others go on.
 */
export async function measureEval(opts: {
  patched: string;
  /** The patched build tree, where ocamlnat is (toplevels.ts, toplevelPath). */
  buildTree: string;
  workDir: string;
  plan: EvalPlan;
  parts: readonly EvalPart[];
  repeat: number;
  /** Run every process on every file once before the timed repetitions (not with --quick). */
  warmUp: boolean;
  onRepetition?: (done: number, of: number) => void;
}): Promise<EvalMeasurement> {
  const { plan, parts } = opts;
  const out: EvalMeasurement = { plan, parts, timings: [], inProcess: [], scriptInProcess: [], outputs: {}, skipped: {} };
  const runners: Runner[] = [];
  try {
    const host = await buildEvalHost(opts.patched, opts.workDir);
    runners.push({ run: 'eval', argv: (mode, file) => [host, [mode, file]] });
  } catch (e) {
    out.skipped.eval = String((e as Error).message ?? e).split('\n')[0];
  }
  for (const t of ['ocaml.opt', 'ocaml', 'ocamlnat'] as const) {
    const bin = toplevelPath(opts.patched, t, opts.buildTree);
    if (bin) runners.push({ run: t, argv: (_mode, file) => [bin, ['-noinit', file]] });
    else out.skipped[t] = t === 'ocamlnat' ? 'not built (configure --enable-native-toplevel)' : `no ${t} in ${opts.patched}/bin`;
  }
  const dir = join(opts.workDir, 'eval');
  const latencyFiles = parts.includes('eval-phrases') ? { with: writeOnelineFile(dir, plan.phrases), without: writeOnelineFile(dir, 0) } : undefined;
  const scripts = parts.includes('eval-script')
    ? plan.scripts.map((spec) => {
        const file = phraseScript(dir, spec);
        return { spec, file, count: phraseCount(readFileSync(file, 'utf8')) };
      })
    : [];
  const live = () => runners.filter((r) => out.skipped[r.run] === undefined);

  const record = (r: Runner, workload: EvalTiming['workload'], phrases: number, file: string, res: ProcessResult) => {
    const t = out.timings.find((x) => x.run === r.run && x.workload === workload && x.phrases === phrases);
    if (t) t.seconds.push(res.seconds);
    else out.timings.push({ run: r.run, workload, phrases, seconds: [res.seconds] });
    const key = file.slice(dir.length + 1);
    (out.outputs[key] ??= {})[r.run] = outputDigest(res.stdout);
  };

  if (latencyFiles) {
    out.outputs['oneline-0.ml'] = { expected: outputDigest(onelineChecksum(0)) };
    out.outputs[`oneline-${plan.phrases}.ml`] = { expected: outputDigest(onelineChecksum(plan.phrases)) };
  }
  // Warm-up: every process on every file once, untimed (the page cache, ocamlnat's first assembler and linker runs:
  // the first repetition was the slowest by far, up to 3×, on the 2-core machine where the figures were measured).
  if (opts.warmUp) {
    const files = [
      ...(latencyFiles ? [latencyFiles.with, latencyFiles.without].map((file) => ({ mode: 'latency' as const, file })) : []),
      ...scripts.map((s) => ({ mode: 'script' as const, file: s.file })),
    ];
    for (const r of runners) {
      for (const { mode, file } of files) {
        if (out.skipped[r.run] !== undefined) break;
        const res = await runOne(r, mode, file);
        if (typeof res === 'string') out.skipped[r.run] = res;
      }
    }
  }
  for (let rep = 0; rep < opts.repeat; rep++) {
    if (latencyFiles) {
      for (const r of live()) {
        for (const [file, phrases] of [[latencyFiles.with, plan.phrases], [latencyFiles.without, 0]] as const) {
          const res = await runOne(r, 'latency', file);
          if (typeof res === 'string') {
            out.skipped[r.run] = res;
            break;
          }
          record(r, 'oneline', phrases, file, res);
          if (r.run === 'eval' && phrases > 0) out.inProcess.push(inProcessLatency(res.host.phrases));
        }
      }
    }
    for (const { spec, file, count } of scripts) {
      for (const r of live()) {
        const res = await runOne(r, 'script', file);
        if (typeof res === 'string') {
          out.skipped[r.run] = res;
          continue;
        }
        record(r, spec.kind, spec.phrases, file, res);
        if (r.run === 'eval' && res.host.script !== undefined) {
          const s = out.scriptInProcess.find((x) => x.script === spec.kind && x.phrases === spec.phrases);
          if (s) s.seconds.push(res.host.script);
          else out.scriptInProcess.push({ script: spec.kind, phrases: spec.phrases, count, seconds: [res.host.script] });
        }
      }
    }
    if (latencyFiles || scripts.length > 0) opts.onRepetition?.(rep + 1, opts.repeat);
  }
  const host = runners.find((r) => r.run === 'eval');
  if (parts.includes('eval-memory') && host && out.skipped.eval === undefined) {
    const file = join(dir, `oneline-${plan.memoryPhrases}.ml`);
    writeFileSync(file, `${onelinePhrases(plan.memoryPhrases).join('\n')}\n`);
    const res = await runOne(host, 'memory', file);
    if (typeof res === 'string') out.skipped['eval (memory)'] = res;
    else {
      out.memory = res.host.memory;
      out.outputs[`oneline-${plan.memoryPhrases}.ml`] = { eval: outputDigest(res.stdout), expected: outputDigest(onelineChecksum(plan.memoryPhrases)) };
    }
  }
  return out;
}

const secondsOf = (m: Pick<EvalMeasurement, 'timings'>, run: EvalRun, workload: EvalTiming['workload'], phrases: number) =>
  m.timings.find((t) => t.run === run && t.workload === workload && t.phrases === phrases)?.seconds;

/**
 * Seconds per phrase of a process, one per repetition: (time with the N phrases - time with none) / N, both of the
 * same repetition. For Eval, its own total of the N phrases / N (what a program calling Eval.eval waits); the
 * whole-process difference of the host is perPhraseWholeProcess('eval').
 */
export function perPhrase(m: Pick<EvalMeasurement, 'timings' | 'inProcess' | 'plan'>, run: EvalRun): number[] | undefined {
  if (run === 'eval') return m.inProcess.length > 0 ? m.inProcess.map((x) => x.total / m.plan.phrases) : undefined;
  return perPhraseWholeProcess(m, run);
}

export function perPhraseWholeProcess(m: Pick<EvalMeasurement, 'timings' | 'plan'>, run: EvalRun): number[] | undefined {
  const n = m.plan.phrases;
  const withN = secondsOf(m, run, 'oneline', n);
  const without = secondsOf(m, run, 'oneline', 0);
  if (!withN || !without || n === 0) return undefined;
  const reps = Math.min(withN.length, without.length);
  return Array.from({ length: reps }, (_, i) => (withN[i]! - without[i]!) / n);
}

/** A label's group for the latency files. */
export function onelineLabel(phrases: number): string {
  return `${phrases} one-line phrases, per phrase`;
}

/**
 * The figures: each question per phrase (section 6) and on each script (section 7), time(toplevel) / time(eval),
 * the spread the larger of the two sides'. Those whose processes did not both run are left out, never shown as 0.
 */
export function evalFigures(m: Pick<EvalMeasurement, 'timings' | 'inProcess' | 'plan'>): Figure[] {
  const out: Figure[] = [];
  const fast = perPhrase(m, 'eval');
  for (const q of EVAL_QUESTIONS) {
    const slow = perPhrase(m, q.slow);
    // A difference lost in the noise (a toplevel's time with N phrases at most its time without: --quick's small N)
    // has no ratio either.
    if (!fast || !slow || !(median(fast) > 0 && median(slow) > 0)) continue;
    out.push({
      question: SECTIONS.evalLatency,
      label: `${onelineLabel(m.plan.phrases)}: eval vs ${q.slow}`,
      value: median(slow) / median(fast),
      unit: 'ratio',
      spread: ratioSpread(slow, fast),
      ...(q.target ? { target: q.target } : {}),
      key: { kind: 'eval', question: q.id, workload: 'oneline', phrases: m.plan.phrases },
    });
  }
  const specs = new Map(m.timings.filter((t) => t.workload !== 'oneline').map((t) => [`${t.workload}|${t.phrases}`, { kind: t.workload as PhraseScriptKind, phrases: t.phrases }]));
  for (const spec of specs.values()) {
    const evalSeconds = secondsOf(m, 'eval', spec.kind, spec.phrases);
    for (const q of EVAL_QUESTIONS) {
      const slow = secondsOf(m, q.slow, spec.kind, spec.phrases);
      if (!evalSeconds || !slow) continue;
      out.push({
        question: SECTIONS.evalScript,
        label: `${scriptLabel(spec)}: eval vs ${q.slow}`,
        value: median(slow) / median(evalSeconds),
        unit: 'ratio',
        spread: ratioSpread(slow, evalSeconds),
        key: { kind: 'eval', question: q.id, workload: spec.kind, phrases: spec.phrases },
      });
    }
  }
  return out;
}

/** Bytes per MEMORY_PER_PHRASES phrases of a growth measured over `phrases`. */
const per10k = (bytes: number, phrases: number) => (bytes * MEMORY_PER_PHRASES) / phrases;
const MiB = 1024 * 1024;

/** MEMORY_PER_PHRASES as the report writes it: "10 000". */
export const MEMORY_PER_PHRASES_TEXT = MEMORY_PER_PHRASES.toString().replace(/\B(?=(\d{3})+$)/g, ' ');

/** The figures that are no ratio: the latencies in ms, the scripts' times and rates, the memory kept. */
export function evalExtra(m: Pick<EvalMeasurement, 'timings' | 'inProcess' | 'plan' | 'scriptInProcess' | 'memory'>): Record<string, number> {
  const extra: Record<string, number> = {};
  const n = m.plan.phrases;
  if (m.inProcess.length > 0) {
    extra[`eval: ${n} one-line phrases, per phrase, in the host, mean (ms, median)`] = median(m.inProcess.map((x) => x.total / n)) * 1000;
    extra[`eval: ${n} one-line phrases, per phrase, in the host, median phrase (ms, median)`] = median(m.inProcess.map((x) => x.median)) * 1000;
    extra[`eval: ${n} one-line phrases, in the host, total (s, median)`] = median(m.inProcess.map((x) => x.total));
  }
  for (const run of EVAL_RUNS) {
    const xs = perPhraseWholeProcess(m, run);
    if (xs) extra[`${run}: ${n} one-line phrases, per phrase, whole process (ms, median)`] = median(xs) * 1000;
  }
  for (const t of m.timings.filter((t) => t.workload !== 'oneline')) {
    extra[`${t.run}: ${scriptLabel({ kind: t.workload as PhraseScriptKind, phrases: t.phrases })}, whole process (s, median)`] = median(t.seconds);
  }
  for (const s of m.scriptInProcess) {
    extra[`eval: ${scriptLabel({ kind: s.script, phrases: s.phrases })}, Eval.eval_file in the host (phrases/s, median)`] = s.count / median(s.seconds);
  }
  const mem = memoryFigures(m.memory);
  if (mem) {
    const per = `per ${MEMORY_PER_PHRASES_TEXT} one-line phrases, measured over ${mem.phrases}`;
    extra[`eval: live heap kept ${per} (MiB)`] = mem.liveBytes / MiB;
    extra[`eval: major heap growth ${per} (MiB)`] = mem.heapBytes / MiB;
    if (mem.rssBytes !== undefined) extra[`eval: RSS growth ${per} (MiB)`] = mem.rssBytes / MiB;
  }
  return extra;
}

/** The memory kept per MEMORY_PER_PHRASES phrases, in bytes (8-byte words); rssBytes undefined without /proc. */
export function memoryFigures(memory: EvalMemory | undefined): { phrases: number; liveBytes: number; heapBytes: number; rssBytes?: number } | undefined {
  if (!memory || memory.phrases <= 0) return undefined;
  const { phrases, before, after } = memory;
  return {
    phrases,
    liveBytes: per10k((after.liveWords - before.liveWords) * 8, phrases),
    heapBytes: per10k((after.heapWords - before.heapWords) * 8, phrases),
    ...(before.rssKb >= 0 && after.rssKb >= 0 ? { rssBytes: per10k((after.rssKb - before.rssKb) * 1024, phrases) } : {}),
  };
}
