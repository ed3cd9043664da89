// npm run crosstest [-- --only PATTERN --modes a,b --corpus own|ocaml|all --quick --jobs N --timeout S --failed --update
//                        --prefix DIR --no-build --runtime d --report-dir DIR] (--help: every option)
// --quick: every own test and a fixed sample of OCaml's own (harness/crosstest/quick.ts), in every mode.
// --runtime d: the programs under test on the debug runtime (harness/crosstest/runtime-variant.ts).
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../harness/cli.ts';
import { loadConfig, projectPaths, type ProjectPaths } from '../harness/config.ts';
import { pristineLayout } from '../harness/pristine-build.ts';
import { ensurePristinePrefix } from '../harness/bench/pristine-prefix.ts';
import { WorkbenchError } from '../harness/errors.ts';
import { defineCommand, parseCommandLine, parseList, requireSelection, UsageError } from '../harness/options.ts';
import { TIMEOUTS } from '../harness/timeouts.ts';
import { buildOcaml } from '../harness/build-ocaml.ts';
import { discoverOwnTests } from '../harness/crosstest/test-case.ts';
import { discoverOcamlTests, hostUnitNames } from '../harness/crosstest/ocaml-corpus.ts';
import { ALL_MODES } from '../harness/crosstest/modes/index.ts';
import { runPlan } from '../harness/crosstest/runner.ts';
import { isTsanBuild, toolchain } from '../harness/crosstest/toolchain.ts';
import { crosstestLabel, reportFiles, timingLine, writeReports } from '../harness/crosstest/report.ts';
import { CROSSTEST_RUNTIMES, requirePrefixRuntimeVariant } from '../harness/crosstest/runtime-variant.ts';
import { quickSample, subsetLabel } from '../harness/crosstest/quick.ts';
import { summaryLine, type CaseResult } from '../harness/crosstest/results.ts';
import { applyKnownFailures, loadKnownFailures } from '../harness/crosstest/known-failures.ts';
import { updateReferences } from '../harness/crosstest/update-references.ts';
import { withProgress } from '../harness/crosstest/progress.ts';
import { testFilesBeforeBuild } from '../harness/ocaml-testsuite/selection-check.ts';

const COMMAND = defineCommand({
  usage: 'npm run crosstest --',
  summary:
    "The differential tests: the project's own tests (testsuite/<name>/) and OCaml's own test programs " +
    '(ocaml-src/testsuite/tests) run in every mode (bytecode, native, crossloaded each way, the toplevels; each again under GC ' +
    'stress) and must print their reference byte for byte. Builds the compiler first (build-ocaml) unless --no-build. ' +
    'Writes reports/crosstest.md, crosstest.json and junit.xml; ends with `crosstest: N passed, N failed, N skipped, N known` and ' +
    'exits 1 on a failure. With --runtime d: the programs under test run on the debug runtime (hosts linked with -runtime-variant d: ' +
    'native ones with libasmrund.a, bytecode ones run by ocamlrund; OCAMLRUNPARAM starts with v=0; plugins unchanged); the programs ' +
    'the compiler ships need a debug build of their own (ocamlrund.crossload for byte+cmxs and ocaml, ocamld.opt for ocaml.opt), ' +
    'and a mode whose program has none is skipped, saying so; toplevel.stock, the reference, stays on the normal runtime. It writes ' +
    'crosstest-d.md, crosstest-d.json and junit-d.xml (not the normal run\'s) and ends with `crosstest (debug runtime): …`.',
  options: {
    only: { type: 'string', arg: 'PATTERN', help: 'run only the tests whose name (own/NAME, ocaml/DIR/FILE) contains PATTERN' },
    modes: { type: 'string', arg: 'a,b', help: `run only these modes, of: ${ALL_MODES.map((m) => m.name).join(', ')}` },
    corpus: { type: 'choice', choices: ['own', 'ocaml', 'all'], help: "which tests: the project's own, OCaml's own, or both", default: 'all' },
    quick: { type: 'boolean', help: "every own test and a fixed sample of OCaml's (1 in 4, in name order): what npm test runs" },
    jobs: { type: 'int', arg: 'N', help: 'runs at a time (default: the number of CPUs)' },
    timeout: { type: 'int', arg: 'S', help: 'limit on one run of a test in one mode, in seconds (three times that under GC stress)', default: TIMEOUTS.crosstestRunS },
    failed: { type: 'boolean', help: "rerun only the last run's failures (reports/crosstest.json); none there: says so and exits 0" },
    update: { type: 'boolean', help: "rewrite the own tests' references from the pure modes (review with git diff)" },
    prefix: { type: 'string', arg: 'DIR', help: 'the installed compiler to test (default: _install/)' },
    pristine: {
      type: 'string',
      arg: 'PREFIX',
      help: "pristine 5.3.0's prefix, whose ocaml runs the mode toplevel.stock (default: built once in .cache/pristine/, as bench does)",
    },
    'no-build': { type: 'boolean', help: 'test the installed compiler as it is, without build-ocaml first' },
    runtime: {
      type: 'choice',
      choices: CROSSTEST_RUNTIMES,
      help:
        'run the programs under test on the debug runtime (d): hosts linked with -runtime-variant d, OCAMLRUNPARAM=v=0 first; modes whose ' +
        'prebuilt runner has no debug build in the prefix are skipped, saying so; writes crosstest-d.{json,md} and junit-d.xml (default: the normal runtime)',
    },
    'report-dir': {
      type: 'string',
      arg: 'DIR',
      help: 'where the reports and the work directory (crosstest-work/) go, and where --failed reads the last run (default: reports/)',
    },
  },
});

