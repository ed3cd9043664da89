// npm run fuzz [-- --seed N --count N --kinds cmo,cma,cmxs --jobs N --timeout S --replay ID --prefix DIR --pristine PREFIX
//                  --no-gdb] (--help: every option)
// Differential fuzzing of plugin files: structural mutants of seed .cmo/.cma/.cmxs files, each fed to the
// crossloading loader and to the stock loader of its kind (harness/fuzz/).
import { TIMEOUTS } from '../harness/timeouts.ts';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { main } from '../harness/cli.ts';
import { haveCommand } from '../harness/exec.ts';
import { loadConfig, projectPaths } from '../harness/config.ts';
import { WorkbenchError } from '../harness/errors.ts';
import { defineCommand, parseCommandLine, parseList, UsageError } from '../harness/options.ts';
import { pristineLayout } from '../harness/pristine-build.ts';
import { buildFuzzInputs, type FuzzInputs, type Prefixes } from '../harness/fuzz/build.ts';
import { VERDICTS, type Verdict } from '../harness/fuzz/classify.ts';
import { crashBacktrace, gdbCommand, shellLine } from '../harness/fuzz/gdb.ts';
import { FILE_KINDS, type FileKind } from '../harness/fuzz/layout.ts';
import { loadersFor } from '../harness/fuzz/loaders.ts';
import { describeMutation } from '../harness/fuzz/mutate.ts';
import { makeMutant, mutantIds, parseMutantId } from '../harness/fuzz/plan.ts';
import { fuzz, memcheckError, mutantFile, runLoader, underMemcheck, MEMCHECK_SLOWDOWN, type MutantResult } from '../harness/fuzz/runner.ts';
import { countResults, fuzzSummaryLine, groupCrashes, timingText, writeFuzzReports, type FuzzMeta } from '../harness/fuzz/report.ts';

/** One run of a loader on a mutant, in seconds: a loader that takes longer has hung (a crash). */
const DEFAULT_TIMEOUT_S = TIMEOUTS.fuzzRunS;
/** At most this many findings get a gdb backtrace (each runs the host once more under gdb, a second or two). */
const MAX_BACKTRACES = 100;
const PROGRESS_EVERY = 500;
/** A replay runs each loader this many times. */
const REPLAY_RUNS = 10;

const COMMAND = defineCommand({
  usage: 'npm run fuzz --',
  summary:
    'Differential fuzzing of plugin files: builds seed plugins (.cmo, .cma, .cmxs) with the patched compiler and four loader hosts ' +
    '(crossloading: a native host loading .cmo/.cma, a bytecode host on ocamlrun.crossload loading .cmxs; stock, from pristine 5.3.0: ' +
    'a bytecode host loading .cmo/.cma, a native host loading .cmxs) in .cache/fuzz/, mutates the seeds structurally (headers, ' +
    'marshalled descriptors, ELF tables, the plugin header; never the bytecode) with a seeded generator, and feeds each mutant to the ' +
    'crossloading loader and the stock loader of its kind. A finding is a mutant that crashes the crossloading loader and not the ' +
    'stock one. Writes reports/fuzz.md and fuzz.json; ends with `fuzz: N passed, N failed, N skipped, N known` (a finding is a ' +
    'failure) and exits 1 on a finding. Does not build OCaml: the patched compiler and pristine 5.3.0 must be installed.',
  options: {
    seed: { type: 'int', arg: 'N', min: 0, help: "the generator's seed: the same seed makes the same mutants", default: 1 },
    count: { type: 'int', arg: 'N', help: 'how many mutants, shared out evenly among the kinds', default: 5000 },
    kinds: { type: 'string', arg: 'a,b', help: `mutate only seeds of these kinds, of: ${FILE_KINDS.join(', ')}` },
    jobs: { type: 'int', arg: 'N', help: 'mutants run at a time', default: 2 },
    timeout: { type: 'int', arg: 'S', help: 'limit on one run of a loader, in seconds (a timeout is a crash)', default: DEFAULT_TIMEOUT_S },
    replay: { type: 'string', arg: 'ID', help: 'make the mutant ID again (<seed>-<kind>-<index>, as the report names it), run each loader on it 10 times (once after a timeout), print everything; writes no report' },
    prefix: { type: 'string', arg: 'DIR', help: 'the patched compiler (default: _install/)' },
    pristine: { type: 'string', arg: 'PREFIX', help: "pristine 5.3.0's prefix (default: .cache/pristine/_install, as crosstest and bench build it)" },
    'no-gdb': { type: 'boolean', help: 'do not run the findings under gdb (their backtraces group them in the report)' },
    'no-memcheck': { type: 'boolean', help: 'do not run the stock loader under valgrind memcheck on candidate findings (a memory error there makes the mutant a crash of both)' },
  },
});

