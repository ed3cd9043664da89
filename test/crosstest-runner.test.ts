import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../harness/exec.ts';
import type { Mode, ModeContext, Observed } from '../harness/crosstest/mode.ts';
import { buildDir, NO_STOCK_COMPILER, runDir, runPlan } from '../harness/crosstest/runner.ts';
import { ALL_MODES } from '../harness/crosstest/modes/index.ts';
import { summaryLine } from '../harness/crosstest/results.ts';
import { applyKnownFailures } from '../harness/crosstest/known-failures.ts';
import { REFERENCE_MODES, updateReferences } from '../harness/crosstest/update-references.ts';
import { GC_STRESS_PARAMS, underGcStress } from '../harness/crosstest/gc-stress.ts';
import { TIMEOUTS } from '../harness/timeouts.ts';
import type { TestCase } from '../harness/crosstest/test-case.ts';
import { isTsanBuild, toolchain } from '../harness/crosstest/toolchain.ts';

/** A mode whose "program" is a shell command: the runner and the comparison are tested without OCaml. */
function shellMode(name: string, script: string, opts: { unavailable?: string; compiler?: Mode['compiler'] } = {}): Mode {
  return {
    name,
    compiler: opts.compiler ?? 'patched',
    pluginFormat: 'cmo',
    family: 'program',
    buildKey: name,
    unavailable: async () => opts.unavailable,
    build: async () => undefined,
    run: async (ctx): Promise<Observed> => {
      const r = await run('/bin/sh', ['-c', script], { cwd: ctx.test.dir, timeoutMs: ctx.timeoutMs });
      return { stdout: r.stdout, stderr: r.stderr, status: r.exitCode, timedOut: r.timedOut, durationMs: r.durationMs };
    },
  };
}

function ownTest(expectedStdout: string): TestCase {
  const dir = mkdtempSync(join(tmpdir(), 'wb-crosstest-'));
  writeFileSync(join(dir, 'expected.stdout'), expectedStdout);
  return { name: 'own/t', dir, description: '', host: { key: 'k', dir, sources: [] }, plugins: [], env: {}, status: 0, output: 'separate' };
}

async function runModes(test: TestCase, modes: Mode[], timeoutMs = 10_000, workRoot = mkdtempSync(join(tmpdir(), 'wb-work-'))) {
  mkdirSync(workRoot, { recursive: true });
  return runPlan({ tests: [test], modes, tc: toolchain('/nonexistent'), workRoot, jobs: 2, timeoutMs });
}

/**
 * A mode of build key `buildKey` that writes `built` when it builds, and in each run records the context it got
 * and what its directory held, leaves a file there, and prints "x".
 */
function recordingMode(
  name: string,
  buildKey: string,
  runs: Array<{ mode: string; ctx: ModeContext; found: string[] }>,
  compiler: Mode['compiler'] = 'patched',
): Mode {
  return {
    name,
    compiler,
    pluginFormat: 'cmo',
    family: 'program',
    buildKey,
    unavailable: async () => undefined,
    build: async (ctx) => writeFileSync(join(ctx.workDir, 'built'), ''),
    run: async (ctx): Promise<Observed> => {
      runs.push({ mode: name, ctx, found: readdirSync(ctx.workDir).sort() });
      writeFileSync(join(ctx.workDir, 'written-by-a-run'), name);
      return { stdout: 'x\n', stderr: '', status: 0, timedOut: false, durationMs: 1 };
    },
  };
}

