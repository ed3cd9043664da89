// npm run crosstest [-- --only PATTERN] [--modes a,b] [--corpus own|ocaml|all] [--quick] [--jobs N] [--timeout S]
//                      [--failed] [--update] [--prefix DIR] [--no-build]
// --quick: every own test and a fixed sample of OCaml's own (harness/crosstest/quick.ts), in every mode.
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { main } from '../harness/cli.ts';
import { loadConfig, projectPaths } from '../harness/config.ts';
import { WorkbenchError } from '../harness/errors.ts';
import { buildOcaml } from '../harness/build-ocaml.ts';
import { discoverOwnTests } from '../harness/crosstest/test-case.ts';
import { discoverOcamlTests, hostUnitNames } from '../harness/crosstest/ocaml-corpus.ts';
import { ALL_MODES } from '../harness/crosstest/modes/index.ts';
import { runPlan } from '../harness/crosstest/runner.ts';
import { toolchain } from '../harness/crosstest/toolchain.ts';
import { timingLine, writeReports } from '../harness/crosstest/report.ts';
import { quickSample, subsetLabel } from '../harness/crosstest/quick.ts';
import { summaryLine, type CaseResult } from '../harness/crosstest/results.ts';
import { applyKnownFailures, loadKnownFailures } from '../harness/crosstest/known-failures.ts';
import { updateReferences } from '../harness/crosstest/update-references.ts';
import { withProgress } from '../harness/crosstest/progress.ts';

main(async () => {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      modes: { type: 'string' },
      corpus: { type: 'string', default: 'all' },
      quick: { type: 'boolean', default: false },
      jobs: { type: 'string' },
      timeout: { type: 'string', default: '60' },
      failed: { type: 'boolean', default: false },
      update: { type: 'boolean', default: false },
      prefix: { type: 'string' },
      'no-build': { type: 'boolean', default: false },
    },
  });
  const paths = projectPaths();
  const prefix = values.prefix ?? paths.install;
  const reportFile = join(paths.reports, 'crosstest.json');
  // The compiler is built on first use, and kept up to date with patches/ (a no-op in a second when it is).
  if (!values['no-build']) await buildOcaml({ paths, config: loadConfig(paths), prefix });
  const started = performance.now();

  const corpus = values.corpus ?? 'all';
  if (!['own', 'ocaml', 'all'].includes(corpus)) throw new WorkbenchError(`--corpus must be own, ocaml or all, not ${corpus}`);
  const own = corpus === 'ocaml' ? [] : discoverOwnTests(join(paths.root, 'testsuite'));
  const ocaml =
    corpus === 'own'
      ? { tests: [], excluded: [] }
      : discoverOcamlTests({
          testsDir: join(paths.ocamlSrc, 'testsuite', 'tests'),
          supportDir: join(paths.root, 'testsuite', '_ocaml_host'),
          testingLibDir: join(paths.ocamlSrc, 'testsuite', 'lib'),
          takenUnits: hostUnitNames(prefix),
        });
  if (corpus !== 'own') {
    const byRule = new Map<string, { reason: string; count: number }>();
    for (const e of ocaml.excluded) byRule.set(e.rule.id, { reason: e.rule.reason, count: (byRule.get(e.rule.id)?.count ?? 0) + 1 });
    console.log(`OCaml's own tests: ${ocaml.tests.length} usable; excluded by rule:`);
    for (const [id, { reason, count }] of byRule) console.log(`  ${id} (${count}): ${reason}`);
  }
  const ocamlTests = values.quick ? quickSample(ocaml.tests) : ocaml.tests;
  const subset = subsetLabel({ quick: values.quick ?? false, corpus, only: values.only, ocamlSampled: ocamlTests.length, ocamlTotal: ocaml.tests.length });
  console.log(`tests: ${subset}`);
  const tests = [...own, ...ocamlTests].filter((t) => !values.only || t.name.includes(values.only));

  const wanted = values.modes?.split(',').map((s) => s.trim());
  const unknown = wanted?.filter((w) => !ALL_MODES.some((m) => m.name === w));
  if (unknown?.length) throw new WorkbenchError(`unknown mode(s): ${unknown.join(', ')}`, `Known modes: ${ALL_MODES.map((m) => m.name).join(', ')}`);
  const modes = wanted ? ALL_MODES.filter((m) => wanted.includes(m.name)) : ALL_MODES;

  let select: ((test: string, mode: string) => boolean) | undefined;
  if (values.failed) {
    if (!existsSync(reportFile)) throw new WorkbenchError('--failed needs a previous run: there is no reports/crosstest.json');
    const last = (JSON.parse(readFileSync(reportFile, 'utf8')) as { results: CaseResult[] }).results;
    const again = new Set(last.filter((r) => r.status === 'failed' || r.status === 'timeout').map((r) => `${r.test}\0${r.mode}`));
    console.log(`--failed: rerunning ${again.size} failure(s) of the last run`);
    select = (t, m) => again.has(`${t}\0${m}`);
  }

  const known = loadKnownFailures(join(paths.root, 'testsuite', 'known-failures.json'));
  const jobs = values.jobs ? Number(values.jobs) : availableParallelism();
  const raw = await withProgress(tests.length * modes.length, (onResult) =>
    runPlan({
      tests,
      modes,
      tc: toolchain(prefix),
      workRoot: join(paths.reports, 'crosstest-work'),
      jobs,
      timeoutMs: Number(values.timeout) * 1000,
      onResult: (r) => onResult(applyKnownFailures([r], known)[0]!),
      ...(select ? { select } : {}),
    }),
  );
  const results = applyKnownFailures(raw, known);
  const meta = { prefix, modes: modes.map((m) => m.name), date: new Date().toISOString(), subset, durationMs: performance.now() - started, jobs };
  writeReports(paths.reports, results, meta);

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
  console.log(`reports: ${join(paths.reports, 'crosstest.md')}, crosstest.json, junit.xml`);
  console.log(timingLine(meta));
  console.log(summaryLine(results));
  return results.some((r) => r.status === 'failed' || r.status === 'timeout') ? 1 : 0;
});
