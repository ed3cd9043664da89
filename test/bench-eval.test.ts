import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chartBar, chartTargets } from '../harness/bench/chart.ts';
import {
  EVAL_PARTS,
  evalExtra,
  evalFigures,
  evalOutputMismatches,
  evalPlan,
  inProcessLatency,
  memoryFigures,
  onelineChecksum,
  onelinePhrases,
  outputDigest,
  parseHostReport,
  phraseCount,
  perPhrase,
  perPhraseWholeProcess,
  writeOnelineFile,
  type EvalMeasurement,
} from '../harness/bench/eval.ts';
import { parseBenchOptions } from '../harness/bench/options.ts';
import { figureLookup, SECTIONS } from '../harness/bench/questions.ts';
import { figureTable, otherFigures } from '../harness/bench/report.ts';
import { benchSummaryMarkdown } from '../harness/bench/summary.ts';
import { phraseScript } from '../harness/bench/toplevels.ts';

describe('evaluated phrases: the latency files', () => {
  it('a first phrase, N one-line phrases of the same shape, a line printing the checksum', () => {
    const lines = onelinePhrases(3);
    expect(lines).toEqual([
      'let v0 = let f x = x * 3 + 0 in f 0;;',
      'let v1 = let f x = x * 3 + 1 in f v0;;',
      'let v2 = let f x = x * 3 + 2 in f v1;;',
      'let v3 = let f x = x * 3 + 3 in f v2;;',
      'Printf.printf "checksum %d\\n" v3;;',
    ]);
    expect(onelinePhrases(0)).toEqual(['let v0 = let f x = x * 3 + 0 in f 0;;', 'Printf.printf "checksum %d\\n" v0;;']);
    const file = writeOnelineFile(mkdtempSync(join(tmpdir(), 'wb-eval-')), 300);
    const text = readFileSync(file, 'utf8');
    expect(text.split('\n').filter((l) => l.endsWith(';;'))).toHaveLength(302);
  });

  it('knows what they print, in OCaml\'s 63-bit ints (the larger values as ocaml, ocamlnat and Eval printed them)', () => {
    expect(onelineChecksum(0)).toBe('checksum 0\n');
    expect(onelineChecksum(3)).toBe('checksum 18\n'); // v1 = 1, v2 = 5, v3 = 18
    expect(onelineChecksum(300)).toBe('checksum 3118314816734043198\n');
    expect(onelineChecksum(1000)).toBe('checksum -4570891264260947356\n');
    expect(onelineChecksum(10_000)).toBe('checksum -4025715809068273944\n');
  });

  it('counts the phrases of a script, one a line', () => {
    expect(phraseCount('let a = 1;;\nlet b = 2;;  \n\n(* no *)\n')).toBe(2);
    const dir = mkdtempSync(join(tmpdir(), 'wb-eval-'));
    // A records script of 50 steps has 3 phrases a step and a last one that prints.
    expect(phraseCount(readFileSync(phraseScript(dir, { kind: 'records', phrases: 50 }), 'utf8'))).toBe(151);
  });

  it('every process runs the same N; --quick is small', () => {
    expect(evalPlan(false)).toMatchObject({ phrases: 300, memoryPhrases: 10_000 });
    expect(evalPlan(false).scripts.map((s) => `${s.kind} ${s.phrases}`)).toEqual(['records 50', 'mix 216']);
    expect(evalPlan(true).phrases).toBeLessThanOrEqual(20);
    expect(evalPlan(true).memoryPhrases).toBeLessThan(10_000);
  });
});

