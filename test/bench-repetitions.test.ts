import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLOSURES_KERNELS, COMPUTE_KERNELS, type Kernel } from '../harness/bench/kernels.ts';
import { figureKernels, kernelFigures, kernelsToRepeat, type Figure } from '../harness/bench/questions.ts';
import { sampleKernels } from '../harness/bench/sampling.ts';
import { NO_COST_SPREAD_GOAL, SPREAD_GOAL } from '../harness/bench/stats.ts';
import { timeToplevels, toplevelFigures } from '../harness/bench/toplevels.ts';
import type { Built, VariantName } from '../harness/bench/variants.ts';

const figure = (key: Figure['key'], spread: number, target?: string): Figure => ({ question: '1. x' as Figure['question'], label: 'x', value: 1, unit: 'ratio', spread, key, ...(target ? { target } : {}) });

describe('bench: more repetitions where a figure with a target has a spread over 5%', () => {
  it('names the kernels a figure is computed from', () => {
    expect(figureKernels({ kind: 'ratio', question: 'native-vs-byte', kernel: 'nbody' })).toEqual(['nbody']);
    expect(figureKernels({ kind: 'closures', question: '2-domains-vs-1-cmo-in-native-host' })).toEqual(['closures_domains_2', 'closures_domains_1']);
    expect(figureKernels({ kind: 'effects-pair-ratio', kernel: 'effects_host_handles_plugin', variant: 'native+cmo', reference: 'pure-native' })).toEqual(['effects_host_handles_plugin', 'effects_host_handles_host']);
    expect(figureKernels({ kind: 'effects-handler-ratio', variant: 'native+cmo' })).toEqual(['effects_call_outside_handler', 'effects_call_under_handler']);
    expect(figureKernels({ kind: 'toplevel', question: 'ocaml.opt-vs-ocaml', script: 'mix', phrases: 54 })).toEqual([]);
  });

  it('repeats only the kernels of figures that have a target and a spread over the goal', () => {
    const kernels = [...COMPUTE_KERNELS, ...CLOSURES_KERNELS];
    const figs = [
      figure({ kind: 'ratio', question: 'patched-vs-pristine-native', kernel: 'nbody' }, 0.2, '≈ 1'),
      figure({ kind: 'ratio', question: 'native-vs-byte', kernel: 'sieve' }, 0.5), // no target
      figure({ kind: 'ratio', question: 'patched-vs-pristine-native', kernel: 'fannkuch' }, SPREAD_GOAL, '≈ 1'), // not over
      figure({ kind: 'closures', question: '2-domains-vs-1-byte' }, 0.06, '≥ 1.8'),
      // Under 5% but over its own goal of 2%
      { ...figure({ kind: 'ratio', question: 'patched-vs-pristine-byte', kernel: 'sieve' }, 0.03, '≈ 1'), spreadGoal: NO_COST_SPREAD_GOAL },
    ];
    expect(kernelsToRepeat(figs, kernels).map((k) => k.name)).toEqual(['nbody', 'sieve', 'closures_domains_1', 'closures_domains_2']);
  });

  it('samples every variant of a repeated kernel again, until no figure is over the goal or at the cap', async () => {
    const nbody = COMPUTE_KERNELS.find((k) => k.name === 'nbody')!;
    const sieve = COMPUTE_KERNELS.find((k) => k.name === 'sieve')!;
    const fake = (name: string): Built => ({ exe: name, dir: name, pluginFile: () => undefined });
    const built = new Map<VariantName, Built>([['native', fake('native')], ['pristine-native', fake('pristine-native')]]);
    // nbody is noisy in pristine-native for its first 8 samples (0.8 and 1.2 in turn), then steady; sieve is steady.
    const calls = new Map<string, number>();
    const run = async (b: Built, k: Kernel) => {
      const i = calls.get(`${b.exe}|${k.name}`) ?? 0;
      calls.set(`${b.exe}|${k.name}`, i + 1);
      const seconds = b.exe === 'pristine-native' && k.name === 'nbody' && i < 8 ? (i % 2 ? 1.2 : 0.8) : 1;
      return { samples: [{ seconds, checksum: 'c' }] };
    };
    const plan = { kernels: [nbody, sieve], repeat: 3, inner: 1, nFor: () => 1, run };
    const moreOf = (samples: Parameters<typeof kernelFigures>[0]) => kernelsToRepeat(kernelFigures(samples, plan.kernels, plan.nFor), plan.kernels);
    const capped = await sampleKernels(built, { ...plan, maxRepeat: 6, moreOf });
    expect(capped.repetitions).toEqual(new Map([['nbody', 6], ['sieve', 3]]));
    // Every variant of nbody has 6 samples, side by side.
    expect(capped.samples.get('native')!.get('nbody')).toHaveLength(6);
    expect(capped.samples.get('pristine-native')!.get('nbody')).toHaveLength(6);
    calls.clear();
    const converged = await sampleKernels(built, { ...plan, maxRepeat: 100, moreOf });
    const n = converged.repetitions.get('nbody')!;
    expect(n).toBeGreaterThan(8);
    expect(n).toBeLessThan(100);
    const f = kernelFigures(converged.samples, plan.kernels, plan.nFor).find((x) => x.key.kind === 'ratio' && x.key.kernel === 'nbody' && x.key.question === 'patched-vs-pristine-native')!;
    expect(f.spread).toBeLessThanOrEqual(NO_COST_SPREAD_GOAL);
    // Without moreOf or a cap above --repeat: exactly --repeat.
    calls.clear();
    expect((await sampleKernels(built, plan)).repetitions).toEqual(new Map([['nbody', 3], ['sieve', 3]]));
  });

  it('the toplevels: a script whose figure with a target stays over the goal runs up to the cap, ocamlnat no more', async () => {
    const prefix = mkdtempSync(join(tmpdir(), 'wb-toplevels-'));
    mkdirSync(join(prefix, 'bin'));
    // ocaml.opt takes 20 or 80 ms in turn: its ratio to ocaml never settles.
    const script = (body: string) => `#!/bin/sh\n${body}\n`;
    writeFileSync(join(prefix, 'bin', 'ocaml'), script('sleep 0.1'));
    writeFileSync(join(prefix, 'bin', 'ocaml.opt'), script(`f=${prefix}/count; n=$(cat $f 2>/dev/null || echo 0); echo $((n+1)) > $f; if [ $((n % 2)) = 0 ]; then sleep 0.02; else sleep 0.08; fi`));
    writeFileSync(join(prefix, 'bin', 'ocamlnat'), script('sleep 0.01'));
    // The compiler as bytecode and as native code, given `-w -a -c script`.
    writeFileSync(join(prefix, 'bin', 'ocamlc.byte'), script('[ "$3" = -c ] && [ -f "$4" ] && sleep 0.04'));
    writeFileSync(join(prefix, 'bin', 'ocamlc.opt'), script('[ "$3" = -c ] && [ -f "$4" ] && sleep 0.01'));
    for (const t of ['ocaml', 'ocaml.opt', 'ocamlnat', 'ocamlc.byte', 'ocamlc.opt']) chmodSync(join(prefix, 'bin', t), 0o755);
    const m = await timeToplevels({ patched: prefix, buildTree: prefix, workDir: prefix, scripts: [{ kind: 'records', phrases: 2 }], repeat: 2, maxRepeat: 5 });
    const runs = (run: string) => m.timings.find((t) => t.run === run)?.seconds.length;
    expect(runs('ocaml')).toBe(5);
    expect(runs('ocaml.opt')).toBe(5);
    expect(runs('ocamlnat')).toBe(3);
    const withPristine = await timeToplevels({ patched: prefix, pristine: prefix, buildTree: prefix, workDir: prefix, scripts: [{ kind: 'records', phrases: 2 }], repeat: 2 });
    expect(withPristine.skipped).toEqual({});
    expect(withPristine.timings.map((t) => t.run)).toEqual(['ocaml', 'ocaml.opt', 'ocamlnat', 'pristine ocaml', 'pristine ocamlc.byte', 'pristine ocamlc.opt']);
    const compiler = toplevelFigures(withPristine.timings).find((f) => f.key.kind === 'toplevel' && f.key.question === 'ocamlc.opt-vs-ocamlc.byte')!;
    expect(compiler.label).toBe('2 phrases (records): pristine ocamlc.opt vs pristine ocamlc.byte');
    expect(compiler.value).toBeGreaterThan(1.5);
    expect(compiler.target).toBeUndefined();
    const once = await timeToplevels({ patched: prefix, buildTree: prefix, workDir: prefix, scripts: [{ kind: 'records', phrases: 2 }], repeat: 2 });
    expect(once.timings.find((t) => t.run === 'ocaml')?.seconds).toHaveLength(2);
  });
});

