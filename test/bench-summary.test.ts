import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLOSURES_KERNELS, EFFECTS_KERNELS, ITERATOR_KERNELS, type Kernel } from '../harness/bench/kernels.ts';
import { CLOSURES_QUESTIONS, figureLookup, kernelFigures, RATIO_QUESTIONS, SECTIONS, type Figure, type FigureKey, type Samples } from '../harness/bench/questions.ts';
import { cmoLoadRatios, figureTable, otherFigures } from '../harness/bench/report.ts';
import { benchSummaryMarkdown, holdsOne } from '../harness/bench/summary.ts';
import { phraseScript, phraseScripts, toplevelExtra, toplevelFigures, type ToplevelTiming } from '../harness/bench/toplevels.ts';
import type { VariantName } from '../harness/bench/variants.ts';

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
    // The spread is that of the ratios of the samples of each repetition (0.5, 1, 1.5 against native): with 3 of
    // them, their range over twice their median.
    expect(ratio('patched-vs-pristine-native')).toMatchObject({ value: 1, spread: 0.5, target: '≈ 1', question: '5. no cost when unused' });
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
    // Raising: the target is 2×; the ratios of each repetition are 0.5, 30/66 and 0.5.
    expect(f({ kind: 'crossing-ratio', kernel: 'plugin_calls_host_exn', variant: 'native+cmo' })).toMatchObject({
      value: 0.5,
      target: '≥ 0.5',
      spread: expect.closeTo((0.5 - 30 / 66) / (2 * 0.5)),
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

  it('patched vs pristine: spread goal 2%, a table with each spread and whether its interval holds 1', () => {
    const s: Samples = new Map([
      // nbody: patched native is 1% faster in every repetition (spread 0, apart from 1); sieve: 0.99, 1, 1.01.
      ['native', new Map([['nbody', [1, 1, 1]], ['sieve', [1, 1, 1]]])],
      ['pristine-native', new Map([['nbody', [1.01, 1.01, 1.01]], ['sieve', [0.99, 1, 1.01]]])],
      ['byte', new Map([['nbody', [2, 2, 2]]])],
      ['pristine-byte', new Map([['nbody', [2, 2, 2]]])],
    ]);
    const ks: Kernel[] = ['nbody', 'sieve'].map((name) => ({ name, unit: name, n: 1, quickN: 1 }));
    const fs = kernelFigures(s, ks, (k) => k.n);
    const f = figureLookup(fs);
    const nbodyNative = f({ kind: 'ratio', question: 'patched-vs-pristine-native', kernel: 'nbody' })!;
    const sieveNative = f({ kind: 'ratio', question: 'patched-vs-pristine-native', kernel: 'sieve' })!;
    expect(nbodyNative).toMatchObject({ value: 1.01, spread: 0, spreadGoal: 0.02 });
    expect(sieveNative).toMatchObject({ value: 1, spread: expect.closeTo(0.01), spreadGoal: 0.02 });
    expect(holdsOne(nbodyNative)).toBe(false);
    expect(holdsOne(sieveNative)).toBe(true);
    // Other ratios keep the goal of 5%.
    expect(f({ kind: 'ratio', question: 'native-vs-byte', kernel: 'nbody' })?.spreadGoal).toBeUndefined();
    const md = benchSummaryMarkdown({ date: '2026-12-05T00:00:00Z', machine: { cores: 2 }, repeat: 3, figures: fs, extra: {}, skipped: {} });
    expect(md).toContain('spread goal 2%) | nbody | sieve |');
    expect(md).toContain('| patched vs pristine, native | 1.01× (spread 0.0%, apart from 1) | 1.00× (spread 1.0%) |');
    expect(md).toContain('| patched vs pristine, bytecode | 1.00× (spread 0.0%) | — |');
    expect(md).toContain('Of these 3 ratios, 2 hold 1 in their 95% confidence interval, and 3 have a spread within 2%');
  });
});