main(async () => {
  const values = parseCommandLine(COMMAND);
  const kinds = (values.kinds ? parseList('kinds', values.kinds, FILE_KINDS, COMMAND.usage) : [...FILE_KINDS]) as FileKind[];
  if (values.replay !== undefined && !parseMutantId(values.replay)) throw new UsageError(`--replay ${values.replay}: not a mutant id (<seed>-<cmo|cma|cmxs>-<index>, e.g. 1-cmxs-42)`, COMMAND.usage);
  const paths = projectPaths();
  const p: Prefixes = {
    prefix: values.prefix !== undefined ? resolve(values.prefix) : paths.install,
    pristine: values.pristine !== undefined ? resolve(values.pristine) : pristineLayout(paths, loadConfig(paths)).prefix,
  };
  const cacheDir = join(paths.cache, 'fuzz');
  const inputs = await buildFuzzInputs(cacheDir, p);
  if (inputs.built) console.log(`built the seeds and hosts in ${cacheDir}`);
  const loaders = (kind: FileKind) => loadersFor(kind, inputs.hosts, p);
  const workDir = join(cacheDir, 'work');
  mkdirSync(workDir, { recursive: true });

  const memcheck = !values['no-memcheck'] && (await haveCommand('valgrind'));
  if (!values['no-memcheck'] && !memcheck) console.log('valgrind is not installed: candidate findings are not checked under memcheck');
  if (values.replay !== undefined) return replay(values.replay, inputs, loaders, cacheDir, values.timeout, join(paths.reports, 'fuzz.json'), memcheck);

  await checkSeeds(inputs, loaders, workDir, values.timeout);
  const ids = mutantIds(values.seed, values.count, kinds);
  console.log(`fuzz: ${ids.length} mutants of ${kinds.map((k) => `.${k}`).join(', ')} (seed ${values.seed}), ${values.jobs} job(s), ${values.timeout} s per run`);
  const started = performance.now();
  let done = 0;
  const soFar: MutantResult[] = [];
  const results = await fuzz({
    ids,
    seeds: inputs.seeds,
    loaders,
    workDir,
    findingsDir: join(cacheDir, 'findings'),
    jobs: values.jobs,
    timeoutS: values.timeout,
    memcheck,
    onResult: (r) => {
      done++;
      soFar.push(r);
      if (r.finding) console.log(`finding ${r.recipe.id} [${r.recipe.region}: ${describeMutation(r.recipe.mutation)}]: ${r.crossload.detail} (stock: ${r.stock.detail})`);
      if (done % PROGRESS_EVERY === 0 || done === ids.length) {
        const c = countResults(soFar);
        console.log(`  ${done}/${ids.length}: ${c.crashed} crashed (${c.crashedInStockToo} in stock too), ${c.stockOnlyCrashes} stock-only crashes, ${c.findings} findings, ${Math.round((performance.now() - started) / 1000)} s`);
      }
    },
  });
  const durationMs = performance.now() - started;

  // Where each finding crashes (gdb runs it once more; addresses are not randomised under gdb): the report groups
  // findings by it.
  const backtraces = new Map<string, string[]>();
  if (!values['no-gdb']) {
    for (const r of results.filter((x) => x.finding && !x.crossload.timedOut).slice(0, MAX_BACKTRACES)) {
      const bt = await crashBacktrace(loaders(r.recipe.kind).crossload, mutantFile(join(cacheDir, 'findings'), r.recipe), workDir);
      if (bt) backtraces.set(r.recipe.id, bt);
    }
    if (backtraces.size > 0) console.log(`gdb: backtraces of ${backtraces.size} finding(s)`);
  }

  const meta: FuzzMeta = {
    date: new Date().toISOString(),
    runSeed: values.seed,
    count: values.count,
    kinds,
    jobs: values.jobs,
    timeoutS: values.timeout,
    memcheck,
    durationMs: Math.round(durationMs),
    prefix: p.prefix,
    pristine: p.pristine,
    seeds: inputs.seeds.map((s) => ({ name: s.name, kind: s.kind, size: s.bytes.length, sha256: s.sha256, regions: s.layout.regions.map((r) => r.name) })),
    loaders: Object.fromEntries(FILE_KINDS.map((k) => [k, { crossload: loaders(k).crossload.description, stock: loaders(k).stock.description }])) as FuzzMeta['loaders'],
  };
  writeFuzzReports(paths.reports, results, meta, backtraces);

  console.log('');
  for (const k of kinds) {
    const c = countResults(results.filter((r) => r.recipe.kind === k));
    console.log(`.${k.padEnd(4)}: ${c.tried} tried, ${c.refused} refused, ${c.loaded} loaded, ${c.crashed} crashed, ${c.crashedInStockToo} crashed in stock too, ${c.findings} findings (stock: ${c.stockCrashed} crashed, ${c.stockOnlyCrashes} of them alone)`);
  }
  for (const g of groupCrashes(results.filter((r) => r.finding), 'crossload', backtraces)) {
    const first = g.results[0]!;
    console.log(`\n=== finding .${g.kind}: ${g.signature}${g.site ? ` in ${g.site}` : ''} (${g.results.length}: ${g.results.slice(0, 8).map((r) => r.recipe.id).join(', ')}${g.results.length > 8 ? ', …' : ''})`);
    console.log(`  ${first.recipe.id}: ${first.recipe.region}: ${describeMutation(first.recipe.mutation)}; stock: ${first.stock.detail}`);
    for (const l of first.crossload.stderrHead ?? []) console.log(`  | ${l}`);
  }
  console.log(`reports: ${join(paths.reports, 'fuzz.md')}, fuzz.json`);
  console.log(`time: ${timingText({ durationMs, jobs: values.jobs }, results.length)}`);
  console.log(fuzzSummaryLine(results));
  return results.some((r) => r.finding) ? 1 : 0;
});

