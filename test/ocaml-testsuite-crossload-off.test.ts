import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Outcome, TestResult } from '../harness/ocaml-testsuite/log-parser.ts';
import { buildPredicateOf, compareStrictly, testNeedsCrossload } from '../harness/ocaml-testsuite/strict-compare.ts';
import { crossloadOffSummaryLine, crossloadOffTally, formatStrictComparison } from '../harness/ocaml-testsuite/crossload-off-report.ts';
import { withRerunOutcomes, type PassedOnRerun } from '../harness/ocaml-testsuite/flaky.ts';
import { bytecodeRunner, checkStockProducts, configValue, judgeConfig, judgeDynlink, judgeOcamlRunner, type ProductCheck } from '../harness/ocaml-testsuite/stock-products.ts';

/** (ocaml-testsuite --crossload-off: the strict comparison and the product checks; the build is in crossload-off-build.test.ts.) */
const result = (key: string, outcome: Outcome, messages: string[] = []): TestResult => ({
  key,
  dir: key.slice(0, key.lastIndexOf('/')),
  file: key.slice(key.lastIndexOf('/') + 1),
  outcome,
  messages,
});

const BASELINE: Record<string, Outcome> = {
  'tests/basic/arrays.ml': 'passed',
  'tests/basic/posix.ml': 'skipped',
  'tests/lib-runtime-events/test_create_cursor_failures.ml': 'failed',
  'tests/lib-dynlink-native/main.ml': 'passed',
  'tests/lib-dynlink-native/other.ml': 'passed',
};
/** A run with every baseline outcome, plus two tests the series adds, skipped. */
const sameRun = (): TestResult[] => [
  ...Object.entries(BASELINE).map(([k, o]) => result(k, o)),
  result('tests/lib-dynlink-crossload/byte_loads_cmxs.ml', 'skipped'),
  result('tests/lib-dynlink-crossload/native_loads_cmo.ml', 'skipped'),
];
const replace = (run: TestResult[], key: string, outcome: Outcome, messages: string[] = []) => run.map((t) => (t.key === key ? result(key, outcome, messages) : t));
const kinds = (run: readonly TestResult[], sel = {}) => compareStrictly(run, BASELINE, sel).differences.map((d) => [d.kind, d.key, d.baseline, d.now]);
const ok = (name: string): ProductCheck => ({ name, ok: true, detail: '' });