describe("bench figures of issue 17's kernels", () => {
  const closures: Samples = new Map([
    // 1 domain: processor time; 1 and 2 domains: wall clock, the same work.
    ['byte', new Map([['closures', [3, 3, 3]], ['closures_domains_1', [4, 4, 4]], ['closures_domains_2', [2.5, 2.5, 2.5]]])],
    ['native+cmo', new Map([['closures', [2, 2.2, 2.4]], ['closures_domains_1', [3, 3, 3]], ['closures_domains_2', [2, 2, 2]]])],
    ['native', new Map([['closures', [0.1, 0.1, 0.1]]])],
  ]);
  const figs = kernelFigures(closures, CLOSURES_KERNELS, (k) => k.n);
  const figure = figureLookup(figs);
  const closuresFigure = (question: (typeof CLOSURES_QUESTIONS)[number]['id']) => figure({ kind: 'closures', question });

  it('closures: crossloaded vs pure on 1 and 2 domains, and the throughput of 2 domains vs 1 in each, with targets and spreads', () => {
    expect(closuresFigure('cmo-in-native-host-vs-byte-1-domain')).toMatchObject({
      value: expect.closeTo(3 / 2.2),
      unit: 'ratio',
      // The ratios of each repetition: 3/2, 3/2.2, 3/2.4.
      spread: expect.closeTo((3 / 2 - 3 / 2.4) / (2 * (3 / 2.2))),
      target: '≥ 1.0',
      question: SECTIONS.closures,
      label: 'closures: native+cmo vs byte, 1 domain',
    });
    expect(closuresFigure('2-domains-vs-1-cmo-in-native-host')).toMatchObject({ value: 1.5, spread: 0, target: '≥ 1.8', label: 'closures: 2 domains vs 1, native+cmo' });
    expect(closuresFigure('cmo-in-native-host-vs-byte-2-domains')).toMatchObject({ value: 1.25, label: 'closures: native+cmo vs byte, 2 domains' });
    expect(closuresFigure('cmo-in-native-host-vs-byte-2-domains')?.target).toBeUndefined();
    expect(closuresFigure('2-domains-vs-1-byte')?.value).toBe(1.6);
    // In the questions' order, and no compute kernel ratio (native vs byte) for them.
    expect(figs.map((f) => f.key)).toEqual(CLOSURES_QUESTIONS.map((q) => ({ kind: 'closures', question: q.id })));
    expect(figure({ kind: 'ratio', question: 'native-vs-byte', kernel: 'closures' })).toBeUndefined();
  });

  it('closures: a question is left out where one of its kernels was not selected or its variant did not run', () => {
    const only2 = figureLookup(kernelFigures(closures, CLOSURES_KERNELS.filter((k) => k.name === 'closures_domains_2'), (k) => k.n));
    expect(only2({ kind: 'closures', question: 'cmo-in-native-host-vs-byte-2-domains' })?.value).toBe(1.25);
    expect(only2({ kind: 'closures', question: '2-domains-vs-1-cmo-in-native-host' })).toBeUndefined();
    const noCmo = new Map([...closures].filter(([v]) => v !== 'native+cmo'));
    const f = figureLookup(kernelFigures(noCmo, CLOSURES_KERNELS, (k) => k.n));
    expect(f({ kind: 'closures', question: 'cmo-in-native-host-vs-byte-1-domain' })).toBeUndefined();
    expect(f({ kind: 'closures', question: '2-domains-vs-1-byte' })?.value).toBe(1.6);
  });

  const iterators: Samples = new Map([
    ['native', new Map([['iterators_list_map', [0.004, 0.004]], ['iterators_hashtbl_iter', [0.01, 0.01]]])],
    ['byte', new Map([['iterators_list_map', [0.04, 0.044]], ['iterators_hashtbl_iter', [0.1, 0.1]]])],
    ['native+cmo', new Map([['iterators_list_map', [0.03, 0.03]], ['iterators_hashtbl_iter', [0.2, 0.2]]])],
    ['byte+cmxs', new Map([['iterators_list_map', [0.05, 0.05]]])],
  ]);
  const its = kernelFigures(iterators, ITERATOR_KERNELS, () => 2_000_000);
  const it_ = figureLookup(its);

  it('iterators: ns per callback in native, byte and native+cmo, and the ratio to bytecode→bytecode with the crossing target', () => {
    expect(it_({ kind: 'iterator-ns-per-call', kernel: 'iterators_list_map', variant: 'native' })).toMatchObject({ value: 2, unit: 'ns/call', question: SECTIONS.iterators, label: 'iterators_list_map [native]' });
    expect(it_({ kind: 'iterator-ns-per-call', kernel: 'iterators_list_map', variant: 'byte' })?.value).toBeCloseTo(21);
    expect(it_({ kind: 'iterator-ns-per-call', kernel: 'iterators_hashtbl_iter', variant: 'native+cmo' })?.value).toBeCloseTo(100);
    // byte+cmxs runs them (its checksum is compared) but is no iterator figure.
    expect(it_({ kind: 'iterator-ns-per-call', kernel: 'iterators_list_map', variant: 'byte+cmxs' })).toBeUndefined();
    expect(it_({ kind: 'iterator-ratio', kernel: 'iterators_list_map', variant: 'native+cmo' })).toMatchObject({
      value: expect.closeTo(0.042 / 0.03),
      unit: 'ratio',
      // The ratios of each repetition: 0.04/0.03 and 0.044/0.03, around their median 0.042/0.03.
      spread: expect.closeTo((0.004 / 0.03) / (2 * (0.042 / 0.03))),
      target: '≥ 0.67',
      label: 'iterators_list_map: native→bytecode (native+cmo) vs bytecode→bytecode',
    });
    expect(it_({ kind: 'iterator-ratio', kernel: 'iterators_hashtbl_iter', variant: 'native+cmo' })?.value).toBe(0.5);
    // Not crossing kernels: no crossing-table figure.
    expect(its.some((f) => f.key.kind === 'ns-per-call' || f.key.kind === 'crossing-ratio')).toBe(false);
    expect(its).toHaveLength(8);
  });

  it('bench.md has a closures table and an iterators table, with spreads and targets, and no compute or crossing table', () => {
    const md = benchSummaryMarkdown({ date: '2026-12-03T00:00:00Z', machine: { cores: 2 }, repeat: 3, figures: [...figs, ...its], extra: {}, skipped: {} });
    expect(md).toContain('| closures and partial applications built by bytecode | ratio | target |');
    expect(md).toContain('| `.cmo` in a native host vs `ocamlrun`, 1 domain (processor time) | 1.36× (spread 9%) | ≥ 1.0 |');
    expect(md).toContain('| throughput of 2 domains vs 1, `.cmo` in a native host (wall clock) | 1.50× (spread 0%) | ≥ 1.8 |');
    expect(md).toContain('| `.cmo` in a native host vs `ocamlrun`, 2 domains (wall clock) | 1.25× (spread 0%) |  |');
    expect(md).toContain('| throughput of 2 domains vs 1, `ocamlrun` (wall clock) | 1.60× (spread 0%) |  |');
    expect(md).toMatch(/\| ns per callback, iterator of the host \| native→native \| bytecode→bytecode \| native→bytecode \(\.cmo in native host\) \| .*target ≥ 0\.67\) \|/);
    expect(md).toContain('| `List.map` | 2.0 | 21.0 | 15.0 | 1.40× (spread 5%) |');
    expect(md).toContain('| `Hashtbl.iter` | 5.0 | 50.0 | 100.0 | 0.50× (spread 0%) |');
    expect(md).not.toMatch(/^\| ratio \|/m);
    expect(md).not.toContain('ns per call, arguments');
    // A question not measured is a dash, not a 0.
    const partial = benchSummaryMarkdown({ date: '2026-12-03T00:00:00Z', machine: { cores: 2 }, repeat: 3, figures: figs.slice(0, 1), extra: {}, skipped: {} });
    expect(partial).toContain('| throughput of 2 domains vs 1, `.cmo` in a native host (wall clock) | — | ≥ 1.8 |');
    expect(partial).not.toContain('ns per callback');
  });

  it('the terminal table lists them under their sections, with spread and target', () => {
    const table = figureTable([...figs, ...its], {});
    expect(table).toContain(SECTIONS.closures);
    expect(table).toContain(SECTIONS.iterators);
    expect(table.find((l) => l.includes('2 domains vs 1, native+cmo'))).toMatch(/1\.50×\s+spread 0%\s+target ≥ 1\.8$/);
    expect(table.find((l) => l.includes('iterators_list_map [native+cmo]'))).toMatch(/15\.0 ns\/call\s+spread 0%$/);
  });
});

