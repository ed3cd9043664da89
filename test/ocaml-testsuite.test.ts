import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTestsuiteLog, type Outcome } from '../harness/ocaml-testsuite/log-parser.ts';
import { compareWithBaseline, inSelection, newFailureCount } from '../harness/ocaml-testsuite/compare.ts';
import { formatComparison, summaryLine } from '../harness/ocaml-testsuite/report.ts';
import { readFlakyList, retryKnownFlaky } from '../harness/ocaml-testsuite/flaky.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/ocaml-testsuite/${name}`, import.meta.url), 'utf8');
const outcomes = (log: string): Record<string, Outcome> => Object.fromEntries(parseTestsuiteLog(log).tests.map((t) => [t.key, t.outcome]));

describe('testsuite log parser', () => {
  it('reads each test of a make-all style log, keyed by directory and file', () => {
    const parsed = parseTestsuiteLog(fixture('baseline.log'));
    expect(parsed.problems).toEqual([]);
    expect(outcomes(fixture('baseline.log'))).toEqual({
      'tests/basic/arrays.ml': 'passed',
      'tests/basic/flaky.ml': 'failed',
      'tests/basic/gone.ml': 'passed',
      'tests/basic/posix.ml': 'skipped',
      'tests/lib-runtime-events/test_create_cursor_failures.ml': 'failed',
      'tests/lib-dynlink-native/main.ml': 'passed',
      'tests/lib-dynlink-native/other.ml': 'passed',
    });
  });

  it('keeps why a test failed: the "with" lines and the tail of the dumped log', () => {
    const arrays = parseTestsuiteLog(fixture('patched.log')).tests.find((t) => t.key === 'tests/basic/arrays.ml')!;
    expect(arrays.outcome).toBe('failed');
    expect(arrays.messages[0]).toMatch(/with line 4 \(bytecode\) => failed \(program output arrays\.byte\.output differs/);
    expect(arrays.messages.at(-1)).toBe('> Action 4/4 (check-program-output) => failed (program output arrays.byte.output differs from reference arrays.reference)');
    // The dump belongs to arrays.ml, not to the next test.
    expect(parseTestsuiteLog(fixture('patched.log')).tests.find((t) => t.key === 'tests/basic/flaky.ml')!.messages).toEqual([]);
  });

  it('counts unexpected errors and tests without a result as failed, and a result on the next line as the test\'s', () => {
    const byKey = new Map(parseTestsuiteLog(fixture('patched.log')).tests.map((t) => [t.key, t]));
    expect(byKey.get('tests/lib-dynlink-native/other.ml')).toMatchObject({ outcome: 'failed', detail: expect.stringMatching(/^unexpected error \(Sys_error/) });
    expect(byKey.get('tests/lib-dynlink-native/hangs.ml')).toMatchObject({ outcome: 'failed', detail: 'unexpected error (no result line)' });
    expect(byKey.get('tests/tail/late.ml')?.outcome).toBe('passed');
  });

  it('maps n/a to skipped and reports make errors as problems', () => {
    const parsed = parseTestsuiteLog("Running tests from 'tests/x' ...\n ... testing 'a.ml' => n/a\nmake[1]: *** [Makefile:12: exec-one] Error 2\n => passed\n");
    expect(parsed.tests).toEqual([{ key: 'tests/x/a.ml', dir: 'tests/x', file: 'a.ml', outcome: 'skipped', detail: 'n/a', messages: [] }]);
    expect(parsed.problems).toEqual(['line 3: make[1]: *** [Makefile:12: exec-one] Error 2', 'line 4: a test result without a test start']);
  });
});

describe('comparison with the baseline', () => {
  const baseline = outcomes(fixture('baseline.log'));
  const run = parseTestsuiteLog(fixture('patched.log')).tests;

  it('finds new failures, new passes, new skips, missing tests and failures the baseline shares', () => {
    const c = compareWithBaseline(run, baseline, {}, (t) => `_ocamltest/${t.dir}/${t.file.replace(/\.ml$/, '')}.log`);
    expect(c.newFailures.map((x) => [x.key, x.baseline])).toEqual([
      ['tests/basic/arrays.ml', 'passed'],
      ['tests/lib-dynlink-native/hangs.ml', 'absent'],
      ['tests/lib-dynlink-native/other.ml', 'passed'],
    ]);
    expect(c.newFailures[0]!.logPath).toBe('_ocamltest/tests/basic/arrays.log');
    expect(c.newFailures[0]!.messages!.length).toBeGreaterThan(1);
    expect(c.newPasses.map((x) => [x.key, x.baseline])).toEqual([
      ['tests/basic/flaky.ml', 'failed'],
      ['tests/basic/newtest.ml', 'absent'],
      ['tests/tail/late.ml', 'absent'],
    ]);
    expect(c.newSkips.map((x) => [x.key, x.baseline])).toEqual([['tests/lib-dynlink-native/main.ml', 'passed']]);
    expect(c.missing.map((x) => x.key)).toEqual(['tests/basic/gone.ml']);
    expect(c.stillFailing.map((x) => x.key)).toEqual(['tests/lib-runtime-events/test_create_cursor_failures.ml']);
    expect(newFailureCount(c)).toBe(4);
    expect(c.run).toEqual({ passed: 3, failed: 4, skipped: 2, total: 9 });
    expect(c.baseline).toEqual({ passed: 4, failed: 2, skipped: 1, total: 7 });
  });

  it('a partial run is compared only with the baseline tests it selects', () => {
    const sel = { dir: 'tests/lib-dynlink-native' };
    const part = run.filter((t) => inSelection(t.key, sel));
    const c = compareWithBaseline(part, baseline, sel);
    expect(c.missing).toEqual([]);
    expect(c.baseline.total).toBe(2);
    expect(c.newSkips.map((x) => x.key)).toEqual(['tests/lib-dynlink-native/main.ml']);
    const only = compareWithBaseline(run.filter((t) => t.key.includes('cursor')), baseline, { only: 'cursor' });
    expect(newFailureCount(only)).toBe(0);
    expect(only.stillFailing).toHaveLength(1);
  });

  it('the same log against itself changes nothing', () => {
    const same = compareWithBaseline(parseTestsuiteLog(fixture('baseline.log')).tests, baseline);
    expect([same.newFailures, same.missing, same.newPasses, same.newSkips].map((l) => l.length)).toEqual([0, 0, 0, 0]);
    expect(same.stillFailing).toHaveLength(2);
  });

  it('--dir matches whole directory names only', () => {
    expect(inSelection('tests/lib-dynlink-native/a.ml', { dir: 'tests/lib-dynlink' })).toBe(false);
    expect(inSelection('tests/lib-dynlink/a.ml', { dir: 'tests/lib-dynlink/' })).toBe(true);
    expect(inSelection('tests/lib-dynlink/sub/a.ml', { dir: 'tests/lib-dynlink' })).toBe(true);
  });

  it('the summary line counts new failures and missing tests as failed, failures the baseline shares as skipped', () => {
    const c = compareWithBaseline(run, baseline);
    expect(summaryLine(c)).toBe('ocaml-testsuite: 3 passed, 4 failed, 2 skipped, 1 known');
    const text = formatComparison(c).join('\n');
    expect(text).toMatch(/NEW FAILURES \(3\):\n  tests\/basic\/arrays\.ml \(baseline: passed, now: failed\)\n      \.\.\. testing 'arrays\.ml' with line 4/);
    expect(text).toMatch(/MISSING .*\(1\):\n  tests\/basic\/gone\.ml/);
    expect(text).toMatch(/^this run: 3 passed, 4 failed, 2 skipped of 9$/m);
    expect(text).toMatch(/^new failures: 4, new passes: 3, new skips: 1, failing as in the baseline: 1$/m);
  });
});

describe('known-flaky tests', () => {
  const flaky = { key: 'tests/mm/forbidden.ml', upstream: 'https://github.com/ocaml/ocaml/issues/12425', reason: 'races' };
  const list = { $comment: '', reruns: 2, tests: [flaky] };
  const failedRun = (...keys: string[]) =>
    compareWithBaseline(
      keys.map((key) => ({ key, dir: key.slice(0, key.lastIndexOf('/')), file: key.slice(key.lastIndexOf('/') + 1), outcome: 'failed' as const, messages: ['boom'] })),
      Object.fromEntries(keys.map((k) => [k, 'passed' as const])),
    );
  const result = (key: string, outcome: Outcome) => ({ key, dir: '', file: '', outcome, messages: [] });

  it('a listed test that passes on its second rerun counts as passed and is reported', async () => {
    const c = failedRun(flaky.key, 'tests/basic/other.ml');
    const asked: string[] = [];
    const answers: Outcome[] = ['failed', 'passed'];
    const passed = await retryKnownFlaky(c, list, async (key) => (asked.push(key), result(key, answers.shift()!)));
    expect(asked).toEqual([flaky.key, flaky.key]);
    expect(passed.map((p) => [p.key, p.attempt, p.messages])).toEqual([[flaky.key, 2, ['boom']]]);
    // The unlisted failure is never rerun and still fails the run.
    expect(c.newFailures.map((x) => x.key)).toEqual(['tests/basic/other.ml']);
    expect(summaryLine(c, passed)).toBe('ocaml-testsuite: 1 passed, 1 failed, 0 skipped, 0 known (passed includes 1 known flaky that passed on rerun)');
    expect(formatComparison(c, passed).join('\n')).toContain('passed on rerun 2; upstream: https://github.com/ocaml/ocaml/issues/12425');
  });

  it('a listed test that fails every rerun stays a new failure', async () => {
    const c = failedRun(flaky.key);
    let reruns = 0;
    const passed = await retryKnownFlaky(c, list, async (key) => (reruns++, result(key, 'failed')));
    expect(reruns).toBe(2);
    expect(passed).toEqual([]);
    expect(newFailureCount(c)).toBe(1);
  });

  it('the committed list names an upstream report and a reason for each test', () => {
    const committed = readFlakyList(new URL('../ocaml-testsuite/flaky.json', import.meta.url).pathname);
    expect(committed.reruns).toBeGreaterThan(0);
    for (const t of committed.tests) expect(t.upstream).toMatch(/^https:\/\/github\.com\/ocaml\/ocaml\/issues\/\d+$/);
  });
});