describe('strict comparison with the pristine baseline (--crossload-off)', () => {
  it('the baseline outcome of every test and the series tests skipped: no difference', () => {
    const s = compareStrictly(sameRun(), BASELINE);
    expect(s.differences).toEqual([]);
    expect(s.same).toEqual({ passed: 3, failed: 1, skipped: 1 });
    expect(s.stillFailing).toEqual(['tests/lib-runtime-events/test_create_cursor_failures.ml']);
    expect(s.seriesSkipped).toEqual(['tests/lib-dynlink-crossload/byte_loads_cmxs.ml', 'tests/lib-dynlink-crossload/native_loads_cmo.ml']);
    expect(s.run).toEqual({ passed: 3, failed: 1, skipped: 3, total: 7 });
    expect(s.baseline).toEqual({ passed: 3, failed: 1, skipped: 1, total: 5 });
  });

  it('a test of the series that does not need crossloading must pass, one that needs it must skip', () => {
    const fix = 'tests/lib-dynlink-truncated/main.ml';
    const needs = (key: string) => key !== fix;
    const passing = compareStrictly([...sameRun(), result(fix, 'passed')], BASELINE, {}, undefined, needs);
    expect(passing.differences).toEqual([]);
    expect(passing.seriesPassed).toEqual([fix]);
    expect(crossloadOffTally(passing, []).passed).toBe(4);
    const skipped = compareStrictly([...sameRun(), result(fix, 'skipped')], BASELINE, {}, undefined, needs);
    expect(skipped.differences.map((d) => [d.kind, d.key])).toEqual([['series test failed', fix]]);
    const ran = compareStrictly(replace(sameRun(), 'tests/lib-dynlink-crossload/native_loads_cmo.ml', 'passed'), BASELINE, {}, undefined, needs);
    expect(ran.differences.map((d) => [d.kind, d.key])).toEqual([['series test ran', 'tests/lib-dynlink-crossload/native_loads_cmo.ml']]);
  });

  it('a test of the series that does not need crossloading may skip only at a capability of the build that it lacks', () => {
    const tsanTest = 'tests/tsan/exn_in_generic_function.ml';
    const needs = (key: string) => key !== tsanTest;
    const byTsan = compareStrictly([...sameRun(), result(tsanTest, 'skipped')], BASELINE, {}, undefined, needs, (key) => (key === tsanTest ? 'tsan' : undefined));
    expect(byTsan.differences).toEqual([]);
    expect(byTsan.seriesSkippedByBuild).toEqual([{ key: tsanTest, predicate: 'tsan' }]);
    expect(crossloadOffTally(byTsan, []).skipped).toBe(4);
    expect(crossloadOffSummaryLine(byTsan, [])).toContain('1 skipped at a capability this build lacks (tsan)');
    // Without such a first predicate, skipping is a difference; a failure always is.
    const other = compareStrictly([...sameRun(), result(tsanTest, 'skipped')], BASELINE, {}, undefined, needs);
    expect(other.differences.map((d) => d.kind)).toEqual(['series test failed']);
    const failed = compareStrictly([...sameRun(), result(tsanTest, 'failed')], BASELINE, {}, undefined, needs, () => 'tsan');
    expect(failed.differences.map((d) => d.kind)).toEqual(['series test failed']);
  });

  it('the capability predicate of a test is its first action, and only tsan or frame-pointers', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wb-build-pred-'));
    mkdirSync(join(dir, 'tests', 'x'), { recursive: true });
    writeFileSync(join(dir, 'tests/x/t.ml'), '(* TEST\n ocamlopt_flags = "-g";\n set TSAN_OPTIONS="x";\n tsan;\n native;\n*)\n');
    writeFileSync(join(dir, 'tests/x/u.ml'), '(* TEST\n native;\n tsan;\n*)\n');
    writeFileSync(join(dir, 'tests/x/v.ml'), '(* TEST\n no-tsan;\n crossload;\n native;\n*)\n');
    expect(buildPredicateOf(dir, 'tests/x/t.ml')).toBe('tsan');
    expect(buildPredicateOf(dir, 'tests/x/u.ml')).toBeUndefined();
    expect(buildPredicateOf(dir, 'tests/x/v.ml')).toBeUndefined();
    expect(buildPredicateOf(dir, 'tests/x/missing.ml')).toBeUndefined();
  });

  it('a test needs crossloading when its header has the crossload predicate', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wb-needs-'));
    mkdirSync(join(dir, 'tests', 'x'), { recursive: true });
    writeFileSync(join(dir, 'tests/x/a.ml'), '(* TEST\n include dynlink;\n crossload;\n native;\n*)\nlet () = ()\n');
    writeFileSync(join(dir, 'tests/x/b.ml'), '(* TEST\n native-dynlink;\n*)\n(* crossload; in a comment after the header *)\n');
    expect(testNeedsCrossload(dir, 'tests/x/a.ml')).toBe(true);
    expect(testNeedsCrossload(dir, 'tests/x/b.ml')).toBe(false);
    expect(testNeedsCrossload(dir, 'tests/x/missing.ml')).toBe(true);
    // Comments nest in a header (a regular expression stopped at the first "*)" and missed the predicate after it),
    // crossload-without-tsan is such a predicate too, and so is one in a branch.
    writeFileSync(join(dir, 'tests/x/c.ml'), '(* TEST\n include dynlink;\n (* no TSan here *)\n crossload-without-tsan;\n native;\n*)\n');
    writeFileSync(join(dir, 'tests/x/d.ml'), '(* TEST\n native-dynlink;\n {\n   crossload;\n   native;\n }\n*)\n');
    expect(testNeedsCrossload(dir, 'tests/x/c.ml')).toBe(true);
    expect(testNeedsCrossload(dir, 'tests/x/d.ml')).toBe(true);
  });

  it('a new failure is a difference, with its messages and log', () => {
    const run = replace(sameRun(), 'tests/basic/arrays.ml', 'failed', ['... testing with line 4 => failed']);
    const s = compareStrictly(run, BASELINE, {}, (t) => `_ocamltest/${t.dir}/${t.file}.log`);
    expect(s.differences).toEqual([
      { kind: 'new failure', key: 'tests/basic/arrays.ml', baseline: 'passed', now: 'failed', messages: ['... testing with line 4 => failed'], logPath: '_ocamltest/tests/basic/arrays.ml.log' },
    ]);
  });

  it('a new pass is a difference too (the normal mode only lists it)', () => {
    expect(kinds(replace(sameRun(), 'tests/lib-runtime-events/test_create_cursor_failures.ml', 'passed'))).toEqual([
      ['new pass', 'tests/lib-runtime-events/test_create_cursor_failures.ml', 'failed', 'passed'],
    ]);
    expect(kinds(replace(sameRun(), 'tests/basic/posix.ml', 'passed'))).toEqual([['new pass', 'tests/basic/posix.ml', 'skipped', 'passed']]);
  });

  it('a new skip is a difference, whether the baseline passed or failed', () => {
    const run = replace(replace(sameRun(), 'tests/lib-dynlink-native/main.ml', 'skipped'), 'tests/lib-runtime-events/test_create_cursor_failures.ml', 'skipped');
    expect(kinds(run)).toEqual([
      ['new skip', 'tests/lib-dynlink-native/main.ml', 'passed', 'skipped'],
      ['new skip', 'tests/lib-runtime-events/test_create_cursor_failures.ml', 'failed', 'skipped'],
    ]);
  });

  it('a skipped test that now fails is a new failure', () => {
    expect(kinds(replace(sameRun(), 'tests/basic/posix.ml', 'failed'))).toEqual([['new failure', 'tests/basic/posix.ml', 'skipped', 'failed']]);
  });

  it('a baseline test with no result is missing', () => {
    expect(kinds(sameRun().filter((t) => t.key !== 'tests/basic/posix.ml'))).toEqual([['missing', 'tests/basic/posix.ml', 'skipped', 'absent']]);
  });

  it('a test the series adds must be skipped: one that passes or fails is a difference', () => {
    const run = replace(replace(sameRun(), 'tests/lib-dynlink-crossload/byte_loads_cmxs.ml', 'passed'), 'tests/lib-dynlink-crossload/native_loads_cmo.ml', 'failed', ['boom']);
    const s = compareStrictly(run, BASELINE);
    expect(s.differences.map((d) => [d.kind, d.key, d.baseline, d.now])).toEqual([
      ['series test ran', 'tests/lib-dynlink-crossload/byte_loads_cmxs.ml', 'absent', 'passed'],
      ['series test ran', 'tests/lib-dynlink-crossload/native_loads_cmo.ml', 'absent', 'failed'],
    ]);
    expect(s.differences[1]!.messages).toEqual(['boom']);
    expect(s.seriesSkipped).toEqual([]);
  });

  it('every kind at once, sorted by test key', () => {
    let run = sameRun().filter((t) => t.key !== 'tests/lib-dynlink-native/other.ml');
    run = replace(run, 'tests/basic/arrays.ml', 'failed');
    run = replace(run, 'tests/lib-runtime-events/test_create_cursor_failures.ml', 'passed');
    run = replace(run, 'tests/lib-dynlink-native/main.ml', 'skipped');
    run = replace(run, 'tests/lib-dynlink-crossload/byte_loads_cmxs.ml', 'passed');
    expect(kinds(run).map(([k, key]) => `${k}: ${key}`)).toEqual([
      'new failure: tests/basic/arrays.ml',
      'series test ran: tests/lib-dynlink-crossload/byte_loads_cmxs.ml',
      'new skip: tests/lib-dynlink-native/main.ml',
      'missing: tests/lib-dynlink-native/other.ml',
      'new pass: tests/lib-runtime-events/test_create_cursor_failures.ml',
    ]);
  });

  it('--dir/--only: only the baseline tests of the selection can be missing', () => {
    const sel = { dir: 'tests/lib-dynlink-native' };
    const part = sameRun().filter((t) => t.key.startsWith('tests/lib-dynlink-native/'));
    const s = compareStrictly(part, BASELINE, sel);
    expect(s.differences).toEqual([]);
    expect(s.baseline.total).toBe(2);
    expect(kinds(part.slice(1), sel)).toEqual([['missing', 'tests/lib-dynlink-native/main.ml', 'passed', 'absent']]);
    expect(kinds(sameRun().filter((t) => t.key.includes('cursor')), { only: 'cursor' })).toEqual([]);
  });

  it('a known-flaky test that passed on rerun counts as passed: the same as a passing baseline, a new pass against a skipping one', () => {
    const flaky = { key: 'tests/basic/arrays.ml', upstream: 'https://github.com/ocaml/ocaml/issues/1', reason: 'races' };
    const rerun: PassedOnRerun[] = [{ key: flaky.key, baseline: 'passed', now: 'failed', messages: ['boom'], flaky, attempt: 2 }];
    const run = withRerunOutcomes(replace(sameRun(), flaky.key, 'failed', ['boom']), rerun);
    expect(run.find((t) => t.key === flaky.key)).toMatchObject({ outcome: 'passed', messages: [] });
    expect(compareStrictly(run, BASELINE).differences).toEqual([]);
    expect(compareStrictly(run, { ...BASELINE, [flaky.key]: 'skipped' }).differences.map((d) => d.kind)).toEqual(['new pass']);
  });
});

