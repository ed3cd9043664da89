import { describe, expect, it } from 'vitest';
import { chartBar, chartSpec, chartTargets, needsLogScale, ratioChartSvg, targetValue } from '../harness/bench/chart.ts';
import { CLOSURES_KERNELS, EFFECTS_KERNELS, ITERATOR_KERNELS } from '../harness/bench/kernels.ts';
import { kernelFigures, SECTIONS, type Figure, type Samples } from '../harness/bench/questions.ts';

const ratio = (question: Figure['question'], label: string, value: number, target?: string): Figure => ({
  question,
  label,
  value,
  unit: 'ratio',
  ...(target ? { target } : {}),
  key: { kind: 'ratio', question: 'native-vs-byte', kernel: label.split(':')[0]! },
});
const perCall = (label: string, value: number): Figure => ({
  question: SECTIONS.crossingCost,
  label,
  value,
  unit: 'ns/call',
  key: { kind: 'ns-per-call', kernel: label, variant: 'native' },
});

const FIGURES: Figure[] = [
  ratio(SECTIONS.nativeGain, 'nbody: native vs byte', 18),
  ratio(SECTIONS.nativeFromBytecode, 'nbody: ocaml.opt+cmxs vs native+cmxs', 0.8, '≥ 0.9'),
  ratio(SECTIONS.nativeFromBytecode, 'sieve: ocaml.opt+cmxs vs native+cmxs', 0.85, '≥ 0.9'),
  ratio(SECTIONS.bytecodeFromNative, 'sieve: native+cmo vs byte', 1.1, '≥ 0.95'),
  perCall('host_calls_plugin_1 [native]', 2),
  perCall('host_calls_plugin_1 [native+cmo]', 150),
];