describe('evaluated phrases: the host\'s report (stderr of bench/eval/eval_bench.ml)', () => {
  it('reads the seconds of each phrase by number, ignoring other lines', () => {
    const r = parseHostReport('phrase 1 0.000200000\nphrase 2 0.000040000\nwarning: something\nphrase 3 0.000060000\nphrase 4 0.001000000\n');
    expect(r.phrases).toEqual([0.0002, 0.00004, 0.00006, 0.001]);
    expect(r.error).toBeUndefined();
    // The N phrases are the lines between the first and the last.
    expect(inProcessLatency(r.phrases)).toEqual({ total: 0.0001, median: 0.00005 });
  });

  it('reads the script time, the memory measures and an error', () => {
    expect(parseHostReport('script 0.042667866\n').script).toBeCloseTo(0.042667866);
    const m = parseHostReport('before live_words 210605 heap_words 304867 rss_kb 19068\nafter live_words 13316815 heap_words 13473004 rss_kb 137264\nmemory 10000\n');
    expect(m.memory).toEqual({
      phrases: 10_000,
      before: { liveWords: 210605, heapWords: 304867, rssKb: 19068 },
      after: { liveWords: 13316815, heapWords: 13473004, rssKb: 137264 },
    });
    // Without its "memory" line (the host died before the end) there is no memory figure.
    expect(parseHostReport('before live_words 1 heap_words 2 rss_kb 3\n').memory).toBeUndefined();
    expect(parseHostReport('phrase 1 0.1\nerror 2 Unbound value x\n').error).toBe('phrase 2: Unbound value x');
  });

  it('memory per 10 000 phrases: 8-byte words and kB scaled from the phrases measured; no RSS without /proc', () => {
    const before = { liveWords: 1000, heapWords: 2000, rssKb: 100 };
    expect(memoryFigures({ phrases: 10_000, before, after: { liveWords: 1000 + 131072, heapWords: 2000 + 262144, rssKb: 100 + 2048 } })).toEqual({
      phrases: 10_000,
      liveBytes: 1024 * 1024,
      heapBytes: 2 * 1024 * 1024,
      rssBytes: 2 * 1024 * 1024,
    });
    expect(memoryFigures({ phrases: 500, before, after: { liveWords: 1000 + 500, heapWords: 2000, rssKb: 100 } })).toMatchObject({ liveBytes: 80_000, heapBytes: 0, rssBytes: 0 });
    expect(memoryFigures({ phrases: 500, before: { ...before, rssKb: -1 }, after: { ...before, rssKb: -1 } })?.rssBytes).toBeUndefined();
    expect(memoryFigures(undefined)).toBeUndefined();
  });

  it('outputs are checksums: short ones as they are, others digested; a difference is a mismatch', () => {
    expect(outputDigest('checksum 18\n')).toBe('checksum 18\n');
    expect(outputDigest('x'.repeat(100))).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(outputDigest('x'.repeat(100))).not.toBe(outputDigest(`${'x'.repeat(99)}y`));
    expect(
      evalOutputMismatches({
        'oneline-3.ml': { expected: 'checksum 18\n', eval: 'checksum 18\n', ocaml: 'checksum 18\n' },
        'oneline-0.ml': { expected: 'checksum 0\n', eval: 'checksum 1\n' },
      }),
    ).toEqual([{ file: 'oneline-0.ml', byRun: { expected: 'checksum 0\n', eval: 'checksum 1\n' } }]);
  });
});