describe('the report of --crossload-off', () => {
  const checks = [ok('ocamlc -config says crossload: false'), ok('no ocaml.opt'), ok('no otherlibs/dynlink/ocamlrun.crossload'), ok('ocaml names ocamlrun')];

  it('same as pristine: each test counted once, failures shared with the baseline as known, the series tests as skipped', () => {
    const s = compareStrictly(sameRun(), BASELINE);
    expect(crossloadOffTally(s, checks)).toEqual({ passed: 3, failed: 0, skipped: 3, known: 1 });
    expect(crossloadOffSummaryLine(s, checks)).toBe('ocaml-testsuite (crossload off): 3 passed, 0 failed, 3 skipped, 1 known: same as pristine test by test; 2 tests of the series skipped');
  });

  it('differences, failed product checks and log problems are failures, each named', () => {
    let run = replace(sameRun(), 'tests/basic/arrays.ml', 'failed', ['boom']);
    run = replace(run, 'tests/lib-dynlink-crossload/byte_loads_cmxs.ml', 'passed');
    run = run.filter((t) => t.key !== 'tests/basic/posix.ml');
    const s = compareStrictly(run, BASELINE);
    const bad = [...checks.slice(0, 3), { name: 'ocaml names ocamlrun', ok: false, detail: 'its first line names /p/bin/ocamlrun.crossload' }];
    expect(crossloadOffTally(s, bad)).toEqual({ passed: 2, failed: 4, skipped: 1, known: 1 });
    expect(crossloadOffSummaryLine(s, bad, 1)).toBe(
      'ocaml-testsuite (crossload off): 2 passed, 4 failed, 1 skipped, 1 known: 3 differences from pristine (1 new failure, 1 missing, 1 test of the series not skipped); ' +
        '1 of 4 product checks failed (ocaml names ocamlrun); 1 problem in the log; 1 test of the series skipped',
    );
    const text = formatStrictComparison(s).join('\n');
    expect(text).toMatch(/^NEW FAILURES .*\(1\):\n {2}tests\/basic\/arrays\.ml \(baseline: passed, now: failed\)\n {6}boom$/m);
    expect(text).toMatch(/^MISSING .*\(1\):\n {2}tests\/basic\/posix\.ml \(baseline: skipped, now: absent\)$/m);
    expect(text).toMatch(/^TESTS OF THE SERIES NOT SKIPPED .*\(1\):\n {2}tests\/lib-dynlink-crossload\/byte_loads_cmxs\.ml \(baseline: absent, now: passed\)$/m);
    expect(text).toMatch(/^differences from the baseline: 3 \(1 new failure, 1 missing, 1 test of the series not skipped\); tests of the series skipped: 1$/m);
  });
});

