import { execFileSync, spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVAL_PARTS } from '../harness/bench/eval.ts';
import { ALL_KERNELS } from '../harness/bench/kernels.ts';
import { parseBenchOptions } from '../harness/bench/options.ts';
import { HelpShown, UsageError } from '../harness/options.ts';

const ROOT = join(import.meta.dirname, '..');

describe('bench options', () => {
  it('defaults: a full run of every kernel, the toplevels and the evaluated phrases, 5 repetitions, building first', () => {
    const o = parseBenchOptions([]);
    expect(o).toMatchObject({ quick: false, build: true, repeat: 5, inner: 1, kernels: ALL_KERNELS, toplevels: true, eval: EVAL_PARTS });
    expect(o.pristine).toBeUndefined();
    expect(o.nFor(ALL_KERNELS[0]!)).toBe(ALL_KERNELS[0]!.n);
  });

  it('--pristine given relative is made absolute (the variants run in their own directories)', () => {
    expect(parseBenchOptions(['--pristine', '.cache/pristine/_install']).pristine).toBe(resolve('.cache/pristine/_install'));
  });

  it('--quick: 1 repetition of 2 runs on the small inputs; --repeat and --pristine override', () => {
    const o = parseBenchOptions(['--quick', '--no-build', '--repeat', '3', '--pristine', '/opt/ocaml']);
    expect(o).toMatchObject({ quick: true, build: false, repeat: 3, inner: 2, pristine: '/opt/ocaml' });
    expect(o.nFor(ALL_KERNELS[0]!)).toBe(ALL_KERNELS[0]!.quickN);
    expect(parseBenchOptions(['--quick']).repeat).toBe(1);
  });

  it('--only selects the kernels whose name contains it, and the toplevels by their name', () => {
    const crossing = parseBenchOptions(['--only', 'host_calls_plugin']);
    expect(crossing.kernels.map((k) => k.name)).toEqual(['host_calls_plugin_1', 'host_calls_plugin_2', 'host_calls_plugin_3', 'host_calls_plugin_5', 'host_calls_plugin_10', 'host_calls_plugin_exn']);
    expect(crossing.toplevels).toBe(false);
    expect(parseBenchOptions(['--only', 'closures']).kernels.map((k) => k.name)).toEqual(['closures', 'closures_domains_1', 'closures_domains_2']);
    expect(parseBenchOptions(['--only', 'iterators']).kernels.map((k) => k.name)).toEqual(['iterators_list_map', 'iterators_hashtbl_iter']);
    const effects = parseBenchOptions(['--only', 'effects']);
    expect(effects.kernels.map((k) => k.name)).toEqual([
      'effects_host_handles_host',
      'effects_host_handles_plugin',
      'effects_plugin_handles_host',
      'effects_plugin_handles_plugin',
      'effects_floor_host_handles_plugin',
      'effects_floor_plugin_handles_host',
      'effects_call_outside_handler',
      'effects_call_under_handler',
    ]);
    expect(effects).toMatchObject({ toplevels: false, eval: [] });
    const top = parseBenchOptions(['--only', 'toplevel']);
    expect(top.kernels).toEqual([]);
    expect(top.toplevels).toBe(true);
    expect(top.eval).toEqual([]);
  });

  it('--only with several names separated by commas selects what any of them selects; a full run counts instructions', () => {
    const compute = parseBenchOptions(['--only', 'nbody,fannkuch,,sieve']);
    expect(compute.kernels.map((k) => k.name)).toEqual(['nbody', 'fannkuch', 'sieve']);
    expect(compute.toplevels).toBe(false);
    expect(parseBenchOptions(['--only', 'sieve,toplevel'])).toMatchObject({ toplevels: true, kernels: [{ name: 'sieve' }] });
    expect(compute.instructions).toBe(true);
    expect(parseBenchOptions(['--no-instructions']).instructions).toBe(false);
    expect(parseBenchOptions(['--quick']).instructions).toBe(false);
  });

  it.each([
    [['--repeat', 'abc'], /--repeat must be a whole number >= 1/],
    [['--repeat', '0'], /--repeat must be a whole number >= 1/],
    [['--repeat', '2.5'], /--repeat must be a whole number >= 1/],
    [['--repeat'], /--repeat/],
    [['--only', 'no_such_kernel'], /--only 'no_such_kernel'.*selects nothing/],
    [['--quik'], /--quik/],
    [['nbody'], /nbody/],
  ])('rejects %j with a one-line usage error', (argv, message) => {
    let error: unknown;
    try {
      parseBenchOptions(argv);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('--help lists every option', () => {
    expect(() => parseBenchOptions(['--help'])).toThrow(HelpShown);
    try {
      parseBenchOptions(['--help']);
    } catch (e) {
      for (const o of ['--quick', '--only NAME', '--repeat N', '--pristine PREFIX', '--no-build']) expect((e as HelpShown).text).toContain(o);
    }
  });

  it('the script exits 2 with one line on stderr before doing anything, and 0 for --help', () => {
    const bad = spawnSync('npx', ['tsx', 'scripts/bench.ts', '--repeat', 'abc'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('--repeat must be a whole number >= 1');
    expect(execFileSync('npx', ['tsx', 'scripts/bench.ts', '--help'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 })).toContain('usage: npm run bench --');
  }, 120_000);
});