/** Every seed must load in both loaders of its kind: otherwise the comparison says nothing. */
async function checkSeeds(inputs: FuzzInputs, loaders: (k: FileKind) => ReturnType<typeof loadersFor>, workDir: string, timeoutS: number): Promise<void> {
  for (const s of inputs.seeds) {
    const file = join(workDir, s.name);
    writeFileSync(file, s.bytes);
    for (const loader of Object.values(loaders(s.kind))) {
      const r = await runLoader(loader, file, workDir, timeoutS);
      if (r.verdict !== 'loaded') {
        throw new WorkbenchError(`the seed ${s.name} does not load in the ${loader.role} loader (${loader.description}): ${r.detail}`, `Run ${shellLine(loader.command(file))} to see why.`);
      }
    }
  }
}

async function replay(id: string, inputs: FuzzInputs, loaders: (k: FileKind) => ReturnType<typeof loadersFor>, cacheDir: string, timeoutS: number, reportFile: string, memcheck: boolean): Promise<number> {
  warnIfSeedsChanged(inputs, reportFile);
  const { recipe, bytes } = makeMutant(id, inputs.seeds);
  const dir = join(cacheDir, 'replay');
  mkdirSync(dir, { recursive: true });
  const file = mutantFile(dir, recipe);
  writeFileSync(file, bytes);
  console.log(`mutant ${id}: ${recipe.seed}, region ${recipe.region}: ${describeMutation(recipe.mutation)}`);
  console.log(`recipe: ${JSON.stringify(recipe)}`);
  console.log(`file: ${file} (${bytes.length} bytes)`);
  let stockRuns: Verdict[] = [];
  const runs = { crossload: await runLoader(loaders(recipe.kind).crossload, file, dir, timeoutS), stock: await runLoader(loaders(recipe.kind).stock, file, dir, timeoutS) };
  for (const role of ['crossload', 'stock'] as const) {
    const loader = loaders(recipe.kind)[role];
    const r = runs[role];
    console.log(`\n${role} loader (${loader.description}): ${r.verdict}: ${r.detail}`);
    console.log(`  command: ${shellLine(loader.command(file))}`);
    console.log(`  exit ${r.exitCode}${r.signal ? `, ${r.signal}` : ''}${r.timedOut ? ', timed out' : ''}, ${r.durationMs} ms`);
    for (const l of r.stderrHead ?? []) console.log(`  | ${l}`);
    if (r.verdict === 'crashed') console.log(`  under gdb: ${shellLine(gdbCommand(loader, file))}`);
    // Crashes on mutated headers can depend on the process's memory (addresses are randomised): how often?
    // Not after a timeout: each would take the whole limit.
    const verdicts = [r.verdict];
    let last = r;
    while (verdicts.length < REPLAY_RUNS && !last.timedOut) {
      last = await runLoader(loader, file, dir, timeoutS);
      verdicts.push(last.verdict);
    }
    console.log(`  in ${verdicts.length} run(s)${last.timedOut ? ' (stopped at a timeout)' : ''}: ${VERDICTS.map((v) => `${verdicts.filter((x) => x === v).length} ${v}`).join(', ')}`);
    if (role === 'stock') stockRuns = verdicts;
  }
  const stockCrashes = stockRuns.filter((v) => v === 'crashed').length;
  let memoryError: string | undefined;
  if (memcheck && runs.crossload.verdict === 'crashed' && stockCrashes === 0) {
    const checked = await runLoader(underMemcheck(loaders(recipe.kind).stock), file, dir, timeoutS * MEMCHECK_SLOWDOWN);
    if (checked.verdict === 'crashed') memoryError = memcheckError(checked.stderrHead) ?? `under memcheck: ${checked.detail}`;
    console.log(`\nstock loader under valgrind memcheck: ${memoryError ?? `no memory error (${checked.verdict})`}`);
  }
  const finding = runs.crossload.verdict === 'crashed' && stockCrashes === 0 && memoryError === undefined;
  console.log(`\n${finding ? `a finding: the crossloading loader crashed, the stock one did not (in ${stockRuns.length} runs${memcheck ? ', nor under memcheck' : ''})` : `not a finding (first runs: crossloading ${runs.crossload.verdict}, stock ${runs.stock.verdict}; stock crashed in ${stockCrashes} of ${stockRuns.length} runs${memoryError ? `; under memcheck: ${memoryError}` : ''})`}`);
  return finding ? 1 : 0;
}

/** A replay remakes mutants from the seeds as built now: say so when they differ from the last report's. */
function warnIfSeedsChanged(inputs: FuzzInputs, reportFile: string): void {
  if (!existsSync(reportFile)) return;
  try {
    const seeds = (JSON.parse(readFileSync(reportFile, 'utf8')) as { meta?: { seeds?: { name: string; sha256: string }[] } }).meta?.seeds ?? [];
    for (const s of seeds) {
      const now = inputs.seeds.find((x) => x.name === s.name);
      if (now && now.sha256 !== s.sha256) console.log(`warning: ${s.name} differs from the one of ${reportFile} (rebuilt by another compiler?): the mutant may differ from the reported one`);
    }
  } catch {
    /* an unreadable report: nothing to compare with */
  }
}
