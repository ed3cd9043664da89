import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pluginExt, pluginSteps } from '../harness/crosstest/plugins.ts';
import { maskProbeDir } from '../harness/crosstest/probe.ts';
import { QUICK_STRIDE, quickSample, subsetLabel } from '../harness/crosstest/quick.ts';
import { formatDuration, writeReports } from '../harness/crosstest/report.ts';

describe('crosstest --quick', () => {
  it('keeps the first and every QUICK_STRIDE-th test in code-point name order, whatever the input order', () => {
    const names = ['ocaml/b/x', 'ocaml/a/y', 'ocaml/a-b/z', 'ocaml/a_b/z', 'ocaml/B/w', 'ocaml/c/v', 'ocaml/a/x', 'ocaml/d/u', 'ocaml/e/t'];
    const sample = quickSample(names.map((name) => ({ name })));
    const sorted = [...names].sort();
    expect(sample.map((t) => t.name)).toEqual(sorted.filter((_, i) => i % QUICK_STRIDE === 0));
    expect(quickSample([...names].reverse().map((name) => ({ name })))).toEqual(sample);
  });

  it('says which subset ran', () => {
    expect(subsetLabel({ quick: true, corpus: 'all', ocamlSampled: 55, ocamlTotal: 220 })).toBe(
      `quick subset: every own test, 1 in ${QUICK_STRIDE} of OCaml's own (55 of 220)`,
    );
    expect(subsetLabel({ quick: false, corpus: 'all', ocamlSampled: 220, ocamlTotal: 220 })).toBe('full corpus');
    expect(subsetLabel({ quick: false, corpus: 'own', only: 'bad', ocamlSampled: 0, ocamlTotal: 0 })).toBe('full corpus --corpus own --only bad');
  });
});

describe('crosstest timing', () => {
  it('formats a wall-clock time', () => {
    expect(formatDuration(4_160)).toBe('4.2s');
    expect(formatDuration(725_400)).toBe('12m 05s');
    expect(formatDuration(3_723_000)).toBe('1h 02m 03s');
  });

  it('writes the duration and the subset into crosstest.json and crosstest.md', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wb-report-'));
    const meta = { prefix: '/p', modes: ['byte'], date: '2025-01-01T00:00:00Z', subset: 'full corpus', durationMs: 65_000, jobs: 2 };
    writeReports(dir, [{ test: 'own/t', mode: 'byte', status: 'passed', durationMs: 1 }], meta);
    expect(JSON.parse(readFileSync(join(dir, 'crosstest.json'), 'utf8'))).toMatchObject({ durationMs: 65_000, subset: 'full corpus', jobs: 2 });
    const md = readFileSync(join(dir, 'crosstest.md'), 'utf8').trimEnd().split('\n');
    expect(md).toContain('wall-clock time: 1m 05s with 2 job(s); tests: full corpus');
    expect(md.at(-1)).toBe('crosstest: 1 passed, 0 failed, 0 skipped, 0 known');
  });
});

describe('crosstest probe reasons', () => {
  it('masks the random probe directory, so reports do not change between runs', () => {
    expect(maskProbeDir('File /tmp/crosstest-probe-EC7DWk/work/plugin.cmxs is a native plugin')).toBe('File <probe>/work/plugin.cmxs is a native plugin');
    expect(maskProbeDir('Error: "/private/var/tmp/crosstest-probe-a1B2c3/src/main.ml", line 1')).toBe('Error: "<probe>/src/main.ml", line 1');
    expect(maskProbeDir('no path here')).toBe('no path here');
  });
});

describe('crosstest plugin files', () => {
  it('packs a bytecode plugin alone into a .cma for an "archive" test, and compiles an .mli for the plugins after it', () => {
    expect(pluginSteps('p.ml', 'cmo', '/h', true)).toEqual([
      { tool: 'ocamlc', args: ['-g', '-I', '/h', '-c', 'p.ml'] },
      { tool: 'ocamlc', args: ['-a', '-o', 'p.cma', 'p.cmo'] },
    ]);
    expect(pluginSteps('p.ml', 'cmxs', '/h', true)).toEqual([{ tool: 'ocamlopt', args: ['-g', '-I', '/h', '-shared', '-o', 'p.cmxs', 'p.ml'] }]);
    expect(pluginSteps('api.mli', 'cmxs', '/h')).toEqual([{ tool: 'ocamlc', args: ['-g', '-I', '/h', '-c', 'api.mli'] }]);
    expect([pluginExt({ archive: true }, 'cmo'), pluginExt({ archive: true }, 'cmxs'), pluginExt({}, 'cmo')]).toEqual(['.cma', '.cmxs', '.cmo']);
  });
});