describe("bench figures of issue 16's kernels: effects across the boundary", () => {
  // Seconds per run of 2e6 pairs (calls): 1 ms is 0.5 ns each.
  const pairs = (hh: number[], hp: number, ph: number, pp: number, outside: number, under: number) =>
    new Map([
      ['effects_host_handles_host', hh],
      ['effects_host_handles_plugin', [hp]],
      ['effects_plugin_handles_host', [ph]],
      ['effects_plugin_handles_plugin', [pp]],
      ['effects_call_outside_handler', [outside]],
      ['effects_call_under_handler', [under]],
    ]);
  const samples: Samples = new Map([
    ['native', pairs([0.014, 0.014, 0.0168], 0.016, 0.016, 0.016, 0.004, 0.004)],
    ['byte', pairs([0.09], 0.09, 0.09, 0.09, 0.02, 0.021)],
    // The host native, the plugin bytecode.
    ['native+cmo', pairs([0.016], 0.1, 0.18, 0.09, 0.028, 0.072)],
    // The host bytecode, the plugin native.
    ['byte+cmxs', pairs([0.09], 0.175, 0.1, 0.018, 0.04, 0.064)],
    // Runs them (its checksums are compared) but is no effects figure.
    ['native+cmxs', pairs([0.014], 0.014, 0.014, 0.014, 0.004, 0.004)],
  ]);
  const figs = kernelFigures(samples, EFFECTS_KERNELS, (k) => k.n);
  const figure = figureLookup(figs);
  const pair = (kernel: string, variant: 'native+cmo' | 'byte+cmxs', reference: 'pure-native' | 'native' | 'bytecode') =>
    figure({ kind: 'effects-pair-ratio', kernel, variant, reference });

  it('ns per perform/continue pair (per call) in native, byte, native+cmo and byte+cmxs', () => {
    expect(figure({ kind: 'effects-ns-per-call', kernel: 'effects_host_handles_host', variant: 'native' })).toMatchObject({
      value: expect.closeTo(7),
      unit: 'ns/call',
      // 0.014, 0.014, 0.0168: their range over twice their median.
      spread: expect.closeTo(0.1),
      question: SECTIONS.effects,
      label: 'effects_host_handles_host [native]',
    });
    expect(figure({ kind: 'effects-ns-per-call', kernel: 'effects_plugin_handles_host', variant: 'native+cmo' })?.value).toBeCloseTo(90);
    expect(figure({ kind: 'effects-ns-per-call', kernel: 'effects_host_handles_plugin', variant: 'byte+cmxs' })?.value).toBeCloseTo(87.5);
    expect(figure({ kind: 'effects-ns-per-call', kernel: 'effects_call_under_handler', variant: 'native+cmo' })).toMatchObject({ value: expect.closeTo(36), question: SECTIONS.effectsUnderHandler });
    expect(figure({ kind: 'effects-ns-per-call', kernel: 'effects_host_handles_host', variant: 'native+cmxs' })).toBeUndefined();
    // No compute ratio, no crossing-table figure, no iterator figure.
    expect(figs.every((f) => f.key.kind.startsWith('effects-'))).toBe(true);
    expect(figs).toHaveLength(6 * 4 + 4 * 3 + 4);
    // Section 10 (the pairs) first, then section 11 (the calls): the chart's panels in that order.
    const sections = figs.map((f) => f.question);
    expect(sections.lastIndexOf(SECTIONS.effects)).toBeLessThan(sections.indexOf(SECTIONS.effectsUnderHandler));
  });

  it('each crossing pair against the pure native pair (target ≥ 0.33: at most 3×) and the all-native and all-bytecode pairs of its process', () => {
    // native+cmo, native handler in the host, bytecode perform in the plugin: 50 ns.
    expect(pair('effects_host_handles_plugin', 'native+cmo', 'pure-native')).toMatchObject({
      value: expect.closeTo(0.14),
      unit: 'ratio',
      // One sample of the crossing pair against three of the native pair: the spread of the native pair's.
      spread: expect.closeTo(0.1),
      target: '≥ 0.33',
      question: SECTIONS.effects,
      label: 'native handler in the host, bytecode perform in the plugin (native+cmo): crossing pair vs pure native pair',
    });
    expect(pair('effects_host_handles_plugin', 'native+cmo', 'native')).toMatchObject({ value: expect.closeTo(0.16), spread: 0, label: 'native handler in the host, bytecode perform in the plugin (native+cmo): crossing pair vs native pair, same process' });
    expect(pair('effects_host_handles_plugin', 'native+cmo', 'native')?.target).toBeUndefined();
    expect(pair('effects_host_handles_plugin', 'native+cmo', 'bytecode')?.value).toBeCloseTo(0.9);
    expect(pair('effects_plugin_handles_host', 'native+cmo', 'bytecode')).toMatchObject({ value: expect.closeTo(0.5), label: 'bytecode handler in the plugin, native perform in the host (native+cmo): crossing pair vs bytecode pair, same process' });
    // byte+cmxs: the all-native pair is the plugin's, the all-bytecode pair the host's.
    expect(pair('effects_host_handles_plugin', 'byte+cmxs', 'pure-native')).toMatchObject({ value: expect.closeTo(0.08), target: '≥ 0.33', label: 'bytecode handler in the host, native perform in the plugin (byte+cmxs): crossing pair vs pure native pair' });
    expect(pair('effects_host_handles_plugin', 'byte+cmxs', 'native')?.value).toBeCloseTo(0.018 / 0.175);
    expect(pair('effects_host_handles_plugin', 'byte+cmxs', 'bytecode')?.value).toBeCloseTo(0.09 / 0.175);
    expect(pair('effects_plugin_handles_host', 'byte+cmxs', 'native')).toMatchObject({ value: expect.closeTo(0.18), label: 'native handler in the plugin, bytecode perform in the host (byte+cmxs): crossing pair vs native pair, same process' });
    // The pairs on one side are no crossing.
    expect(pair('effects_host_handles_host', 'native+cmo', 'pure-native')).toBeUndefined();
    expect(pair('effects_plugin_handles_plugin', 'byte+cmxs', 'native')).toBeUndefined();
  });

  it("each crossing pair's floor (a crossing call in place of the perform) against the pure native pair, with the pair's target, and the pair against its floor", () => {
    // 2e6 calls per run: 0.05 s is 25 ns each.
    const withFloors: Samples = new Map(
      [...samples].map(([v, ks]) => [
        v,
        new Map([...ks, ['effects_floor_host_handles_plugin', [0.05]], ['effects_floor_plugin_handles_host', [0.07]]]),
      ]),
    );
    const f = figureLookup(kernelFigures(withFloors, EFFECTS_KERNELS, (k) => k.n));
    const floor = (kernel: string, variant: 'native+cmo' | 'byte+cmxs', reference: 'pure-native' | 'pair') => f({ kind: 'effects-floor-ratio', kernel, variant, reference });
    expect(f({ kind: 'effects-ns-per-call', kernel: 'effects_floor_host_handles_plugin', variant: 'native+cmo' })).toMatchObject({ value: expect.closeTo(25), question: SECTIONS.effects });
    // The pure native pair is 7 ns: the floor of 25 ns is 0.28× it, under the pair's target.
    expect(floor('effects_floor_host_handles_plugin', 'native+cmo', 'pure-native')).toMatchObject({
      value: expect.closeTo(0.014 / 0.05),
      target: '≥ 0.33',
      spread: expect.closeTo(0.1),
      question: SECTIONS.effects,
      label: 'native handler in the host, bytecode perform in the plugin (native+cmo): floor of the crossing pair vs pure native pair',
    });
    // The crossing pair (0.1 s) against its floor (0.05 s) of the same process: twice as slow.
    expect(floor('effects_floor_host_handles_plugin', 'native+cmo', 'pair')).toMatchObject({ value: expect.closeTo(0.5), label: 'native handler in the host, bytecode perform in the plugin (native+cmo): crossing pair vs its floor' });
    expect(floor('effects_floor_host_handles_plugin', 'native+cmo', 'pair')?.target).toBeUndefined();
    expect(floor('effects_floor_plugin_handles_host', 'byte+cmxs', 'pair')?.value).toBeCloseTo(0.07 / 0.1);
    expect(floor('effects_floor_plugin_handles_host', 'byte+cmxs', 'pure-native')?.label).toBe('native handler in the plugin, bytecode perform in the host (byte+cmxs): floor of the crossing pair vs pure native pair');
    // Not in the variants that do not cross.
    expect(floor('effects_floor_host_handles_plugin', 'native+cmxs' as 'native+cmo', 'pair')).toBeUndefined();
    // A floor with no pair measured has no figure against it.
    const noPairs: Samples = new Map([
      ['native', new Map([['effects_host_handles_host', [0.014]]])],
      ['native+cmo', new Map([['effects_floor_host_handles_plugin', [0.05]]])],
    ]);
    const g = figureLookup(kernelFigures(noPairs, EFFECTS_KERNELS, (k) => k.n));
    expect(g({ kind: 'effects-floor-ratio', kernel: 'effects_floor_host_handles_plugin', variant: 'native+cmo', reference: 'pair' })).toBeUndefined();
    expect(g({ kind: 'effects-floor-ratio', kernel: 'effects_floor_host_handles_plugin', variant: 'native+cmo', reference: 'pure-native' })?.value).toBeCloseTo(0.28);
  });

  it('a host→plugin call under a handler against the same call outside any, with the target of no cost where it crosses', () => {
    const under = (variant: 'native' | 'byte' | 'native+cmo' | 'byte+cmxs') => figure({ kind: 'effects-handler-ratio', variant });
    expect(under('native+cmo')).toMatchObject({
      value: expect.closeTo(14 / 36),
      unit: 'ratio',
      target: '≥ 0.95',
      question: SECTIONS.effectsUnderHandler,
      label: 'host→plugin call, native→bytecode (native+cmo): under a handler vs outside any',
    });
    expect(under('byte+cmxs')).toMatchObject({ value: 0.625, target: '≥ 0.95', label: 'host→plugin call, bytecode→native (byte+cmxs): under a handler vs outside any' });
    // The pure programs are the reference: no target.
    expect(under('native')).toMatchObject({ value: 1, label: 'host→plugin call, native→native (native): under a handler vs outside any' });
    expect(under('native')?.target).toBeUndefined();
    expect(under('byte')?.value).toBeCloseTo(0.02 / 0.021);
  });

  it('leaves a ratio out where one of its runs was not selected or its variant did not run', () => {
    const only = (names: string[], s: Samples = samples) => figureLookup(kernelFigures(s, EFFECTS_KERNELS.filter((k) => names.includes(k.name)), (k) => k.n));
    const alone = only(['effects_host_handles_plugin']);
    expect(alone({ kind: 'effects-ns-per-call', kernel: 'effects_host_handles_plugin', variant: 'native+cmo' })?.value).toBeCloseTo(50);
    expect(alone({ kind: 'effects-pair-ratio', kernel: 'effects_host_handles_plugin', variant: 'native+cmo', reference: 'pure-native' })).toBeUndefined();
    const noNative = only(
      EFFECTS_KERNELS.map((k) => k.name),
      new Map([...samples].filter(([v]) => v !== 'native')),
    );
    expect(noNative({ kind: 'effects-pair-ratio', kernel: 'effects_host_handles_plugin', variant: 'native+cmo', reference: 'pure-native' })).toBeUndefined();
    expect(noNative({ kind: 'effects-pair-ratio', kernel: 'effects_host_handles_plugin', variant: 'native+cmo', reference: 'native' })?.value).toBeCloseTo(0.16);
    expect(only(['effects_call_under_handler'])({ kind: 'effects-handler-ratio', variant: 'native+cmo' })).toBeUndefined();
  });

  it('bench.md has the pairs in ns, the crossing pairs as ratios with the target, and the calls under a handler', () => {
    const md = benchSummaryMarkdown({ date: '2026-12-03T00:00:00Z', machine: { cores: 2 }, repeat: 3, figures: figs, extra: {}, skipped: {} });
    expect(md).toContain('| ns per perform/continue pair | native | bytecode | .cmo in native host | .cmxs in bytecode host |');
    expect(md).toContain('| handler in the host, perform in the host | 7.0 | 45.0 | 8.0 | 45.0 |');
    expect(md).toContain('| handler in the host, perform in the plugin | 8.0 | 45.0 | 50.0 | 87.5 |');
    expect(md).toContain('| handler in the plugin, perform in the host | 8.0 | 45.0 | 90.0 | 50.0 |');
    expect(md).toContain('| handler in the plugin, perform in the plugin | 8.0 | 45.0 | 45.0 | 9.0 |');
    expect(md).toContain('| crossing perform/continue pair | vs pure native pair (>1: the crossing is faster; target ≥ 0.33, at most 3×) | vs native pair, same process | vs bytecode pair, same process |');
    expect(md).toContain('| native handler in the host, bytecode perform in the plugin (.cmo in native host) | 0.14× (spread 10%) | 0.16× (spread 0%) | 0.90× (spread 0%) |');
    expect(md).toContain('| bytecode handler in the plugin, native perform in the host (.cmo in native host) | 0.08× (spread 10%) | 0.09× (spread 0%) | 0.50× (spread 0%) |');
    expect(md).toContain('| bytecode handler in the host, native perform in the plugin (.cmxs in bytecode host) | 0.08× (spread 10%) | 0.10× (spread 0%) | 0.51× (spread 0%) |');
    expect(md).toContain('| native handler in the plugin, bytecode perform in the host (.cmxs in bytecode host) | 0.14× (spread 10%) | 0.18× (spread 0%) | 0.90× (spread 0%) |');
    expect(md).toContain('| host→plugin call | ns outside any handler | ns under a handler | under a handler vs outside (>1: under a handler is faster) | target |');
    expect(md).toContain('| native→native (native) | 2.0 | 2.0 | 1.00× (spread 0%) |  |');
    expect(md).toContain('| bytecode→bytecode (bytecode) | 10.0 | 10.5 | 0.95× (spread 0%) |  |');
    expect(md).toContain('| native→bytecode (.cmo in native host) | 14.0 | 36.0 | 0.39× (spread 0%) | ≥ 0.95 |');
    expect(md).toContain('| bytecode→native (.cmxs in bytecode host) | 20.0 | 32.0 | 0.63× (spread 0%) | ≥ 0.95 |');
    expect(md).not.toMatch(/^\| ratio \|/m);
    expect(md).not.toContain('ns per call, arguments');
    // Only the calls measured: their table alone; a pair not measured is a dash.
    const calls = benchSummaryMarkdown({ date: '2026-12-03T00:00:00Z', machine: { cores: 2 }, repeat: 3, figures: figs.filter((f) => f.question === SECTIONS.effectsUnderHandler), extra: {}, skipped: {} });
    expect(calls).toContain('| host→plugin call |');
    expect(calls).not.toContain('perform/continue pair');
    const nsOnly = benchSummaryMarkdown({ date: '2026-12-03T00:00:00Z', machine: { cores: 2 }, repeat: 3, figures: figs.filter((f) => f.key.kind === 'effects-ns-per-call' && f.question === SECTIONS.effects), extra: {}, skipped: {} });
    expect(nsOnly).toContain('| native handler in the host, bytecode perform in the plugin (.cmo in native host) | — | — | — |');
    expect(nsOnly).not.toContain('| host→plugin call |');
  });

  it('the terminal table lists them under their sections, with spread and target', () => {
    const table = figureTable(figs, {});
    expect(table).toContain(SECTIONS.effects);
    expect(table).toContain(SECTIONS.effectsUnderHandler);
    expect(table.find((l) => l.includes('effects_plugin_handles_host [native+cmo]'))).toMatch(/90\.0 ns\/call\s+spread 0%$/);
    expect(table.find((l) => l.includes('(byte+cmxs): crossing pair vs pure native pair'))).toMatch(/0\.08×\s+spread 10%\s+target ≥ 0\.33$/);
    expect(table.find((l) => l.includes('(native+cmo): under a handler vs outside any'))).toMatch(/0\.39×\s+spread 0%\s+target ≥ 0\.95$/);
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
    // Each ratio carries the spread of the ratios of each repetition (0.44/0.4, 0.44/0.5, 0.44/0.6).
    const mixed = toplevelFigures([
      { run: 'ocaml', script: 'records', phrases: 50, seconds: [0.4, 0.5, 0.6] },
      { run: 'pristine ocaml', script: 'records', phrases: 50, seconds: [0.44, 0.44, 0.44] },
    ]);
    expect(mixed[0]!.spread).toBeCloseTo((0.44 / 0.4 - 0.44 / 0.6) / (2 * (0.44 / 0.5)));
    expect(figure({ kind: 'toplevel', question: 'ocaml.opt-vs-ocaml', script: 'records', phrases: 50 })?.spread).toBe(0);
    // Issue 17's question: ocaml.opt against the stock toplevel, target ≥ 6.
    expect(figure({ kind: 'toplevel', question: 'ocaml.opt-vs-pristine-ocaml', script: 'records', phrases: 50 })).toMatchObject({ value: expect.closeTo(4.4), target: '≥ 6' });
    expect(figs.map((f) => f.label)).toEqual([
      '50 phrases (records): ocaml.opt vs ocaml',
      '50 phrases (records): ocaml.opt vs pristine ocaml',
      '50 phrases (records): ocaml vs pristine ocaml',
      '200 phrases (records): ocamlnat vs ocaml',
      '54 phrases (mix): ocaml vs pristine ocaml',
    ]);
  });

  it('reports the size of a program linking dynlink.cmxa against pristine as a ratio', () => {
    const extra = otherFigures({ toplevels: [], loads: new Map(), helloSize: { patched: 1 }, dynlinkSize: { patched: 102, pristine: 100 } });
    expect(extra['native program linking dynlink.cmxa, size, patched (bytes)']).toBe(102);
    expect(extra['native program linking dynlink.cmxa: patched vs pristine (size ratio, target ≤ 1.02)']).toBeCloseTo(1.02);
    const alone = otherFigures({ toplevels: [], loads: new Map(), helloSize: { patched: 1 }, dynlinkSize: { patched: 102 } });
    expect(Object.keys(alone).filter((k) => k.includes('size ratio'))).toEqual([]);
  });

  it('lists them in the markdown, and their times with the other figures', () => {
    const extra = otherFigures({ toplevels: timings, loads: new Map([['native+cmxs', [0.001, 0.003]]]), helloSize: { patched: 1234 } });
    expect(Object.keys(toplevelExtra(timings))[0]).toBe('toplevel ocaml, 50 phrases (records) (s, median)');
    expect(extra).toMatchObject({ 'toplevel ocamlnat, 200 phrases (records) (s, median)': 20, 'Dynlink.loadfile latency, native+cmxs (ms, median)': 2, 'native hello-world size, patched (bytes)': 1234 });
    const md = benchSummaryMarkdown({ date: '2026-11-25T00:00:00Z', machine: { cores: 2 }, repeat: 2, figures: figs, extra, skipped: {} });
    expect(md).toContain('| toplevels, same phrase script | ratio | target |');
    expect(md).toContain('| 50 phrases (records): ocaml.opt vs ocaml | 4.00× (spread 0%) | ≥ 3 |');
    expect(md).toContain('| 50 phrases (records): ocaml vs pristine ocaml | 1.10× (spread 0%) |  |');
    expect(md).toContain('native hello-world size, patched (bytes): 1234.');
    const table = figureTable(figs, extra);
    expect(table).toContain('4. toplevels');
    expect(table.find((l) => l.includes('hello-world'))).toMatch(/ 1234$/);
  });
});

