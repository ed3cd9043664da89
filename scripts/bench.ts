// npm run bench [-- --quick] [--only NAME] [--repeat N] [--pristine PREFIX] [--no-build]; --help for more.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../harness/cli.ts';
import { loadConfig, projectPaths } from '../harness/config.ts';
import { buildOcaml } from '../harness/build-ocaml.ts';
import { evalFigures, evalOutputMismatches, evalPlan, measureEval, NO_EVAL } from '../harness/bench/eval.ts';
import { parseBenchOptions } from '../harness/bench/options.ts';
import { ensurePristinePrefix } from '../harness/bench/pristine-prefix.ts';
import { kernelFigures, kernelsToRepeat, type Samples } from '../harness/bench/questions.ts';
import type { Kernel } from '../harness/bench/kernels.ts';
import { NO_COST_SPREAD_GOAL, SPREAD_GOAL } from '../harness/bench/stats.ts';
import { benchReport, figureTable, otherFigures, writeBenchReports } from '../harness/bench/report.ts';
import { buildVariants, checksumMismatches, sampleKernels } from '../harness/bench/sampling.ts';
import { countInstructions, valgrindMissing, type InstructionCount } from '../harness/bench/instructions.ts';
import { phraseScripts, scriptLabel, timeToplevels, toplevelFigures } from '../harness/bench/toplevels.ts';
import { benchVariants, dynlinkProgramSize, helloSize } from '../harness/bench/variants.ts';

main(async () => {
  const opts = parseBenchOptions(process.argv.slice(2));
  const paths = projectPaths();
  const config = loadConfig(paths);
  if (opts.build) await buildOcaml({ paths, config });
  const patched = paths.install;
  // Pristine 5.3.0 is compared with in the kernels and toplevels only (the Eval library is the series').
  const wantsPristine = opts.kernels.length > 0 || opts.toplevels;
  const pristine = opts.pristine ?? (opts.quick || !wantsPristine ? undefined : await ensurePristinePrefix(paths, config));
  const workDir = join(paths.reports, 'bench-work');
  mkdirSync(workDir, { recursive: true });

  const skipped: Record<string, string> = pristine || !wantsPristine ? {} : { 'pristine-*': 'no pristine build (only built for a full run, or pass --pristine PREFIX)' };
  const { built, skipped: notBuilt } = opts.kernels.length > 0 ? await buildVariants(benchVariants({ patched, pristine }), workDir) : { built: new Map(), skipped: {} };
  Object.assign(skipped, notBuilt);
  for (const [v, why] of Object.entries(skipped)) console.log(`skipped ${v}: ${why}`);
  const onRepetition = (done: number, of: number, kernels: readonly Kernel[]) =>
    console.log(done <= opts.repeat ? `repetition ${done}/${of} done` : `repetition ${done} (of ${of} at most) done, of the kernels of a figure with a spread over its goal (${SPREAD_GOAL * 100}%, ${NO_COST_SPREAD_GOAL * 100}% for patched vs pristine): ${kernels.map((k) => k.name).join(', ')}`);
  const moreOf = (samples: Samples) => kernelsToRepeat(kernelFigures(samples, opts.kernels, opts.nFor), opts.kernels);
  const sampled = await sampleKernels(built, { kernels: opts.kernels, repeat: opts.repeat, maxRepeat: opts.maxRepeat, moreOf, inner: opts.inner, nFor: opts.nFor, onRepetition });
  const wrong = checksumMismatches(sampled.checksums);
  for (const { kernel, byVariant } of wrong) console.log(`✗ ${kernel}: checksums differ: ${JSON.stringify(byVariant)}`);

  // Patched against pristine by instructions, which tell 2% apart where this VM's timings cannot (instructions.ts).
  let instructions: InstructionCount[] = [];
  if (opts.instructions && pristine && opts.kernels.some((k) => k.countN !== undefined)) {
    const missing = await valgrindMissing();
    if (missing) skipped['instruction counts'] = missing;
    else {
      instructions = await countInstructions(built, opts.kernels);
      console.log(`instructions counted: ${instructions.length} kernel runs, patched and pristine`);
    }
  }

  const toplevels = opts.toplevels
    ? await timeToplevels({ patched, pristine, buildTree: paths.ocamlSrc, workDir, scripts: phraseScripts(opts.quick), repeat: opts.repeat, maxRepeat: opts.maxRepeat })
    : { timings: [], skipped: {} };
  Object.assign(skipped, toplevels.skipped);

  const evaluated =
    opts.eval.length > 0
      ? await measureEval({ patched, buildTree: paths.ocamlSrc, workDir, plan: evalPlan(opts.quick), parts: opts.eval, repeat: opts.repeat, warmUp: !opts.quick, onRepetition: (done, of) => console.log(`eval repetition ${done}/${of} done`) })
      : NO_EVAL;
  for (const [v, why] of Object.entries(evaluated.skipped)) {
    console.log(`skipped evaluated phrases, ${v}: ${why}`);
    skipped[`evaluated phrases, ${v}`] = why;
  }
  const wrongOutputs = evalOutputMismatches(evaluated.outputs);
  for (const { file, byRun } of wrongOutputs) console.log(`✗ ${file}: outputs differ: ${JSON.stringify(byRun)}`);

  const figures = [...kernelFigures(sampled.samples, opts.kernels, opts.nFor), ...toplevelFigures(toplevels.timings), ...evalFigures(evaluated)];
  const sizes = { patched: await helloSize(patched, workDir), ...(pristine ? { pristine: await helloSize(pristine, workDir) } : {}) };
  const dynlinkSize = { patched: await dynlinkProgramSize(patched, workDir), ...(pristine ? { pristine: await dynlinkProgramSize(pristine, workDir) } : {}) };
  const extra = otherFigures({ toplevels: toplevels.timings, loads: sampled.loads, laterLoads: sampled.laterLoads, helloSize: sizes, dynlinkSize, eval: evaluated });
  console.log(figureTable(figures, extra, instructions).join('\n'));

  const { quick, repeat, maxRepeat, inner } = opts;
  // The repetitions each kernel and phrase script ran (ocamlnat's, capped apart, not counted).
  const repetitions: Record<string, number> = Object.fromEntries(sampled.repetitions);
  for (const t of toplevels.timings.filter((x) => x.run !== 'ocamlnat')) {
    const key = `toplevels on ${scriptLabel({ kind: t.script, phrases: t.phrases })}`;
    repetitions[key] = Math.max(repetitions[key] ?? 0, t.seconds.length);
  }
  const mismatches = [...wrong.map((w) => w.kernel), ...wrongOutputs.map((w) => w.file)];
  const report = benchReport({ date: new Date(), quick, repeat, maxRepeat, repetitions, inner, skipped, figures, extra, instructions, samples: sampled.samples, loads: sampled.loads, laterLoads: sampled.laterLoads, toplevels: toplevels.timings, eval: evaluated, checksumMismatches: mismatches });
  const files = await writeBenchReports(paths.reports, report);
  console.log(`\nreports: ${files.json} (every sample), ${files.svg} (chart), ${files.md} (headline tables, for the README)`);
  console.log(`bench: ${figures.length} figures, ${Object.keys(skipped).length} variants skipped, ${mismatches.length} checksum mismatches`);
  return mismatches.length === 0 ? 0 : 1;
});