describe('crosstest runner', () => {
  it('passes identical output, and reports a mismatch as failed with a diff naming the mode and first differing line', async () => {
    const test = ownTest('one\ntwo\nthree\n');
    const [ok, bad] = await runModes(test, [shellMode('good', 'printf "one\\ntwo\\nthree\\n"'), shellMode('bad', 'printf "one\\nTWO\\nthree\\n"')]);
    expect(ok).toMatchObject({ mode: 'good', status: 'passed' });
    expect(bad).toMatchObject({ mode: 'bad', status: 'failed', reason: 'stdout differs from line 2' });
    expect(bad!.mismatches![0]!.diff).toContain('+++ bad/stdout');
    expect(bad!.mismatches![0]!.diff).toMatch(/-two\n\+TWO/);
  });

  it('reports a crash by signal as a failure with its status, never as a pass', async () => {
    const test = ownTest('before\n');
    const [r] = await runModes(test, [shellMode('crash', 'printf "before\\n"; kill -SEGV $$')]);
    expect(r).toMatchObject({ status: 'failed', reason: 'status differs' });
    expect(r!.mismatches![0]!.diff).toBe('exit status: expected 0, observed 139');
  });

  it('kills a hung run with its children and reports a timeout, apart from failures', async () => {
    const test = ownTest('');
    const started = Date.now();
    const [r] = await runModes(test, [shellMode('hang', 'sleep 30 & sleep 30; wait')], 500);
    expect(r!.status).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(summaryLine([r!])).toBe('crosstest: 0 passed, 1 failed, 0 skipped, 0 known');
  });

  it('reports a mode the compiler cannot run as skipped with the reason', async () => {
    const test = ownTest('x\n');
    const [r] = await runModes(test, [shellMode('future', 'printf "x\\n"', { unavailable: 'no ocaml.opt' })]);
    expect(r).toMatchObject({ status: 'skipped', reason: 'no ocaml.opt' });
  });

  it("skips the modes a test's skipModes names, with their GC-stress variants, and the families of skipFamilies, each with the reason", async () => {
    const test = { ...ownTest('x\n'), skipModes: { b: 'not in b' }, skipFamilies: { toplevel: 'no toplevel' } };
    const a = shellMode('a', 'printf "x\\n"');
    const b = shellMode('b', 'printf "x\\n"');
    const top: Mode = { ...shellMode('top', 'printf "x\\n"'), family: 'toplevel' };
    const results = await runModes(test, [a, underGcStress(a), b, underGcStress(b), top]);
    expect(results.map((r) => [r.mode, r.status, r.reason])).toEqual([
      ['a', 'passed', undefined],
      ['a/gc-stress', 'passed', undefined],
      ['b', 'skipped', 'not in b'],
      ['b/gc-stress', 'skipped', 'not in b'],
      ['top', 'skipped', 'no toplevel'],
    ]);
  });

  it('tells a TSan build by the tsan line of ocamlc -config, and says no where there is no ocamlc', async () => {
    const prefixWith = (tsanLine: string): string => {
      const prefix = mkdtempSync(join(tmpdir(), 'wb-prefix-'));
      mkdirSync(join(prefix, 'bin'));
      writeFileSync(join(prefix, 'bin', 'ocamlc'), `#!/bin/sh\nprintf 'version: 5.3.0\\n${tsanLine}\\nflambda: false\\n'\n`, { mode: 0o755 });
      return prefix;
    };
    expect(await isTsanBuild(toolchain(prefixWith('tsan: true')))).toBe(true);
    expect(await isTsanBuild(toolchain(prefixWith('tsan: false')))).toBe(false);
    expect(await isTsanBuild(toolchain(mkdtempSync(join(tmpdir(), 'wb-prefix-'))))).toBe(false);
  });

  it('skips a test with skipUnderTsan on a TSan build only, with the reason, and never in a stock mode', async () => {
    const test = { ...ownTest('x\n'), skipUnderTsan: 'too deep for TSan' };
    const a = shellMode('a', 'printf "x\\n"');
    const stock = shellMode('stock', 'printf "x\\n"', { compiler: 'stock' });
    const workRoot = mkdtempSync(join(tmpdir(), 'wb-work-'));
    const onTsan = await runPlan({ tests: [test], modes: [a, underGcStress(a), stock], tc: toolchain('/nonexistent'), stockTc: toolchain('/nonexistent'), tsan: true, workRoot, jobs: 2, timeoutMs: 10_000 });
    expect(onTsan.map((r) => [r.mode, r.status, r.reason])).toEqual([
      ['a', 'skipped', 'too deep for TSan'],
      ['a/gc-stress', 'skipped', 'too deep for TSan'],
      ['stock', 'passed', undefined],
    ]);
    const elsewhere = await runModes(test, [a]);
    expect(elsewhere.map((r) => [r.mode, r.status])).toEqual([['a', 'passed']]);
  });

  it('runs each (test, mode), GC-stress variants included, in its own directory holding the build and nothing of another run', async () => {
    const workRoot = mkdtempSync(join(tmpdir(), 'wb-work-'));
    const runs: Array<{ mode: string; ctx: ModeContext; found: string[] }> = [];
    // Four modes of one build key, as toplevel and toplevel.opt share one: one build, four runs.
    const a = recordingMode('a', 'shared', runs);
    const b = recordingMode('b', 'shared', runs);
    const results = await runModes(ownTest('x\n'), [a, underGcStress(a), b, underGcStress(b)], 10_000, workRoot);
    expect(results.map((r) => [r.mode, r.status])).toEqual([
      ['a', 'passed'],
      ['a/gc-stress', 'passed'],
      ['b', 'passed'],
      ['b/gc-stress', 'passed'],
    ]);
    const dirs = runs.map((r) => r.ctx.workDir);
    expect(runs.map((r) => r.mode)).toEqual(['a', 'a', 'b', 'b']);
    expect(dirs).toEqual(['a', 'a/gc-stress', 'b', 'b/gc-stress'].map((m) => runDir(workRoot, 'own/t', m)));
    expect(new Set(dirs).size).toBe(4);
    // No run directory is inside another, nor inside the build directory.
    const build = buildDir(workRoot, 'own/t', 'shared');
    for (const d of dirs) for (const other of [...dirs, build]) if (other !== d) expect(relative(other, d).startsWith('..')).toBe(true);
    // Every run found the build's output and nothing a previous run wrote.
    expect(runs.map((r) => r.found)).toEqual([['built'], ['built'], ['built'], ['built']]);
    expect(readdirSync(build)).toEqual(['built']);
  });

  it('runs a GC-stress variant with OCAMLRUNPARAM set and TIMEOUTS.gcStressFactor times the time limit', async () => {
    const runs: Array<{ mode: string; ctx: ModeContext; found: string[] }> = [];
    const a = recordingMode('a', 'a', runs);
    await runModes(ownTest('x\n'), [a, underGcStress(a)], 1_000);
    expect(runs.map((r) => [r.ctx.ocamlRunParam, r.ctx.timeoutMs])).toEqual([
      ['', 1_000],
      [GC_STRESS_PARAMS, 1_000 * TIMEOUTS.gcStressFactor],
    ]);
  });

  it('turns a listed failure into a known one and flags a listed case that passes', async () => {
    const test = ownTest('x\n');
    const results = await runModes(test, [shellMode('a', 'printf "y\\n"'), shellMode('b', 'printf "x\\n"')]);
    const known = applyKnownFailures(results, [{ tests: ['own/t'], modes: ['a', 'b'], reason: 'because' }]);
    expect(known[0]).toMatchObject({ status: 'known' });
    expect(known[0]!.reason).toMatch(/^known failure: because/);
    expect(known[1]).toMatchObject({ status: 'passed', reason: expect.stringMatching(/passes: remove the entry/) });
  });

  it('--update rewrites a reference from the pure modes, and refuses when they disagree on one file', async () => {
    const test = ownTest('old\n');
    const byte = shellMode('byte', 'printf "new\\n"');
    const native = shellMode('native', 'printf "new\\n"');
    const results = await runModes(test, [byte, native]);
    expect(updateReferences([test], [byte, native], results)).toEqual([join(test.dir, 'expected.stdout')]);
    expect(readFileSync(join(test.dir, 'expected.stdout'), 'utf8')).toBe('new\n');

    const other = shellMode('native', 'printf "different\\n"');
    const mixed = await runModes(test, [byte, other]);
    expect(() => updateReferences([test], [byte, other], mixed)).toThrow(/byte and native print different stdout/);
    expect(readFileSync(join(test.dir, 'expected.stdout'), 'utf8')).toBe('new\n');
  });
});