describe('Dynlink.loadfile of a .cmo, first and later loads', () => {
  const first = new Map<VariantName, number[]>([['native+cmo', [0.002, 0.004, 0.003]], ['byte+cmo', [0.001, 0.003, 0.002]]]);
  const later = new Map<VariantName, number[]>([['native+cmo', [0.00004, 0.00004]], ['byte+cmo', [0.00002, 0.00004]]]);

  it('reports the native host against the bytecode host for each, the target on the later load only', () => {
    const r = cmoLoadRatios(first, later);
    const firstLabel = 'Dynlink.loadfile of a .cmo, first load: native host vs bytecode host (time ratio)';
    const laterLabel = 'Dynlink.loadfile of a .cmo, later load: native host vs bytecode host (time ratio, target ≤ 1.2)';
    expect(r[firstLabel]).toBeCloseTo(1.5);
    // The ratios of each process pair, 2, 4/3 and 3/2: their range over twice their median.
    expect(r[`${firstLabel}, spread (%)`]).toBeCloseTo(((2 - 4 / 3) / (2 * 1.5)) * 100);
    expect(r[laterLabel]).toBeCloseTo(4 / 3);
    expect(r[`${laterLabel}, spread (%)`]).toBeCloseTo(((2 - 1) / (2 * 1.5)) * 100);
  });

  it('has no ratio without both variants, and lists the later loads with the other figures', () => {
    expect(cmoLoadRatios(new Map([['native+cmo', [1]]]), new Map())).toEqual({});
    const extra = otherFigures({ toplevels: [], loads: first, laterLoads: later, helloSize: { patched: 1 } });
    expect(extra['Dynlink.loadfile latency, later load, native+cmo (ms, median)']).toBeCloseTo(0.04);
    expect(extra['Dynlink.loadfile latency, native+cmo (ms, median)']).toBeCloseTo(3);
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
      { kind: 'closures', question: '2-domains-vs-1-byte' },
      { kind: 'closures', question: '2-domains-vs-1-cmo-in-native-host' },
      { kind: 'iterator-ns-per-call', kernel: 'iterators_list_map', variant: 'native' },
      { kind: 'iterator-ns-per-call', kernel: 'iterators_list_map', variant: 'byte' },
      { kind: 'iterator-ratio', kernel: 'iterators_list_map', variant: 'native+cmo' },
      { kind: 'iterator-ratio', kernel: 'iterators_hashtbl_iter', variant: 'native+cmo' },
      { kind: 'effects-ns-per-call', kernel: 'effects_host_handles_plugin', variant: 'native+cmo' },
      { kind: 'effects-ns-per-call', kernel: 'effects_host_handles_plugin', variant: 'byte+cmxs' },
      { kind: 'effects-ns-per-call', kernel: 'effects_plugin_handles_host', variant: 'byte+cmxs' },
      { kind: 'effects-pair-ratio', kernel: 'effects_host_handles_plugin', variant: 'native+cmo', reference: 'pure-native' },
      { kind: 'effects-pair-ratio', kernel: 'effects_host_handles_plugin', variant: 'native+cmo', reference: 'native' },
      { kind: 'effects-pair-ratio', kernel: 'effects_host_handles_plugin', variant: 'byte+cmxs', reference: 'native' },
      { kind: 'effects-pair-ratio', kernel: 'effects_plugin_handles_host', variant: 'byte+cmxs', reference: 'native' },
      { kind: 'effects-handler-ratio', variant: 'native+cmo' },
      { kind: 'effects-handler-ratio', variant: 'byte+cmxs' },
    ];
    const figs = keys.map((key, i): Figure => ({ question: '3. crossing cost', label: 'same', value: i, unit: 'ratio', key }));
    const lookup = figureLookup(figs);
    expect(keys.map((k) => lookup(k)?.value)).toEqual(keys.map((_, i) => i));
  });

  it('question ids are unique, and so are the rows of bench.md', () => {
    expect(new Set(RATIO_QUESTIONS.map((q) => q.id)).size).toBe(RATIO_QUESTIONS.length);
    const rows = RATIO_QUESTIONS.flatMap((q) => (q.summaryRow ? [q.summaryRow] : []));
    expect(new Set(rows).size).toBe(rows.length);
    for (const field of ['id', 'row', 'series'] as const) expect(new Set(CLOSURES_QUESTIONS.map((q) => q[field])).size).toBe(CLOSURES_QUESTIONS.length);
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