describe('evaluated phrases: figures', () => {
  // Three repetitions; N = 100. Per phrase: ocamlnat (T_N - T_0) / N = 15 ms, ocaml 0.6 ms, ocaml.opt 0.06 ms, Eval
  // (its own total / N) 0.05 ms.
  const plan = { phrases: 100, scripts: [{ kind: 'mix' as const, phrases: 18 }], memoryPhrases: 10_000 };
  const m: EvalMeasurement = {
    plan,
    parts: EVAL_PARTS,
    timings: [
      { run: 'eval', workload: 'oneline', phrases: 100, seconds: [0.02, 0.02, 0.02] },
      { run: 'eval', workload: 'oneline', phrases: 0, seconds: [0.01, 0.01, 0.01] },
      { run: 'ocaml', workload: 'oneline', phrases: 100, seconds: [0.08, 0.08, 0.09] },
      { run: 'ocaml', workload: 'oneline', phrases: 0, seconds: [0.02, 0.02, 0.02] },
      { run: 'ocaml.opt', workload: 'oneline', phrases: 100, seconds: [0.016, 0.016, 0.016] },
      { run: 'ocaml.opt', workload: 'oneline', phrases: 0, seconds: [0.01, 0.01, 0.01] },
      { run: 'ocamlnat', workload: 'oneline', phrases: 100, seconds: [1.54, 1.54, 1.54] },
      { run: 'ocamlnat', workload: 'oneline', phrases: 0, seconds: [0.04, 0.04, 0.04] },
      { run: 'eval', workload: 'mix', phrases: 18, seconds: [0.05, 0.05, 0.05] },
      { run: 'ocaml', workload: 'mix', phrases: 18, seconds: [0.1, 0.1, 0.1] },
      { run: 'ocamlnat', workload: 'mix', phrases: 18, seconds: [1, 1, 1] },
    ],
    inProcess: [
      { total: 0.005, median: 0.00004 },
      { total: 0.005, median: 0.00004 },
      { total: 0.0055, median: 0.00004 },
    ],
    scriptInProcess: [{ script: 'mix', phrases: 18, count: 18, seconds: [0.009, 0.009, 0.009] }],
    memory: { phrases: 10_000, before: { liveWords: 0, heapWords: 0, rssKb: 0 }, after: { liveWords: 131072 * 100, heapWords: 131072 * 100, rssKb: 1024 * 110 } },
    outputs: {},
    skipped: {},
  };
  const figs = evalFigures(m);
  const figure = figureLookup(figs);

  it('per phrase: (time with N - time with none) / N of each repetition for a toplevel, the host\'s own total / N for Eval', () => {
    expect(perPhraseWholeProcess(m, 'ocamlnat')!.map((x) => x * 1000)).toEqual([15, 15, 15].map((x) => expect.closeTo(x, 9)));
    expect(perPhraseWholeProcess(m, 'eval')!.map((x) => x * 1000)).toEqual([0.1, 0.1, 0.1].map((x) => expect.closeTo(x, 9)));
    expect(perPhrase(m, 'eval')).toEqual([0.00005, 0.00005, 0.000055].map((x) => expect.closeTo(x, 12)));
    expect(perPhrase({ ...m, inProcess: [] }, 'eval')).toBeUndefined();
  });

  it('ratios time(toplevel) / time(eval) by typed key, the target on ocamlnat per phrase only, the spread that of the ratios of each repetition', () => {
    expect(figure({ kind: 'eval', question: 'eval-vs-ocamlnat', workload: 'oneline', phrases: 100 })).toMatchObject({
      value: expect.closeTo(300, 6),
      target: '≥ 50',
      label: '100 one-line phrases, per phrase: eval vs ocamlnat',
      question: SECTIONS.evalLatency,
      spread: expect.closeTo((300 - 15 / 0.055) / (2 * 300), 6), // the ratios of each repetition: 300, 300, 15/0.055
    });
    const ocaml = figure({ kind: 'eval', question: 'eval-vs-ocaml', workload: 'oneline', phrases: 100 })!;
    expect(ocaml.value).toBeCloseTo(12);
    expect(ocaml.target).toBeUndefined();
    expect(ocaml.spread).toBeCloseTo((0.7 / 0.055 - 12) / (2 * 12)); // per phrase: ocaml 0.6, 0.6, 0.7 ms; Eval 0.05, 0.05, 0.055
    expect(figure({ kind: 'eval', question: 'eval-vs-ocaml.opt', workload: 'oneline', phrases: 100 })?.value).toBeCloseTo(1.2);
    expect(figure({ kind: 'eval', question: 'eval-vs-ocamlnat', workload: 'mix', phrases: 18 })).toMatchObject({ value: 20, question: SECTIONS.evalScript, label: '18 phrases (mix): eval vs ocamlnat' });
    expect(figure({ kind: 'eval', question: 'eval-vs-ocamlnat', workload: 'mix', phrases: 18 })?.target).toBeUndefined();
    // No figure where a process did not run (ocaml.opt on the script).
    expect(figure({ kind: 'eval', question: 'eval-vs-ocaml.opt', workload: 'mix', phrases: 18 })).toBeUndefined();
    expect(figs).toHaveLength(5);
    expect(evalFigures({ ...m, inProcess: [] }).filter((f) => f.question === SECTIONS.evalLatency)).toEqual([]);
    // A toplevel no slower with the N phrases than without (noise over a small N) gives no ratio.
    const noisy = m.timings.map((t) => (t.run === 'ocaml.opt' && t.phrases === 0 ? { ...t, seconds: [0.02, 0.02, 0.02] } : t));
    expect(figureLookup(evalFigures({ ...m, timings: noisy }))({ kind: 'eval', question: 'eval-vs-ocaml.opt', workload: 'oneline', phrases: 100 })).toBeUndefined();
  });

  it('in the chart: a panel per question, the comparison as the series, the target line on ocamlnat per phrase', () => {
    expect(chartBar(figs[0]!)).toMatchObject({ panel: SECTIONS.evalLatency, group: '100 one-line phrases, per phrase', series: 'eval vs ocamlnat' });
    expect(chartTargets(figs)).toEqual([{ panel: SECTIONS.evalLatency, series: 'eval vs ocamlnat', value: 50, label: 'target ≥ 50' }]);
  });

  it('the latencies, the scripts\' times and the memory are other figures', () => {
    const extra = evalExtra(m);
    expect(extra['eval: 100 one-line phrases, per phrase, in the host, mean (ms, median)']).toBeCloseTo(0.05);
    expect(extra['eval: 100 one-line phrases, per phrase, in the host, median phrase (ms, median)']).toBeCloseTo(0.04);
    expect(extra['ocamlnat: 100 one-line phrases, per phrase, whole process (ms, median)']).toBeCloseTo(15);
    expect(extra['ocaml: 18 phrases (mix), whole process (s, median)']).toBe(0.1);
    expect(extra['eval: 18 phrases (mix), Eval.eval_file in the host (phrases/s, median)']).toBeCloseTo(2000);
    expect(extra['eval: live heap kept per 10 000 one-line phrases, measured over 10000 (MiB)']).toBe(100);
    expect(extra['eval: RSS growth per 10 000 one-line phrases, measured over 10000 (MiB)']).toBe(110);
    expect(otherFigures({ toplevels: [], loads: new Map(), helloSize: { patched: 1 }, eval: m })).toMatchObject(extra);
  });

  it('bench.md: a table with the spreads and the target, the memory in a sentence, no empty kernel tables', () => {
    const md = benchSummaryMarkdown({ date: '2026-12-03T00:00:00Z', machine: { cores: 2 }, repeat: 3, figures: figs, extra: evalExtra(m), skipped: {}, eval: m });
    expect(md).toContain('| 100 one-line phrases, per phrase: eval vs ocamlnat | 300.00× (spread 5%) | ≥ 50 |');
    expect(md).toContain('| 18 phrases (mix): eval vs ocaml | 2.00× (spread 0%) |  |');
    expect(md).toContain('Memory kept by Eval per 10 000 one-line phrases (after `Gc.compact`, measured over 10000 phrases): 100.0 MiB of live heap, 100.0 MiB of major heap, 110.0 MiB of RSS.');
    expect(md).not.toMatch(/^\| ratio \|/m);
    expect(md).not.toContain('ns per call');
    expect(figureTable(figs, {})).toContain(SECTIONS.evalLatency);
  });
});

describe('evaluated phrases: --only', () => {
  it('selects every part by default and with --only eval, one part by its name, none for the other names', () => {
    expect(parseBenchOptions([]).eval).toEqual(EVAL_PARTS);
    expect(parseBenchOptions(['--only', 'eval']).eval).toEqual(EVAL_PARTS);
    const one = parseBenchOptions(['--only', 'eval-memory']);
    expect(one).toMatchObject({ eval: ['eval-memory'], kernels: [], toplevels: false });
    expect(parseBenchOptions(['--only', 'toplevel']).eval).toEqual([]);
    expect(parseBenchOptions(['--only', 'nbody']).eval).toEqual([]);
  });
});
