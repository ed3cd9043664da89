import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareWithBaseline, inSelection, newFailureCount, testDirOf } from '../harness/ocaml-testsuite/compare.ts';
import type { TestResult } from '../harness/ocaml-testsuite/log-parser.ts';
import { formatComparison, suiteLogPath, suiteReportPath, summaryLine } from '../harness/ocaml-testsuite/report.ts';
import { requireRuntimeVariant, runtimeVariantEnv, suiteLabel } from '../harness/ocaml-testsuite/runtime-variant.ts';
import { findSeriesTests, seriesTestDirs, seriesTestKeys } from '../harness/ocaml-testsuite/series-tests.ts';

/** `ocaml-testsuite --series` (the tests the series adds) and `--runtime d` (the debug runtime). */

const result = (key: string, outcome: TestResult['outcome']): TestResult => ({ key, dir: testDirOf(key), file: key.slice(key.lastIndexOf('/') + 1), outcome, messages: [] });

describe('the tests the series adds', () => {
  const baseline = { 'tests/basic/arrays.ml': 'passed', 'tests/lib-dynlink-native/main.ml': 'failed', 'tests/gone/old.ml': 'passed' } as const;

  it('are the test files of the tree that the baseline lacks, sorted, each once', () => {
    const tree = ['tests/tool-toplevel-opt/load.ml', 'tests/basic/arrays.ml', 'tests/crossload/crossload.ml', 'tests/lib-dynlink-native/main.ml', 'tests/crossload/crossload.ml', 'tests/basic/new_fix.ml'];
    expect(seriesTestKeys(tree, baseline)).toEqual(['tests/basic/new_fix.ml', 'tests/crossload/crossload.ml', 'tests/tool-toplevel-opt/load.ml']);
    expect(seriesTestKeys(['tests/basic/arrays.ml'], baseline)).toEqual([]);
    expect(seriesTestKeys([], baseline)).toEqual([]);
    // A key is looked up as a key, never through the prototype.
    expect(seriesTestKeys(['constructor', 'tests/x/toString'], {})).toEqual(['constructor', 'tests/x/toString']);
  });

  it('are run in their directories', () => {
    expect(seriesTestDirs(['tests/crossload/crossload.ml', 'tests/crossload/crossload_threads.ml', 'tests/a/b/c.ml', 'tests/basic/new_fix.ml'])).toEqual(['tests/a/b', 'tests/basic', 'tests/crossload']);
    expect(seriesTestDirs([])).toEqual([]);
  });

  it('are found in a tree as ocamltest finds test files', () => {
    const testsuite = mkdtempSync(join(tmpdir(), 'wb-series-'));
    const write = (file: string, text: string) => {
      mkdirSync(dirname(join(testsuite, file)), { recursive: true });
      writeFileSync(join(testsuite, file), text);
    };
    write('tests/basic/arrays.ml', '(* TEST *)\n');
    write('tests/crossload/crossload.ml', '(* TEST\n crossload;\n*)\n');
    write('tests/crossload/plugin.ml', 'let x = 1\n');
    write('tests/crossload/crossload.reference', 'ok\n');
    write('tests/crossload/_ocamltest/crossload/crossload.ml', '(* TEST *)\n');
    expect(findSeriesTests(testsuite, baseline)).toEqual(['tests/crossload/crossload.ml']);
    expect(findSeriesTests(join(testsuite, 'nowhere'), baseline)).toEqual([]);
  });

  it('are compared one by one: a failure or no result is a new failure, passes and skips are listed', () => {
    const keys = ['tests/crossload/a.ml', 'tests/crossload/b.ml', 'tests/crossload/c.ml', 'tests/tool-toplevel-opt/d.ml'];
    const run = [result('tests/crossload/a.ml', 'passed'), result('tests/crossload/b.ml', 'failed'), result('tests/crossload/c.ml', 'skipped'), result('tests/crossload/other.ml', 'failed')];
    const selection = { keys };
    expect(inSelection('tests/crossload/a.ml', selection)).toBe(true);
    expect(inSelection('tests/crossload/other.ml', selection)).toBe(false);
    const c = compareWithBaseline(run.filter((t) => inSelection(t.key, selection)), {}, selection);
    expect(c.newFailures.map((x) => x.key)).toEqual(['tests/crossload/b.ml']);
    expect(c.missing).toEqual([{ key: 'tests/tool-toplevel-opt/d.ml', baseline: 'absent', now: 'absent' }]);
    expect(c.newPasses.map((x) => x.key)).toEqual(['tests/crossload/a.ml']);
    expect(c.newSkips.map((x) => x.key)).toEqual(['tests/crossload/c.ml']);
    expect(newFailureCount(c)).toBe(2);
    expect(formatComparison(c).join('\n')).toMatch(/MISSING .*\(1\):\n {2}tests\/tool-toplevel-opt\/d\.ml \(baseline: absent, now: absent\)/);
    expect(summaryLine(c, [], suiteLabel({ runtime: 'd', series: true }))).toBe('ocaml-testsuite (debug runtime, series tests): 1 passed, 2 failed, 1 skipped, 0 known');
  });

  it('a selection by keys still compares the tests of the baseline it names', () => {
    const c = compareWithBaseline([], { 'tests/basic/arrays.ml': 'passed', 'tests/basic/other.ml': 'passed' }, { keys: ['tests/basic/arrays.ml'] });
    expect(c.missing).toEqual([{ key: 'tests/basic/arrays.ml', baseline: 'passed', now: 'absent' }]);
  });
});

describe('the debug runtime', () => {
  it("is upstream's switch: USE_RUNTIME=d, and OCAMLRUNPARAM=v=0 unless the environment sets it (testsuite/Makefile)", () => {
    expect(runtimeVariantEnv(undefined, {})).toEqual({});
    expect(runtimeVariantEnv('d', {})).toEqual({ USE_RUNTIME: 'd', OCAMLRUNPARAM: 'v=0' });
    expect(runtimeVariantEnv('d', { OCAMLRUNPARAM: '' })).toEqual({ USE_RUNTIME: 'd' });
  });

  it('must be built in the tree', () => {
    const src = mkdtempSync(join(tmpdir(), 'wb-runtime-d-'));
    expect(() => requireRuntimeVariant(src, 'd')).toThrow(/debug runtime is not built .*ocamlrund.*libasmrund\.a/);
    mkdirSync(join(src, 'runtime'));
    writeFileSync(join(src, 'runtime', 'ocamlrund'), '');
    expect(() => requireRuntimeVariant(src, 'd')).toThrow(/no .*libasmrund\.a$/);
    writeFileSync(join(src, 'runtime', 'libasmrund.a'), '');
    expect(() => requireRuntimeVariant(src, 'd')).not.toThrow();
  });

  it('writes its own report and log, and names itself in the summary line', () => {
    expect(suiteReportPath('/r')).toBe('/r/ocaml-testsuite.json');
    expect(suiteReportPath('/r', 'd')).toBe('/r/ocaml-testsuite-d.json');
    expect(suiteLogPath('/l', 'patched')).toBe('/l/ocaml-testsuite/patched.log');
    expect(suiteLogPath('/l', 'patched', 'd')).toBe('/l/ocaml-testsuite/patched-d.log');
    expect(suiteLabel({})).toBe('ocaml-testsuite');
    expect(suiteLabel({ runtime: 'd' })).toBe('ocaml-testsuite (debug runtime)');
    expect(suiteLabel({ series: true })).toBe('ocaml-testsuite (series tests)');
  });
});
