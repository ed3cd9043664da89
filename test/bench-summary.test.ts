import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Kernel } from '../harness/bench/kernels.ts';
import { figureLookup, kernelFigures, RATIO_QUESTIONS, type Figure, type FigureKey, type Samples } from '../harness/bench/questions.ts';
import { figureTable, otherFigures } from '../harness/bench/report.ts';
import { benchSummaryMarkdown } from '../harness/bench/summary.ts';
import { phraseScript, phraseScripts, toplevelExtra, toplevelFigures, type ToplevelTiming } from '../harness/bench/toplevels.ts';

describe('bench figures and headline tables', () => {
  const samples: Samples = new Map([
    ['native', new Map([['nbody', [1, 1, 1]], ['host_calls_plugin_1', [2, 2, 2]]])],
    ['byte', new Map([['nbody', [40, 40, 40]]])],
    ['byte+cmxs', new Map([['nbody', [1.25, 1.25, 1.25]]])],
    ['native+cmo', new Map([['host_calls_plugin_1', [20, 20, 20]]])],
    ['pristine-native', new Map([['nbody', [0.5, 1, 1.5]]])],
  ]);
  const nbody: Kernel = { name: 'nbody', unit: 'nbody', n: 1, quickN: 1 };
  const crossing: Kernel = { name: 'host_calls_plugin_1', unit: 'crossing', n: 1_000_000_000, quickN: 1, perCall: true };
  const figs = kernelFigures(samples, [crossing, nbody], (k) => k.n);
  const figure = figureLookup(figs);
  const ratio = (question: (typeof RATIO_QUESTIONS)[number]['id'], kernel = 'nbody') => figure({ kind: 'ratio', question, kernel });

  it('ratios are time(slow)/time(fast), by typed key, only for variants that ran', () => {
    expect(ratio('native-vs-byte')?.value).toBe(40);
    expect(ratio('cmxs-in-byte-host-vs-native')?.value).toBe(0.8);
    expect(ratio('cmxs-in-byte-host-vs-byte')?.value).toBe(32);
    expect(ratio('cmxs-in-ocaml.opt-vs-native')).toBeUndefined();
    expect(ratio('native-vs-byte', 'fannkuch')).toBeUndefined();
    expect(figure({ kind: 'ns-per-call', kernel: 'host_calls_plugin_1', variant: 'native+cmo' })?.value).toBe(20);
    expect(figure({ kind: 'ns-per-call', kernel: 'host_calls_plugin_1', variant: 'byte' })).toBeUndefined();
    // The spread is the larger of the two variants' ((1.5 - 0.5) / 1 for pristine-native).
    expect(ratio('patched-vs-pristine-native')).toMatchObject({ value: 1, spread: 1, target: '≈ 1', question: '5. no cost when unused' });
  });

  it('each figure is found under its own key, every key once', () => {
    expect(figs.length).toBe(6);
    // The compute kernels' ratios first, then the crossing costs, whatever the order of the kernels given.
    expect(figs.map((f) => f.key.kind)).toEqual(['ratio', 'ratio', 'ratio', 'ratio', 'ns-per-call', 'ns-per-call']);
    for (const f of figs) expect(figure(f.key)).toBe(f);
  });

  it('labels are for people: the lookup does not read them', () => {
    const relabelled: Figure[] = figs.map((f) => ({ ...f, label: 'x' }));
    expect(figureLookup(relabelled)({ kind: 'ratio', question: 'native-vs-byte', kernel: 'nbody' })?.value).toBe(40);
    const md = benchSummaryMarkdown({ date: '2026-11-25T00:00:00Z', machine: { cores: 2 }, repeat: 3, figures: relabelled, extra: {}, skipped: {} });
    expect(md).toContain('| native vs byte (pure programs) | 40.00× |');
  });

  it('crossing kernels are also ratios to the same calls within bytecode, with the targets of the crossing table', () => {
    const s: Samples = new Map([
      ['byte', new Map([['host_calls_plugin_2', [20, 20, 20]], ['plugin_calls_host_exn', [30, 30, 30]]])],
      ['native+cmo', new Map([['host_calls_plugin_2', [40, 40, 40]], ['plugin_calls_host_exn', [60, 66, 60]]])],
      ['byte+cmxs', new Map([['host_calls_plugin_2', [25, 25, 25]]])],
    ]);
    const ks: Kernel[] = ['host_calls_plugin_2', 'plugin_calls_host_exn'].map((name) => ({ name, unit: 'crossing', n: 1, quickN: 1, perCall: true }));
    const f = figureLookup(kernelFigures(s, ks, (k) => k.n));
    // host_calls_plugin in native+cmo: a native host calls bytecode, twice as slow as within bytecode.
    expect(f({ kind: 'crossing-ratio', kernel: 'host_calls_plugin_2', variant: 'native+cmo' })).toMatchObject({
      value: 0.5,
      target: '≥ 0.67',
      label: 'host_calls_plugin_2: native→bytecode (native+cmo) vs bytecode→bytecode',
    });
    expect(f({ kind: 'crossing-ratio', kernel: 'host_calls_plugin_2', variant: 'byte+cmxs' })).toMatchObject({
      value: 0.8,
      label: 'host_calls_plugin_2: bytecode→native (byte+cmxs) vs bytecode→bytecode',
    });
    // Raising: the target is 2×, the spread the larger of the two variants'.
    expect(f({ kind: 'crossing-ratio', kernel: 'plugin_calls_host_exn', variant: 'native+cmo' })).toMatchObject({
      value: 0.5,
      target: '≥ 0.5',
      spread: 0.1,
      label: 'plugin_calls_host_exn: bytecode→native, raising (native+cmo) vs bytecode→bytecode',
    });
    // No figure where a variant did not run.
    expect(f({ kind: 'crossing-ratio', kernel: 'plugin_calls_host_exn', variant: 'byte+cmxs' })).toBeUndefined();
    const md = benchSummaryMarkdown({ date: '2026-12-03T00:00:00Z', machine: { cores: 2 }, repeat: 3, figures: kernelFigures(s, ks, (k) => k.n), extra: {}, skipped: {} });
    expect(md).toMatch(/\| 2 \| 0\.50× \(spread 0%\) \| 0\.80× \(spread 0%\) \| — \| — \|/);
  });

  it('keeps the labels of the previous reports', () => {
    expect(ratio('cmxs-in-byte-host-vs-native')?.label).toBe('nbody: byte+cmxs vs native');
    expect(ratio('patched-vs-pristine-native')?.label).toBe('nbody: native vs pristine native');
    expect(figure({ kind: 'ns-per-call', kernel: 'host_calls_plugin_1', variant: 'native+cmo' })?.label).toBe('host_calls_plugin_1 [native+cmo]');
  });

  it('the markdown has the machine, a row per ratio with — where a variant did not run, and what was skipped', () => {
    const md = benchSummaryMarkdown({ date: '2026-11-25T00:00:00Z', machine: { cpus: 'Test CPU', cores: 2 }, repeat: 3, figures: figs, extra: {}, skipped: { 'ocaml+cmxs': 'cannot load .cmxs' } });
    expect(md).toContain('on Test CPU (2 cores), 3 interleaved repetitions');
    expect(md).toContain('| ratio | nbody |');
    expect(md).toContain('| `.cmxs` in a bytecode host vs native | 0.80× |');
    expect(md).toContain('| `.cmxs` in `ocaml.opt` vs native | — |');
    expect(md).toContain('| patched vs pristine, native | 1.00× |');
    expect(md).toMatch(/\| 1 \| 2\.0 \| — \| 20\.0 \|/);
    expect(md).toContain('Skipped: ocaml+cmxs (cannot load .cmxs).');
    // The ratio table: one row per question that has a row title, in the questions' order.
    const lines = md.split('\n');
    const start = lines.indexOf('| ratio | nbody |') + 2;
    const ratioRows = lines.slice(start, lines.indexOf('', start)).map((l) => l.split(' | ')[0]!.slice(2));
    expect(ratioRows).toEqual(RATIO_QUESTIONS.flatMap((q) => (q.summaryRow ? [q.summaryRow] : [])));
  });
});

