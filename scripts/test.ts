// npm test: every check of the project, building what it needs; ends with one "N passed, N failed, N skipped" line.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { main } from '../harness/cli.ts';
import { projectPaths } from '../harness/config.ts';

interface Tally {
  name: string;
  passed: number;
  failed: number;
  skipped: number;
}

const paths = projectPaths();

async function step(cmd: string, args: string[]): Promise<boolean> {
  console.log(`\n### ${cmd} ${args.join(' ')}`);
  const r = await execa(cmd, args, { cwd: paths.root, stdio: 'inherit', reject: false });
  return r.exitCode === 0;
}

/** A check that is one pass or one fail. */
async function single(name: string, cmd: string, args: string[]): Promise<Tally> {
  const ok = await step(cmd, args);
  return { name, passed: ok ? 1 : 0, failed: ok ? 0 : 1, skipped: 0 };
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

main(async () => {
  const tallies: Tally[] = [];
  tallies.push(await single('typecheck (tsc --noEmit)', 'npx', ['tsc', '--noEmit']));

  const vitestJson = join(paths.reports, 'vitest.json');
  const vitestOk = await step('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
  const v = readJson<{ numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number }>(vitestJson);
  tallies.push(
    v
      ? { name: 'harness unit tests (vitest)', passed: v.numPassedTests, failed: v.numFailedTests + (vitestOk ? 0 : v.numFailedTests === 0 ? 1 : 0), skipped: v.numPendingTests + v.numTodoTests }
      : { name: 'harness unit tests (vitest)', passed: 0, failed: 1, skipped: 0 },
  );

  const built = await single('build-ocaml (pinned source + patches/)', 'npm', ['run', '-s', 'build-ocaml']);
  tallies.push(built);
  tallies.push(await single('patches:check', 'npm', ['run', '-s', 'patches:check']));
  tallies.push(await single('patches:lint (upstream readiness)', 'npm', ['run', '-s', 'patches:lint']));

  if (built.failed === 0) {
    // The quick subset (every own test, a fixed sample of OCaml's own, in every mode) keeps npm test fast;
    // `npm run crosstest` runs the whole corpus.
    const ok = await step('npm', ['run', '-s', 'crosstest', '--', '--quick', '--no-build']);
    const c = readJson<{ subset: string; counts: { passed: number; failed: number; skipped: number; timeout: number; known: number } }>(join(paths.reports, 'crosstest.json'));
    tallies.push(
      c
        ? {
            // Known failures (listed with reasons in testsuite/known-failures.json) are counted with the skipped, never as passed.
            name: `crosstest, ${c.subset} (skipped includes ${c.counts.known} known failures)`,
            passed: c.counts.passed,
            failed: c.counts.failed + c.counts.timeout + (ok || c.counts.failed + c.counts.timeout > 0 ? 0 : 1),
            skipped: c.counts.skipped + c.counts.known,
          }
        : { name: 'crosstest', passed: 0, failed: 1, skipped: 0 },
    );
    // The benchmark suite still works (a few seconds; the figures come from `npm run bench`).
    tallies.push(await single('bench --quick', 'npm', ['run', '-s', 'bench', '--', '--quick', '--no-build']));
  } else {
    console.log('\ncrosstest not run: the compiler did not build');
    tallies.push({ name: 'crosstest (not run: no compiler)', passed: 0, failed: 1, skipped: 0 });
  }

  if (built.failed === 0) {
    // OCaml's own testsuite on the patched tree, test by test against the committed pristine baseline.
    const reportFile = join(paths.reports, 'ocaml-testsuite.json');
    rmSync(reportFile, { force: true });
    const ok = await step('npm', ['run', '-s', 'ocaml-testsuite', '--', '--no-build']);
    const o = readJson<{ counts: { passed: number; skipped: number }; newFailures: number; problems: string[]; comparison: { stillFailing: unknown[] }; passedOnRerun?: unknown[] }>(reportFile);
    const rerunPasses = o?.passedOnRerun?.length ?? 0;
    tallies.push(
      o
        ? {
            // Failures the pristine baseline shares are not the series' doing: counted with the skipped, as crosstest's known failures.
            name:
              `ocaml-testsuite (skipped includes ${o.comparison.stillFailing.length} failing as in the pristine baseline` +
              (rerunPasses > 0 ? `; passed includes ${rerunPasses} known flaky upstream that failed once and passed on rerun)` : ')'),
            passed: o.counts.passed + rerunPasses,
            failed: o.newFailures + o.problems.length + (ok || o.newFailures + o.problems.length > 0 ? 0 : 1),
            skipped: o.counts.skipped + o.comparison.stillFailing.length,
          }
        : { name: 'ocaml-testsuite', passed: 0, failed: 1, skipped: 0 },
    );
  } else {
    tallies.push({ name: 'ocaml-testsuite (not run: no compiler)', passed: 0, failed: 1, skipped: 0 });
  }

  console.log('\n### summary');
  for (const t of tallies) console.log(`${t.name}: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped`);
  const sum = (k: 'passed' | 'failed' | 'skipped') => tallies.reduce((n, t) => n + t[k], 0);
  console.log(`test: ${sum('passed')} passed, ${sum('failed')} failed, ${sum('skipped')} skipped`);
  return sum('failed') === 0 ? 0 : 1;
});
