// npm run bench [-- --quick] [--only KERNEL] [--repeat N] [--pristine PREFIX] [--no-build]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { main } from '../harness/cli.ts';
import { loadConfig, projectPaths } from '../harness/config.ts';
import { buildOcaml } from '../harness/build-ocaml.ts';
import { ALL_KERNELS, COMPUTE_KERNELS, CROSSING_KERNELS, type Kernel } from '../harness/bench/kernels.ts';
import { buildVariant, canRun, helloSize, prefixHasCompiler, runKernel, type Built, type Variant } from '../harness/bench/variants.ts';
import { figures, type Samples } from '../harness/bench/questions.ts';
import { median } from '../harness/bench/stats.ts';
import { ratioChartSvg } from '../harness/bench/chart.ts';
import { benchSummaryMarkdown } from '../harness/bench/summary.ts';
import { ensurePristinePrefix } from '../harness/bench/pristine-prefix.ts';
import { phraseScript, timeToplevel, TOPLEVELS } from '../harness/bench/toplevels.ts';

main(async () => {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      repeat: { type: 'string' },
      pristine: { type: 'string' },
      'no-build': { type: 'boolean', default: false },
    },
  });
  const paths = projectPaths();
  const config = loadConfig(paths);
  const quick = values.quick ?? false;
  const repeat = Number(values.repeat ?? (quick ? 1 : 5));
  const inner = quick ? 2 : 1;
  if (!values['no-build']) await buildOcaml({ paths, config });
  const patched = paths.install;
  const pristine = values.pristine ?? (quick ? undefined : await ensurePristinePrefix(paths, config));

  const variants: Variant[] = [
    { name: 'native', prefix: patched, host: 'native' },
    { name: 'byte', prefix: patched, host: 'byte' },
    { name: 'native+cmxs', prefix: patched, host: 'native', plugin: 'cmxs' },
    { name: 'byte+cmo', prefix: patched, host: 'byte', plugin: 'cmo' },
    { name: 'native+cmo', prefix: patched, host: 'native', plugin: 'cmo' },
    { name: 'byte+cmxs', prefix: patched, host: 'byte', plugin: 'cmxs' },
    { name: 'ocaml.opt+cmxs', prefix: patched, host: 'toplevel', toplevel: 'ocaml.opt', plugin: 'cmxs' },
    { name: 'ocaml+cmxs', prefix: patched, host: 'toplevel', toplevel: 'ocaml', plugin: 'cmxs' },
    ...(pristine ? [{ name: 'pristine-native', prefix: pristine, host: 'native' as const }, { name: 'pristine-byte', prefix: pristine, host: 'byte' as const }] : []),
  ];
  const kernels = ALL_KERNELS.filter((k) => !values.only || k.name.includes(values.only));
  const nFor = (k: Kernel) => (quick ? k.quickN : k.n);
  const workDir = join(paths.reports, 'bench-work');
  mkdirSync(workDir, { recursive: true });

  // Build every variant; one the compiler cannot do yet is skipped, with its error.
  const built = new Map<string, Built>();
  const skipped: Record<string, string> = {};
  if (!pristine) skipped['pristine-*'] = 'no pristine build (only built for a full run, or pass --pristine PREFIX)';
  for (const v of variants) {
    try {
      if (!prefixHasCompiler(v.prefix)) throw new Error(`no compiler in ${v.prefix}`);
      const b = await buildVariant(v, workDir);
      await runKernel(b, COMPUTE_KERNELS[0]!, 1, 1); // probe: can it run at all?
      built.set(v.name, b);
    } catch (e) {
      skipped[v.name] = String((e as Error).message).split('\n').slice(0, 2).join(' ');
    }
  }
  for (const [v, why] of Object.entries(skipped)) console.log(`skipped ${v}: ${why}`);

  // Interleave variants within each repetition, so drift of a noisy machine hits all alike.
  const samples: Samples = new Map();
  const checksums = new Map<string, Map<string, string>>();
  const loads = new Map<string, number[]>();
  for (let r = 0; r < repeat; r++) {
    for (const k of kernels) {
      for (const [name, b] of built) {
        if (!canRun(b, k)) continue;
        const out = await runKernel(b, k, nFor(k), inner);
        const perKernel = samples.get(name) ?? new Map<string, number[]>();
        samples.set(name, perKernel);
        perKernel.set(k.name, [...(perKernel.get(k.name) ?? []), ...out.samples.map((s) => s.seconds)]);
        for (const s of out.samples) (checksums.get(k.name) ?? checksums.set(k.name, new Map()).get(k.name)!).set(name, s.checksum);
        if (out.loadSeconds !== undefined) loads.set(name, [...(loads.get(name) ?? []), out.loadSeconds]);
      }
    }
    console.log(`repetition ${r + 1}/${repeat} done`);
  }

  // Every variant must compute the same thing: a differing checksum is a bug, not a speed.
  const wrong = [...checksums].filter(([, byVariant]) => new Set(byVariant.values()).size > 1);
  for (const [k, byVariant] of wrong) console.log(`✗ ${k}: checksums differ: ${JSON.stringify(Object.fromEntries(byVariant))}`);

  // 4. Toplevels: the same phrase scripts through each toplevel, interleaved.
  const topTimes = new Map<string, number[]>();
  if (!values.only || 'toplevel'.includes(values.only)) {
    for (const phrases of quick ? [20] : [50, 200]) {
      const script = phraseScript(join(workDir, 'toplevel'), phrases);
      // The patched `ocaml` runs on ocamlrun.crossload (patch 21): pristine 5.3.0's `ocaml`, on
      // ocamlrun, shows what that costs a user who never loads a .cmxs.
      const runs = [
        ...TOPLEVELS.map((t) => ({ key: t as string, toplevel: t as string, prefix: patched })),
        ...(pristine ? [{ key: 'pristine ocaml', toplevel: 'ocaml', prefix: pristine }] : []),
      ];
      for (let r = 0; r < repeat; r++) {
        for (const { key, toplevel, prefix } of runs) {
          const out = await timeToplevel(prefix, toplevel, script, prefix === patched ? paths.ocamlSrc : undefined);
          if (typeof out === 'string') skipped[key] = out;
          else topTimes.set(`${key}@${phrases}`, [...(topTimes.get(`${key}@${phrases}`) ?? []), out]);
        }
      }
    }
  }

  const figs = figures(samples, COMPUTE_KERNELS.filter((k) => kernels.includes(k)), CROSSING_KERNELS.filter((k) => kernels.includes(k)), nFor);
  for (const [key, xs] of topTimes) {
    const [t, n] = key.split('@');
    if (t === 'ocaml') continue;
    const base = topTimes.get(`ocaml@${n}`);
    if (t === 'pristine ocaml') {
      if (base) figs.push({ question: '4. toplevels', label: `${n} phrases: ocaml vs pristine ocaml`, value: median(xs) / median(base), unit: 'ratio' });
      continue;
    }
    if (base) figs.push({ question: '4. toplevels', label: `${n} phrases: ${t} vs ocaml`, value: median(base) / median(xs), unit: 'ratio', ...(t === 'ocaml.opt' ? { target: '≥ 3' } : {}) });
  }
  const extra: Record<string, number> = {};
  for (const [key, xs] of topTimes) extra[`toplevel ${key.replace('@', ', ')} phrases (s, median)`] = median(xs);
  for (const [v, xs] of loads) extra[`Dynlink.loadfile latency, ${v} (ms, median)`] = median(xs) * 1000;
  extra['native hello-world size, patched (bytes)'] = await helloSize(patched, workDir);
  if (pristine) extra['native hello-world size, pristine (bytes)'] = await helloSize(pristine, workDir);

  for (const q of [...new Set(figs.map((f) => f.question))]) {
    console.log(`\n${q}`);
    for (const f of figs.filter((x) => x.question === q)) {
      const v = f.unit === 'ratio' ? `${f.value.toFixed(2)}×` : `${f.value.toFixed(1)} ${f.unit}`;
      console.log(`  ${f.label.padEnd(48)} ${v.padStart(10)}  spread ${((f.spread ?? 0) * 100).toFixed(0)}%${f.target ? `  target ${f.target}` : ''}`);
    }
  }
  console.log('\nother figures');
  for (const [k, v] of Object.entries(extra)) console.log(`  ${k.padEnd(56)} ${v.toFixed(k.includes('bytes') ? 0 : 3)}`);

  const report = {
    date: new Date().toISOString(),
    machine: { cpus: (await import('node:os')).cpus()[0]?.model, cores: (await import('node:os')).availableParallelism() },
    quick,
    repeat,
    inner,
    skipped,
    figures: figs,
    extra,
    samples: Object.fromEntries([...samples].map(([v, m]) => [v, Object.fromEntries(m)])),
    loads: Object.fromEntries(loads),
    checksumMismatches: wrong.map(([k]) => k),
  };
  mkdirSync(paths.reports, { recursive: true });
  writeFileSync(join(paths.reports, 'bench.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(paths.reports, 'bench.svg'), await ratioChartSvg(figs));
  writeFileSync(join(paths.reports, 'bench.md'), benchSummaryMarkdown(report));
  console.log(`\nreports: ${join(paths.reports, 'bench.json')} (every sample), ${join(paths.reports, 'bench.svg')} (chart), ${join(paths.reports, 'bench.md')} (headline tables, for the README)`);
  console.log(`bench: ${figs.length} figures, ${Object.keys(skipped).length} variants skipped, ${wrong.length} checksum mismatches`);
  return wrong.length === 0 ? 0 : 1;
});