describe('bench toplevel figures', () => {
  const timings: ToplevelTiming[] = [
    { run: 'ocaml', script: 'records', phrases: 50, seconds: [0.4, 0.4] },
    { run: 'ocaml.opt', script: 'records', phrases: 50, seconds: [0.1, 0.1] },
    { run: 'pristine ocaml', script: 'records', phrases: 50, seconds: [0.44, 0.44] },
    { run: 'ocaml', script: 'records', phrases: 200, seconds: [2] },
    { run: 'ocamlnat', script: 'records', phrases: 200, seconds: [20] },
    { run: 'ocaml', script: 'mix', phrases: 54, seconds: [0.6] },
    { run: 'pristine ocaml', script: 'mix', phrases: 54, seconds: [0.5] },
  ];
  const figs = toplevelFigures(timings);
  const figure = figureLookup(figs);

  it('compares each toplevel on each script by typed key: time(slow)/time(fast)', () => {
    expect(figure({ kind: 'toplevel', question: 'ocaml.opt-vs-ocaml', script: 'records', phrases: 50 })).toMatchObject({
      value: 4,
      target: '≥ 3',
      label: '50 phrases (records): ocaml.opt vs ocaml',
    });
    expect(figure({ kind: 'toplevel', question: 'ocaml-vs-pristine-ocaml', script: 'records', phrases: 50 })?.value).toBeCloseTo(1.1);
    expect(figure({ kind: 'toplevel', question: 'ocamlnat-vs-ocaml', script: 'records', phrases: 200 })?.value).toBe(0.1);
    expect(figure({ kind: 'toplevel', question: 'ocamlnat-vs-ocaml', script: 'records', phrases: 50 })).toBeUndefined();
    expect(figure({ kind: 'toplevel', question: 'ocaml.opt-vs-ocaml', script: 'records', phrases: 200 })).toBeUndefined();
    // The mix script is a question of its own: same toplevels, another key.
    expect(figure({ kind: 'toplevel', question: 'ocaml-vs-pristine-ocaml', script: 'mix', phrases: 54 })?.value).toBeCloseTo(0.5 / 0.6);
    expect(figure({ kind: 'toplevel', question: 'ocaml-vs-pristine-ocaml', script: 'records', phrases: 54 })).toBeUndefined();
    // Each ratio carries the spread of its samples (max - min over median, the larger of the two toplevels').
    const mixed = toplevelFigures([
      { run: 'ocaml', script: 'records', phrases: 50, seconds: [0.4, 0.5, 0.6] },
      { run: 'pristine ocaml', script: 'records', phrases: 50, seconds: [0.44, 0.44, 0.44] },
    ]);
    expect(mixed[0]!.spread).toBeCloseTo(0.2 / 0.5);
    expect(figure({ kind: 'toplevel', question: 'ocaml.opt-vs-ocaml', script: 'records', phrases: 50 })?.spread).toBe(0);
    expect(figs.map((f) => f.label)).toEqual([
      '50 phrases (records): ocaml.opt vs ocaml',
      '50 phrases (records): ocaml vs pristine ocaml',
      '200 phrases (records): ocamlnat vs ocaml',
      '54 phrases (mix): ocaml vs pristine ocaml',
    ]);
  });

  it('lists them in the markdown, and their times with the other figures', () => {
    const extra = otherFigures({ toplevels: timings, loads: new Map([['native+cmxs', [0.001, 0.003]]]), helloSize: { patched: 1234 } });
    expect(Object.keys(toplevelExtra(timings))[0]).toBe('toplevel ocaml, 50 phrases (records) (s, median)');
    expect(extra).toMatchObject({ 'toplevel ocamlnat, 200 phrases (records) (s, median)': 20, 'Dynlink.loadfile latency, native+cmxs (ms, median)': 2, 'native hello-world size, patched (bytes)': 1234 });
    const md = benchSummaryMarkdown({ date: '2026-11-25T00:00:00Z', machine: { cores: 2 }, repeat: 2, figures: figs, extra, skipped: {} });
    expect(md).toContain('| 50 phrases (records): ocaml.opt vs ocaml | 4.00× |');
    expect(md).toContain('native hello-world size, patched (bytes): 1234.');
    const table = figureTable(figs, extra);
    expect(table).toContain('4. toplevels');
    expect(table.find((l) => l.includes('hello-world'))).toMatch(/ 1234$/);
  });
});