describe('crosstest scheduling of tests that run alone', () => {
  /** A mode whose build and run record, per test, when they start and end (the run sleeps 50 ms). */
  function timedMode(spans: Map<string, { start: number; end: number }>): Mode {
    const mark = (test: string, what: 'start' | 'end') => {
      const span = spans.get(test) ?? { start: Infinity, end: -Infinity };
      if (what === 'start') span.start = Math.min(span.start, performance.now());
      else span.end = Math.max(span.end, performance.now());
      spans.set(test, span);
    };
    return {
      ...shellMode('m', 'echo x'),
      build: async (ctx) => mark(ctx.test.name, 'start'),
      run: async (ctx): Promise<Observed> => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        mark(ctx.test.name, 'end');
        return { stdout: 'x\n', stderr: '', status: 0, timedOut: false, durationMs: 50 };
      },
    };
  }

  it('builds and runs a test that runs alone with no other test beside it, and reports it in order', async () => {
    const spans = new Map<string, { start: number; end: number }>();
    const named = (name: string, runsAlone?: string): TestCase => ({ ...ownTest('x\n'), name, ...(runsAlone ? { runsAlone } : {}) });
    const tests = [named('own/a'), named('own/b', 'its domains wait for each other'), named('own/c'), named('own/d'), named('own/e', 'likewise')];
    const results = await runPlan({ tests, modes: [timedMode(spans)], tc: toolchain('/nonexistent'), workRoot: mkdtempSync(join(tmpdir(), 'wb-work-')), jobs: 3, timeoutMs: 10_000 });
    expect(results.map((r) => [r.test, r.status])).toEqual(tests.map((t) => [t.name, 'passed']));
    const overlaps = (x: { start: number; end: number }, y: { start: number; end: number }) => x.start < y.end && y.start < x.end;
    for (const alone of ['own/b', 'own/e']) {
      for (const other of tests.map((t) => t.name).filter((n) => n !== alone)) expect(overlaps(spans.get(alone)!, spans.get(other)!), `${alone} beside ${other}`).toBe(false);
    }
    // The others still run side by side.
    expect(overlaps(spans.get('own/a')!, spans.get('own/c')!)).toBe(true);
  });
});