describe('bench chart', () => {
  it('splits labels into the group of bars and the comparison', () => {
    expect(chartBar(FIGURES[1]!)).toMatchObject({ group: 'nbody', series: 'ocaml.opt+cmxs vs native+cmxs' });
    expect(chartBar(FIGURES[5]!)).toMatchObject({ group: 'host_calls_plugin_1', series: 'native+cmo' });
  });

  it('draws each target once per comparison, at its number', () => {
    expect(targetValue('≥ 0.95')).toBe(0.95);
    expect(targetValue('≤ 1.5×')).toBe(1.5);
    expect(targetValue('≈ 1')).toBe(1);
    expect(chartTargets(FIGURES).map((t) => [t.series, t.value])).toEqual([
      ['ocaml.opt+cmxs vs native+cmxs', 0.9],
      ['native+cmo vs byte', 0.95],
    ]);
  });

  it('has one panel per question, logarithmic where values span more than 10×', () => {
    expect(needsLogScale([0.9, 1, 1.6])).toBe(false);
    expect(needsLogScale([0.02, 1, 3.7])).toBe(true);
    const spec = chartSpec(FIGURES) as unknown as { vconcat: Array<{ title: { text: string }; layer: Array<{ encoding?: { x?: { scale?: { type?: string } } } }> }> };
    expect(spec.vconcat.map((p) => p.title.text)).toEqual([SECTIONS.nativeGain, SECTIONS.nativeFromBytecode, SECTIONS.bytecodeFromNative, `${SECTIONS.crossingCost} (ns per call)`]);
    const scaleType = (i: number) => spec.vconcat[i]!.layer[0]!.encoding!.x!.scale!.type;
    expect(scaleType(0)).toBe('log'); // 1 and 18
    expect(scaleType(2)).toBeUndefined(); // 0.95 to 1.1: linear
    expect(scaleType(3)).toBe('log'); // 2 ns and 150 ns
  });

  it("has panels for issue 17's kernels: the closures ratios with their two targets, the iterators in ns per callback and as ratios", () => {
    const samples: Samples = new Map([
      ['byte', new Map([['closures', [3]], ['closures_domains_1', [4]], ['closures_domains_2', [2.5]], ['iterators_list_map', [0.04]]])],
      ['native+cmo', new Map([['closures', [2]], ['closures_domains_1', [3]], ['closures_domains_2', [2]], ['iterators_list_map', [0.03]]])],
      ['native', new Map([['iterators_list_map', [0.004]]])],
    ]);
    const figs = kernelFigures(samples, [...CLOSURES_KERNELS, ...ITERATOR_KERNELS], (k) => k.n);
    // One group of bars per kernel, one series per comparison: each target is its own series' line.
    expect(figs.filter((f) => f.question === SECTIONS.closures).map((f) => chartBar(f).group)).toEqual(['closures', 'closures', 'closures', 'closures']);
    expect(chartTargets(figs).map((t) => [t.panel, t.series, t.value])).toEqual([
      [SECTIONS.closures, 'native+cmo vs byte, 1 domain', 1],
      [SECTIONS.closures, '2 domains vs 1, native+cmo', 1.8],
      [SECTIONS.iterators, 'native→bytecode (native+cmo) vs bytecode→bytecode', 0.67],
    ]);
    const spec = chartSpec(figs) as unknown as { vconcat: Array<{ title: { text: string } }> };
    expect(spec.vconcat.map((p) => p.title.text)).toEqual([SECTIONS.closures, `${SECTIONS.iterators} (ns per call)`, SECTIONS.iterators]);
  });

  it("has panels for issue 16's kernels: the pairs and the calls in ns, the crossing pairs and the calls under a handler as ratios, with their targets", () => {
    const run = (hh: number, hp: number, ph: number, pp: number, outside: number, under: number) =>
      new Map([
        ['effects_host_handles_host', [hh]],
        ['effects_host_handles_plugin', [hp]],
        ['effects_plugin_handles_host', [ph]],
        ['effects_plugin_handles_plugin', [pp]],
        ['effects_call_outside_handler', [outside]],
        ['effects_call_under_handler', [under]],
      ]);
    const samples: Samples = new Map([
      ['native', run(0.014, 0.014, 0.014, 0.014, 0.003, 0.003)],
      ['byte', run(0.09, 0.09, 0.09, 0.09, 0.02, 0.02)],
      ['native+cmo', run(0.014, 0.1, 0.18, 0.09, 0.028, 0.07)],
      ['byte+cmxs', run(0.09, 0.16, 0.1, 0.016, 0.04, 0.06)],
    ]);
    const figs = kernelFigures(samples, EFFECTS_KERNELS, (k) => k.n);
    const spec = chartSpec(figs) as unknown as { vconcat: Array<{ title: { text: string } }> };
    expect(spec.vconcat.map((p) => p.title.text)).toEqual([`${SECTIONS.effects} (ns per call)`, SECTIONS.effects, `${SECTIONS.effectsUnderHandler} (ns per call)`, SECTIONS.effectsUnderHandler]);
    // A group of bars per crossing placement, a series per reference; the target is the pure native pair's line only.
    const ratios = figs.filter((f) => f.question === SECTIONS.effects && f.unit === 'ratio').map(chartBar);
    expect([...new Set(ratios.map((b) => b.group))]).toEqual([
      'native handler in the host, bytecode perform in the plugin (native+cmo)',
      'bytecode handler in the plugin, native perform in the host (native+cmo)',
      'bytecode handler in the host, native perform in the plugin (byte+cmxs)',
      'native handler in the plugin, bytecode perform in the host (byte+cmxs)',
    ]);
    expect([...new Set(ratios.map((b) => b.series))]).toEqual(['crossing pair vs pure native pair', 'crossing pair vs native pair, same process', 'crossing pair vs bytecode pair, same process']);
    expect(chartTargets(figs).map((t) => [t.panel, t.series, t.value])).toEqual([
      [SECTIONS.effects, 'crossing pair vs pure native pair', 0.33],
      [SECTIONS.effectsUnderHandler, 'under a handler vs outside any', 0.95],
    ]);
    // The ns bars: a group per kernel, a series per variant.
    expect(chartBar(figs.find((f) => f.key.kind === 'effects-ns-per-call')!)).toMatchObject({ group: 'effects_host_handles_host', series: 'native', unit: 'ns/call' });
  });

  it('renders an SVG with every comparison named in full', async () => {
    const svg = await ratioChartSvg(FIGURES);
    expect(svg.startsWith('<svg')).toBe(true);
    for (const name of ['ocaml.opt+cmxs vs native+cmxs', 'native+cmo vs byte', 'host_calls_plugin_1', 'target ≥ 0.9']) expect(svg).toContain(name);
    expect(svg).not.toContain('…');
  });
});