describe('figure keys', () => {
  it('differ for figures that differ in any field', () => {
    const keys: FigureKey[] = [
      { kind: 'ratio', question: 'native-vs-byte', kernel: 'nbody' },
      { kind: 'ratio', question: 'native-vs-byte', kernel: 'sieve' },
      { kind: 'ratio', question: 'cmxs-in-byte-host-vs-byte', kernel: 'nbody' },
      { kind: 'ns-per-call', kernel: 'nbody', variant: 'byte' },
      { kind: 'ns-per-call', kernel: 'nbody', variant: 'native' },
      { kind: 'toplevel', question: 'ocamlnat-vs-ocaml', script: 'records', phrases: 50 },
      { kind: 'toplevel', question: 'ocamlnat-vs-ocaml', script: 'records', phrases: 200 },
      { kind: 'toplevel', question: 'ocamlnat-vs-ocaml', script: 'mix', phrases: 50 },
    ];
    const figs = keys.map((key, i): Figure => ({ question: '3. crossing cost', label: 'same', value: i, unit: 'ratio', key }));
    const lookup = figureLookup(figs);
    expect(keys.map((k) => lookup(k)?.value)).toEqual(keys.map((_, i) => i));
  });

  it('question ids are unique, and so are the rows of bench.md', () => {
    expect(new Set(RATIO_QUESTIONS.map((q) => q.id)).size).toBe(RATIO_QUESTIONS.length);
    const rows = RATIO_QUESTIONS.flatMap((q) => (q.summaryRow ? [q.summaryRow] : []));
    expect(new Set(rows).size).toBe(rows.length);
  });
});

describe('bench phrase scripts', () => {
  it('the mix script has modules, functors, classes, exceptions, closures and printing, one phrase a line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wb-phrases-'));
    const spec = phraseScripts(true).find((s) => s.kind === 'mix')!;
    const file = phraseScript(dir, spec);
    const text = readFileSync(file, 'utf8');
    for (const word of ['module ', 'functor', 'class ', 'inherit', 'exception ', 'Printf.printf']) {
      if (word === 'functor') expect(text).toMatch(/module F\d+ \(X : sig/);
      else expect(text).toContain(word);
    }
    expect(text.split('\n').filter((l) => l.endsWith(';;'))).toHaveLength(spec.phrases);
  });
});
