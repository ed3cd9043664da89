import { describe, expect, it } from 'vitest';
import { figures } from '../harness/bench/questions.ts';
import { benchSummaryMarkdown } from '../harness/bench/summary.ts';

describe('bench figures and headline tables', () => {
  const samples = new Map([
    ['native', new Map([['nbody', [1, 1, 1]], ['host_calls_plugin_1', [2, 2, 2]]])],
    ['byte', new Map([['nbody', [40, 40, 40]]])],
    ['byte+cmxs', new Map([['nbody', [1.25, 1.25, 1.25]]])],
    ['native+cmo', new Map([['host_calls_plugin_1', [20, 20, 20]]])],
  ]);
  const nbody = { name: 'nbody', unit: 'nbody', n: 1, quickN: 1 };
  const crossing = { name: 'host_calls_plugin_1', unit: 'crossing', n: 1_000_000_000, quickN: 1, perCall: true };
  const figs = figures(samples, [nbody], [crossing], (k) => k.n);

  it('ratios are time(slow)/time(fast), only for variants that ran', () => {
    const f = (label: string) => figs.find((x) => x.label === label)?.value;
    expect(f('nbody: native vs byte')).toBe(40);
    expect(f('nbody: byte+cmxs vs native')).toBe(0.8);
    expect(f('nbody: byte+cmxs vs byte')).toBe(32);
    expect(f('nbody: ocaml.opt+cmxs vs native')).toBeUndefined();
    expect(f('host_calls_plugin_1 [native+cmo]')).toBe(20);
  });

  it('the markdown has the machine, a row per ratio with — where a variant did not run, and what was skipped', () => {
    const md = benchSummaryMarkdown({ date: '2026-11-25T00:00:00Z', machine: { cpus: 'Test CPU', cores: 2 }, repeat: 3, figures: figs, extra: {}, skipped: { 'ocaml+cmxs': 'cannot load .cmxs' } });
    expect(md).toContain('on Test CPU (2 cores), 3 interleaved repetitions');
    expect(md).toContain('| `.cmxs` in a bytecode host vs native | 0.80× |');
    expect(md).toContain('| `.cmxs` in `ocaml.opt` vs native | — |');
    expect(md).toMatch(/\| 1 \| 2\.0 \| — \| 20\.0 \|/);
    expect(md).toContain('Skipped: ocaml+cmxs (cannot load .cmxs).');
  });
});