describe('crosstest stock reference (toplevel.stock)', () => {
  it('builds and runs a stock mode with the pristine toolchain, in hosts of its own, and the others with the patched one', async () => {
    const runs: Array<{ mode: string; ctx: ModeContext; found: string[] }> = [];
    const test = ownTest('x\n');
    const results = await runPlan({
      tests: [test],
      modes: [recordingMode('patched', 'k1', runs), recordingMode('stock', 'k2', runs, 'stock')],
      tc: toolchain('/patched'),
      stockTc: toolchain('/pristine'),
      workRoot: mkdtempSync(join(tmpdir(), 'wb-work-')),
      jobs: 1,
      timeoutMs: 10_000,
    });
    expect(results.map((r) => r.status)).toEqual(['passed', 'passed']);
    const byMode = new Map(runs.map((r) => [r.mode, r.ctx]));
    expect(byMode.get('patched')!.tc.prefix).toBe('/patched');
    expect(byMode.get('stock')!.tc.prefix).toBe('/pristine');
    expect(byMode.get('stock')!.hostsDir).not.toBe(byMode.get('patched')!.hostsDir);
  });

  it('skips a stock mode, saying why, when there is no pristine build', async () => {
    const [r] = await runModes(ownTest('x\n'), [shellMode('stock', 'echo x', { compiler: 'stock' })]);
    expect(r).toMatchObject({ status: 'skipped', reason: NO_STOCK_COMPILER });
  });

  it('takes the toplevel references from stock ocaml, never from a toplevel of the series', () => {
    expect(REFERENCE_MODES).toContain('toplevel.stock');
    expect(REFERENCE_MODES).not.toContain('toplevel');
    const stock = ALL_MODES.find((m) => m.name === 'toplevel.stock')!;
    expect(stock).toMatchObject({ compiler: 'stock', family: 'toplevel', pluginFormat: 'cmo' });
    expect(ALL_MODES.filter((m) => m.compiler === 'stock').map((m) => m.name)).toEqual(['toplevel.stock']);
    expect(ALL_MODES.find((m) => m.name === 'toplevel')!.buildKey).not.toBe(stock.buildKey);
  });
});