main(async () => {
  const values = parseCommandLine(COMMAND);
  const wanted = values.modes ? parseList('modes', values.modes, ALL_MODES.map((m) => m.name), COMMAND.usage) : undefined;
  const modes = wanted ? ALL_MODES.filter((m) => wanted.includes(m.name)) : ALL_MODES;
  const paths = projectPaths();
  const prefix = values.prefix !== undefined ? resolve(values.prefix) : paths.install;
  const runtime = values.runtime;
  if (runtime && values.update) throw new UsageError('--update takes the references from the pure modes on the normal runtime: it takes no --runtime', COMMAND.usage);
  const reportDir = values['report-dir'] !== undefined ? resolve(values['report-dir']) : paths.reports;
  const files = reportFiles(reportDir, runtime);
  const reportFile = files.json;
  const label = crosstestLabel(runtime);
  const corpus = values.corpus;
  const filter = [corpus === 'all' ? '' : `--corpus ${corpus}`, values.quick ? '--quick' : '', values.only ? `--only ${values.only}` : ''].filter(Boolean).join(' ');
  const named = (name: string): boolean => !values.only || name.includes(values.only);

  // --failed after a run without failures reruns nothing, before any build: not an error, there is nothing to rerun.
  const again = values.failed ? lastFailures(reportFile) : undefined;
  if (again?.size === 0) {
    console.log('--failed: the last run had no failures; nothing to rerun');
    return 0;
  }

  const testsuiteDir = join(paths.ocamlSrc, 'testsuite');
  const own = corpus === 'ocaml' ? [] : discoverOwnTests(paths.ownTests);
  // --only that names no test fails before the build where the build cannot change the answer: against the own tests
  // and every file under OCaml's tests that the build can leave (the tree's and the series'); exactly after discovery.
  if (values.only && (corpus === 'own' || existsSync(testsuiteDir))) {
    const ocamlNames = corpus === 'own' ? [] : testFilesBeforeBuild(testsuiteDir, paths.patches).map((f) => `ocaml/${f.slice('tests/'.length).replace(/\.[^./]*$/, '')}`);
    requireSelection([...own.map((t) => t.name), ...ocamlNames].filter(named), `--only ${values.only}`, COMMAND.usage);
  }

  // The compiler is built on first use, and kept up to date with patches/ (a no-op in a second when it is).
  if (!values['no-build']) await buildOcaml({ paths, config: loadConfig(paths), prefix });
  const tc = toolchain(prefix, runtime);
  if (runtime) requirePrefixRuntimeVariant(tc, runtime);
  // A TSan build (npm run sanitize) skips the tests that say why TSan cannot run them (skipUnderTsan).
  const tsan = await isTsanBuild(tc);
  // Stock ocaml, the reference of the toplevel family (modes/toplevel-stock.ts): pristine 5.3.0, built once.
  const stockPrefix = modes.some((m) => m.compiler === 'stock') ? await pristinePrefix(values.pristine, values['no-build'], paths) : undefined;
  const started = performance.now();

  const ocaml =
    corpus === 'own'
      ? { tests: [], excluded: [] }
      : discoverOcamlTests({
          testsDir: join(testsuiteDir, 'tests'),
          supportDir: paths.ocamlHost,
          testingLibDir: join(testsuiteDir, 'lib'),
          takenUnits: hostUnitNames(prefix),
        });
  if (corpus !== 'own') {
    const byRule = new Map<string, { reason: string; count: number }>();
    for (const e of ocaml.excluded) byRule.set(e.rule.id, { reason: e.rule.reason, count: (byRule.get(e.rule.id)?.count ?? 0) + 1 });
    console.log(`OCaml's own tests: ${ocaml.tests.length} usable; excluded by rule:`);
    for (const [id, { reason, count }] of byRule) console.log(`  ${id} (${count}): ${reason}`);
  }
  const ocamlTests = values.quick ? quickSample(ocaml.tests) : ocaml.tests;
  const subset = subsetLabel({ quick: values.quick, corpus, only: values.only, ocamlSampled: ocamlTests.length, ocamlTotal: ocaml.tests.length });
  console.log(`tests: ${subset}`);
  const tests = [...own, ...ocamlTests].filter((t) => named(t.name));
  requireSelection(tests, filter || 'the whole corpus', COMMAND.usage);

  // --failed: the last run's failures among the selected tests and modes; none of them there is a filter selecting nothing.
  const select = again ? (test: string, mode: string): boolean => again.has(`${test}\0${mode}`) : () => true;
  const planned = tests.reduce((n, t) => n + modes.filter((m) => select(t.name, m.name)).length, 0);
  if (again) {
    if (planned === 0) throw new UsageError(`--failed: none of the last run's ${again.size} failure(s) is among these tests and modes`, COMMAND.usage);
    console.log(`--failed: rerunning ${planned} of the last run's ${again.size} failure(s)`);
  }

  const known = loadKnownFailures(paths.knownFailures);
  const jobs = values.jobs ?? availableParallelism();
  const raw = await withProgress(planned, (onResult) =>
    runPlan({
      tests,
      modes,
      tc,
      // The reference of the toplevels: pristine 5.3.0 on its normal runtime, whatever --runtime says.
      ...(stockPrefix ? { stockTc: toolchain(stockPrefix) } : {}),
      tsan,
      workRoot: files.work,
      jobs,
      timeoutMs: values.timeout * 1000,
      onResult: (r) => onResult(applyKnownFailures([r], known)[0]!),
      select,
    }),
  );
  const results = applyKnownFailures(raw, known);
  const meta = { prefix, modes: modes.map((m) => m.name), date: new Date().toISOString(), subset, durationMs: performance.now() - started, jobs, ...(runtime ? { runtime } : {}) };
  writeReports(reportDir, results, meta, files);

  for (const r of results.filter((x) => x.status === 'failed' || x.status === 'timeout')) {
    console.log(`\n=== ${r.test} [${r.mode}]: ${r.reason}`);
    if (r.buildOutput) console.log(r.buildOutput);
    for (const m of r.mismatches ?? []) console.log(m.diff);
  }
  for (const r of results.filter((x) => x.status === 'known')) console.log(`known   ${r.test} [${r.mode}]: ${r.reason}`);
  for (const r of results.filter((x) => x.status === 'passed' && x.reason)) console.log(`note    ${r.test} [${r.mode}]: ${r.reason}`);
  if (values.update) {
    const written = updateReferences(tests, modes, results);
    console.log(written.length ? `--update rewrote (review with git diff):\n  ${written.join('\n  ')}` : '--update: every reference already matches');
  }
  const timeouts = results.filter((r) => r.status === 'timeout').length;
  if (timeouts > 0) console.log(`${timeouts} run(s) timed out (counted as failed)`);
  console.log(`reports: ${files.md}, ${files.json}, ${files.junit}`);
  console.log(timingLine(meta));
  console.log(summaryLine(results, label));
  return results.some((r) => r.status === 'failed' || r.status === 'timeout') ? 1 : 0;
});

/** `test\0mode` of each failure (or timeout) of the last run, from its report. */
function lastFailures(reportFile: string): Set<string> {
  if (!existsSync(reportFile)) throw new WorkbenchError(`--failed needs a previous run: there is no ${reportFile}`, 'Run npm run crosstest first (with the same --runtime and --report-dir).');
  const last = (JSON.parse(readFileSync(reportFile, 'utf8')) as { results: CaseResult[] }).results;
  return new Set(last.filter((r) => r.status === 'failed' || r.status === 'timeout').map((r) => `${r.test}\0${r.mode}`));
}

/**
 * The prefix of pristine 5.3.0 for the stock mode: the one given, else the one in .cache/pristine/, built on first
 * use unless --no-build (then the stock mode is skipped, saying why, when there is none).
 */
async function pristinePrefix(given: string | undefined, noBuild: boolean, paths: ProjectPaths): Promise<string | undefined> {
  if (given) return resolve(given);
  if (!noBuild) return ensurePristinePrefix(paths, loadConfig(paths));
  const cached = pristineLayout(paths, loadConfig(paths)).prefix;
  return existsSync(join(cached, 'bin', 'ocaml')) ? cached : undefined;
}