describe('bench.md: the repetitions taken', () => {
  it('says which kernels took more repetitions, up to what, and lists the figures with a target still over the goal', async () => {
    const { benchSummaryMarkdown } = await import('../harness/bench/summary.ts');
    const figs = [
      figure({ kind: 'ratio', question: 'patched-vs-pristine-native', kernel: 'nbody' }, 0.12, '≈ 1'),
      figure({ kind: 'ratio', question: 'patched-vs-pristine-native', kernel: 'sieve' }, 0.015, '≈ 1'),
      figure({ kind: 'ratio', question: 'patched-vs-pristine-byte', kernel: 'sieve' }, 0.03, '≈ 1'),
      figure({ kind: 'ratio', question: 'native-vs-byte', kernel: 'nbody' }, 0.4),
      figure({ kind: 'ratio', question: 'cmo-in-native-host-vs-byte', kernel: 'sieve' }, 0.06, '≥ 0.95'),
    ].map((f, i) => ({
      ...f,
      label: ['nbody: native vs pristine native', 'sieve: native vs pristine native', 'sieve: byte vs pristine byte', 'nbody: native vs byte', 'sieve: native+cmo vs byte'][i]!,
      ...(i < 3 ? { spreadGoal: NO_COST_SPREAD_GOAL } : {}),
    }));
    const md = benchSummaryMarkdown({ date: '2026-12-04T00:00:00Z', machine: { cores: 2 }, repeat: 5, maxRepeat: 20, repetitions: { nbody: 20, sieve: 7, fannkuch: 5 }, figures: figs, extra: {}, skipped: {} });
    expect(md).toContain('5 interleaved repetitions (more, up to 20, where a figure with a target had a spread over 5%, 2% for patched vs pristine: nbody 20, sieve 7), medians');
    expect(md).toContain(
      'Figures with a target whose spread is still over its goal (5% unless said) after the repetitions above: nbody: native vs pristine native (12%, goal 2%); sieve: byte vs pristine byte (3.0%, goal 2%); sieve: native+cmo vs byte (6.0%).',
    );
    // Without more repetitions allowed (--quick), neither.
    const quick = benchSummaryMarkdown({ date: '2026-12-04T00:00:00Z', machine: { cores: 2 }, repeat: 1, figures: figs, extra: {}, skipped: {} });
    expect(quick).toContain('1 interleaved repetitions, medians');
    expect(quick).not.toContain('still over');
  });
});