describe('the products of a crossload-off build', () => {
  it('ocamlc -config must print crossload: false', () => {
    const out = 'version: 5.3.0\nstandard_library: /p/lib/ocaml\ncrossload: false\nflambda: false\n';
    expect(configValue(out, 'crossload')).toBe('false');
    expect(configValue(out, 'standard_library')).toBe('/p/lib/ocaml');
    expect(judgeConfig({ exitCode: 0, stdout: out, stderr: '' }).ok).toBe(true);
    expect(judgeConfig({ exitCode: 0, stdout: out.replace('crossload: false', 'crossload: true'), stderr: '' })).toMatchObject({ ok: false, detail: 'it prints crossload: true' });
    expect(judgeConfig({ exitCode: 0, stdout: 'version: 5.3.0\n', stderr: '' })).toMatchObject({ ok: false, detail: 'it prints no crossload line' });
    expect(judgeConfig({ exitCode: 2, stdout: '', stderr: 'Fatal error: exception Not_found\n' })).toMatchObject({ ok: false, detail: expect.stringContaining('exited with 2') });
  });

  it('reads the runtime a bytecode executable names: #! line, #!/bin/sh exec line, RNTM section of a stub', () => {
    const body = Buffer.from('\x00\x01bytecode', 'latin1');
    expect(bytecodeRunner(Buffer.concat([Buffer.from('#!/p/bin/ocamlrun\n'), body]))).toEqual({ launcher: 'shebang', runtime: '/p/bin/ocamlrun' });
    const sh = `#!/bin/sh\nexec '/a very/long'\\''path/bin/ocamlrun.crossload' "$0" "$@"\n`;
    expect(bytecodeRunner(Buffer.concat([Buffer.from(sh), body]))).toEqual({ launcher: 'sh', runtime: "/a very/long'path/bin/ocamlrun.crossload" });
    // An executable stub, then the sections RNTM and CODE, then their table and the trailer (bytecomp/bytesections.ml).
    const rntm = Buffer.from('/p/bin/ocamlrun\0');
    const code = Buffer.from('CODECODE');
    const entry = (name: string, len: number) => Buffer.concat([Buffer.from(name), Buffer.from([0, 0, 0, len])]);
    const stub = Buffer.concat([Buffer.from('\x7fELF stub'), rntm, code, entry('RNTM', rntm.length), entry('CODE', code.length), Buffer.from([0, 0, 0, 2]), Buffer.from('Caml1999X035')]);
    expect(bytecodeRunner(stub)).toEqual({ launcher: 'stub', runtime: '/p/bin/ocamlrun' });
    expect(bytecodeRunner(Buffer.from('\x7fELF native program'))).toBeUndefined();
  });

  it('Dynlink with crossloading off: the flag false, no embedded bytecode units', () => {
    const off = 'let crossload = false\n';
    const table = (units: string[]) => `let units = [\n${units.map((u) => `  "${u}", "\\\n\\x00\\\n";\n`).join('')}]\n`;
    expect(judgeDynlink(off, table([]))).toMatchObject({ ok: true });
    expect(judgeDynlink(off, undefined)).toMatchObject({ ok: true });
    expect(judgeDynlink(off, table(['Stdlib__Effect', 'Stdlib__List']))).toMatchObject({ ok: false, detail: 'native/dynlink_guest_units.ml embeds 2 units (Stdlib__Effect, Stdlib__List…)' });
    expect(judgeDynlink('let crossload = true\n', table([]))).toMatchObject({ ok: false });
    expect(judgeDynlink(undefined, undefined)).toMatchObject({ ok: false });
  });

  it('ocaml must name ocamlrun, not ocamlrun.crossload', () => {
    expect(judgeOcamlRunner(Buffer.from('#!/p/bin/ocamlrun\nxx'))).toEqual({ name: 'ocaml names ocamlrun', ok: true, detail: 'its first line names /p/bin/ocamlrun' });
    expect(judgeOcamlRunner(Buffer.from('#!/p/bin/ocamlrun.crossload\nxx'))).toMatchObject({ ok: false, detail: 'its first line names /p/bin/ocamlrun.crossload' });
    expect(judgeOcamlRunner(undefined)).toMatchObject({ ok: false, detail: 'ocaml is not in the tree' });
  });

  it('checks a built tree: runtime/ocamlrun ./ocamlc -config, the crossloading files, the header of ocaml', async () => {
    const tree = mkdtempSync(join(tmpdir(), 'wb-products-'));
    mkdirSync(join(tree, 'runtime'));
    mkdirSync(join(tree, 'otherlibs', 'dynlink'), { recursive: true });
    // A stand-in for the in-tree runtime: it must be given ./ocamlc -config, run from the tree.
    writeFileSync(join(tree, 'runtime', 'ocamlrun'), '#!/bin/sh\n[ "$1 $2" = "./ocamlc -config" ] && [ -f ocamlc ] || exit 3\ncat config.txt\n');
    chmodSync(join(tree, 'runtime', 'ocamlrun'), 0o755);
    writeFileSync(join(tree, 'ocamlc'), '#!/p/bin/ocamlrun\n');
    writeFileSync(join(tree, 'config.txt'), 'version: 5.3.0\ncrossload: false\n');
    writeFileSync(join(tree, 'ocaml'), '#!/p/bin/ocamlrun\nbytecode');
    writeFileSync(join(tree, 'otherlibs', 'dynlink', 'dynlink_config.ml'), 'let magic_length = 12\nlet crossload = false\n');
    const names = (checks: ProductCheck[]) => checks.filter((c) => !c.ok).map((c) => c.name);
    expect(names(await checkStockProducts(tree))).toEqual([]);

    writeFileSync(join(tree, 'config.txt'), 'version: 5.3.0\ncrossload: true\n');
    writeFileSync(join(tree, 'ocaml.opt'), '');
    writeFileSync(join(tree, 'otherlibs', 'dynlink', 'ocamlrun.crossload'), '');
    writeFileSync(join(tree, 'ocaml'), '#!/p/bin/ocamlrun.crossload\nbytecode');
    writeFileSync(join(tree, 'otherlibs', 'dynlink', 'dynlink_config.ml'), 'let crossload = true\n');
    const failed = await checkStockProducts(tree);
    expect(names(failed)).toEqual([
      'ocamlc -config says crossload: false',
      'no ocaml.opt',
      'no otherlibs/dynlink/ocamlrun.crossload',
      'ocaml names ocamlrun',
      'Dynlink carries no bytecode units of the Stdlib and never dispatches to bytecode',
    ]);
    expect(failed.map((c) => c.detail)).toEqual([
      'it prints crossload: true',
      'ocaml.opt exists in the tree',
      'otherlibs/dynlink/ocamlrun.crossload exists in the tree',
      'its first line names /p/bin/ocamlrun.crossload',
      'dynlink_config.ml says crossload = true',
    ]);
    // Checking changes nothing (only a build removes what an earlier build left).
    expect(existsSync(join(tree, 'ocaml.opt'))).toBe(true);
    expect(readFileSync(join(tree, 'ocaml'), 'utf8')).toContain('ocamlrun.crossload');
  });
});
