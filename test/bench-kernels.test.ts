import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ALL_KERNELS,
  C_CALLBACK_UNIT,
  CLOSURES_KERNELS,
  COMPUTE_KERNELS,
  CROSSING_ARITIES,
  CROSSING_KERNELS,
  EFFECTS_CALL_KERNELS,
  EFFECTS_KERNELS,
  effectsFloorKernelName,
  effectsFloorOf,
  effectsPairKernelName,
  effectsPairOf,
  HOST_UNITS,
  isComputeKernel,
  isCrossingKernel,
  ITERATOR_KERNELS,
  TOPLEVEL_UNITS,
} from '../harness/bench/kernels.ts';
import {
  CLOSURES_QUESTIONS,
  CROSSING_RATIO_VARIANTS,
  CROSSING_VARIANTS,
  EFFECTS_PAIR_REFERENCES,
  EFFECTS_VARIANTS,
  effectsPairReference,
  effectsSideCode,
  ITERATOR_CROSSING_VARIANT,
  ITERATOR_VARIANTS,
  RATIO_QUESTIONS,
} from '../harness/bench/questions.ts';
import { benchVariants, canRun, kernelEnv, VARIANTS, type Built } from '../harness/bench/variants.ts';

const BENCH = join(import.meta.dirname, '..', 'bench');

/** Kernel names an OCaml source registers: `Bench_api.register "name" run`, or a `"name", run` pair of a registration list. */
function registeredNames(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/register\s+"([a-z0-9_]+)"|"([a-z0-9_]+)",\s*[a-z_][a-z0-9_]*/g)].map((m) => (m[1] ?? m[2])!);
}

describe('bench kernel list (harness/bench/kernels.ts, the one source)', () => {
  it('names every kernel once', () => {
    expect(new Set(ALL_KERNELS.map((k) => k.name)).size).toBe(ALL_KERNELS.length);
  });

  it('gives the hosts and toplevels their units, derived from the kernels', () => {
    expect(HOST_UNITS).toEqual(['nbody', 'fannkuch', 'binary_trees', 'sieve', 'strings_hashtbl', 'crossing', 'closures', 'iterators', 'effects']);
    expect(TOPLEVEL_UNITS).toEqual(COMPUTE_KERNELS.map((k) => k.unit));
    expect(HOST_UNITS).not.toContain(C_CALLBACK_UNIT);
    expect(new Set([...HOST_UNITS, C_CALLBACK_UNIT])).toEqual(new Set(ALL_KERNELS.map((k) => k.unit)));
  });

  it('has a crossing kernel for each arity in each direction, plus the caml_callback reference', () => {
    expect(CROSSING_KERNELS.length).toBe(2 * CROSSING_ARITIES.length + 1);
    expect(CROSSING_KERNELS.every((k) => k.perCall)).toBe(true);
    expect(COMPUTE_KERNELS.some((k) => k.perCall)).toBe(false);
  });

  it('matches bench/kernels: a source file per unit and no other', () => {
    const sources = readdirSync(join(BENCH, 'kernels')).filter((f) => f.endsWith('.ml')).map((f) => basename(f, '.ml'));
    expect(new Set(sources)).toEqual(new Set(ALL_KERNELS.map((k) => k.unit)));
  });

  it('matches what the OCaml sources register: each kernel in its unit (the host registers its side of the crossing unit)', () => {
    const byFile = new Map<string, string[]>();
    for (const f of readdirSync(join(BENCH, 'kernels')).filter((f) => f.endsWith('.ml'))) byFile.set(basename(f, '.ml'), registeredNames(join(BENCH, 'kernels', f)));
    byFile.set('crossing', [...(byFile.get('crossing') ?? []), ...registeredNames(join(BENCH, 'host', 'bench_host.ml'))]);
    const registered = [...byFile].flatMap(([unit, names]) => names.map((name) => ({ name, unit })));
    expect(registered.sort((a, b) => a.name.localeCompare(b.name))).toEqual(
      ALL_KERNELS.map((k) => ({ name: k.name, unit: k.unit })).sort((a, b) => a.name.localeCompare(b.name)),
    );
  });
});

describe("issue 17's kernels: closures and native iterators", () => {
  const byName = (name: string) => ALL_KERNELS.find((k) => k.name === name)!;

  it('are neither compute nor crossing kernels, so they get only figures of their own', () => {
    for (const k of [...CLOSURES_KERNELS, ...ITERATOR_KERNELS]) {
      expect(isComputeKernel(k)).toBe(false);
      expect(isCrossingKernel(k)).toBe(false);
    }
    expect(CLOSURES_KERNELS.every((k) => k.group === 'closures' && k.unit === 'closures' && !k.perCall)).toBe(true);
    // ns per callback: n callbacks per run.
    expect(ITERATOR_KERNELS.every((k) => k.group === 'iterators' && k.unit === 'iterators' && k.perCall)).toBe(true);
    expect(COMPUTE_KERNELS.every(isComputeKernel)).toBe(true);
    expect(CROSSING_KERNELS.every(isCrossingKernel)).toBe(true);
  });

  it('split the same work over 1 and 2 domains, timed by the wall clock; the 1-domain figure by processor time', () => {
    expect(CLOSURES_KERNELS.map((k) => [k.name, k.clock ?? 'process'])).toEqual([
      ['closures', 'process'],
      ['closures_domains_1', 'wall'],
      ['closures_domains_2', 'wall'],
    ]);
    // The throughput of 2 domains relative to 1 compares equal work: same n, full and quick.
    expect(new Set(CLOSURES_KERNELS.map((k) => `${k.n}/${k.quickN}`)).size).toBe(1);
    expect(kernelEnv(byName('closures_domains_2'), 10, 2)).toMatchObject({ BENCH_KERNEL: 'closures_domains_2', BENCH_N: '10', BENCH_REPS: '2', BENCH_CLOCK: 'wall' });
    expect(kernelEnv(byName('closures'), 10, 2).BENCH_CLOCK).toBe('process');
    expect(kernelEnv(COMPUTE_KERNELS[0]!, 10, 2).BENCH_CLOCK).toBe('process');
  });

  it('the OCaml side: the host gives Bench_api its wall clock and native iterators, the closures unit spawns domains', () => {
    const api = readFileSync(join(BENCH, 'host', 'bench_api.ml'), 'utf8');
    expect(api).toMatch(/"BENCH_CLOCK"/);
    expect(api).toMatch(/\| "wall" ->/);
    const host = readFileSync(join(BENCH, 'host', 'bench_host.ml'), 'utf8');
    for (const set of ['Bench_api.host_list_map := List.map', 'Bench_api.host_hashtbl_iter := Hashtbl.iter', 'Bench_api.wall_clock := Unix.gettimeofday']) expect(host).toContain(set);
    expect(readFileSync(join(BENCH, 'kernels', 'closures.ml'), 'utf8')).toContain('Domain.spawn');
    const iterators = readFileSync(join(BENCH, 'kernels', 'iterators.ml'), 'utf8');
    expect(iterators).toContain('!Bench_api.host_list_map');
    expect(iterators).toContain('!Bench_api.host_hashtbl_iter');
  });

  it('run in every host variant but not in a toplevel variant (no host to cross into, no wall clock)', () => {
    const host: Built = { exe: 'host.exe', dir: '.', pluginFile: () => undefined };
    const toplevel: Built = { ...host, computeOnly: true };
    for (const k of [...CLOSURES_KERNELS, ...ITERATOR_KERNELS]) {
      expect(canRun(host, k)).toBe(true);
      expect(canRun(toplevel, k)).toBe(false);
    }
    expect(canRun(toplevel, COMPUTE_KERNELS[0]!)).toBe(true);
    expect(canRun(toplevel, CROSSING_KERNELS[0]!)).toBe(false);
  });

  it('their questions compare kernels of the list in variants of the list', () => {
    const kernels = CLOSURES_KERNELS.map((k) => k.name);
    const variants = VARIANTS.map((v) => v.name as string);
    for (const q of CLOSURES_QUESTIONS) {
      expect(kernels).toEqual(expect.arrayContaining([q.fast.kernel, q.slow.kernel]));
      expect(variants).toEqual(expect.arrayContaining([q.fast.variant, q.slow.variant]));
    }
    expect(variants).toEqual(expect.arrayContaining([...ITERATOR_VARIANTS, ITERATOR_CROSSING_VARIANT]));
  });
});

describe("issue 16's kernels: effects across the boundary", () => {
  const source = (...path: string[]) => readFileSync(join(BENCH, ...path), 'utf8');
  /** The body of `let NAME n = BODY` in an OCaml source, on one line. */
  const definition = (text: string, name: string) => new RegExp(`^let ${name} n =\\s*([^]*?)\\n(?=let |\\n)`, 'm').exec(text)?.[1]?.replace(/\s+/g, ' ').trim();

  it('are a perform/continue pair kernel per placement of handler and perform, the floors of the two that cross, then the calls outside and under a handler', () => {
    expect(EFFECTS_KERNELS.map((k) => k.name)).toEqual([
      'effects_host_handles_host',
      'effects_host_handles_plugin',
      'effects_plugin_handles_host',
      'effects_plugin_handles_plugin',
      'effects_floor_host_handles_plugin',
      'effects_floor_plugin_handles_host',
      'effects_call_outside_handler',
      'effects_call_under_handler',
    ]);
    expect(effectsPairOf('effects_plugin_handles_host')).toEqual({ handler: 'plugin', perform: 'host' });
    expect(effectsPairOf(effectsPairKernelName('host', 'plugin'))).toEqual({ handler: 'host', perform: 'plugin' });
    expect(effectsPairOf(EFFECTS_CALL_KERNELS.under)).toBeUndefined();
    expect(effectsPairOf('host_calls_plugin_1')).toBeUndefined();
    expect(effectsFloorOf('effects_floor_plugin_handles_host')).toEqual({ handler: 'plugin', perform: 'host', pairKernel: 'effects_plugin_handles_host' });
    expect(effectsFloorOf(effectsFloorKernelName('host', 'plugin'))?.pairKernel).toBe(effectsPairKernelName('host', 'plugin'));
    // A placement on one side crosses nothing: it has no floor kernel.
    expect(effectsFloorOf(effectsFloorKernelName('host', 'host'))).toBeUndefined();
    expect(effectsFloorOf('effects_host_handles_plugin')).toBeUndefined();
    expect(effectsPairOf('effects_floor_host_handles_plugin')).toBeUndefined();
    // ns per pair (per call): n of them per run; figures of their own, neither compute nor crossing kernels.
    for (const k of EFFECTS_KERNELS) {
      expect(k).toMatchObject({ unit: 'effects', group: 'effects', perCall: true });
      expect(k.clock).toBeUndefined();
      expect(isComputeKernel(k)).toBe(false);
      expect(isCrossingKernel(k)).toBe(false);
    }
    // The pairs and the calls compare with each other: the same n, full and quick.
    expect(new Set(EFFECTS_KERNELS.map((k) => `${k.n}/${k.quickN}`)).size).toBe(1);
  });

  it('the OCaml side: Bench_api has the effect and the host\'s refs, the host sets them, each kernel puts handler and perform where its name says', () => {
    const api = source('host', 'bench_api.ml');
    expect(api).toMatch(/type _ Effect\.t \+= Tick : int -> int Effect\.t/);
    const host = source('host', 'bench_host.ml');
    const refs = ['host_effects_handle', 'host_effects_perform_loop', 'host_effects_call_loop', 'host_effects_call_loop_handled'];
    for (const ref of refs) {
      expect(api).toMatch(new RegExp(`^let ${ref} : .* ref =`, 'm'));
      expect(host).toMatch(new RegExp(`Bench_api\\.${ref} := `));
    }
    const effects = source('kernels', 'effects.ml');
    // The same handler (continue k i for Tick i) and loop of performs on both sides, so that every placement computes the same checksum.
    for (const text of [host, effects]) {
      expect(text).toMatch(/Effect\.Deep\.try_with body n/);
      expect(text).toMatch(/\| Bench_api\.Tick i ->\s*Some \(fun \(k : \(a, _\) Effect\.Deep\.continuation\) ->\s*Effect\.Deep\.continue k i\)/);
      expect(text).toMatch(/s := \(!s \+ Effect\.perform \(Bench_api\.Tick i\)\) land 0xFFFFFFF/);
    }
    const registered = new Map([...effects.matchAll(/"(effects_[a-z_]+)", ([a-z_]+)/g)].map((m) => [m[1]!, m[2]!]));
    expect([...registered.keys()]).toEqual(EFFECTS_KERNELS.map((k) => k.name));
    for (const k of EFFECTS_KERNELS) {
      const pair = effectsPairOf(k.name);
      if (!pair) continue;
      const handler = pair.handler === 'host' ? '!Bench_api.host_effects_handle' : 'handle';
      const perform = pair.perform === 'host' ? '!Bench_api.host_effects_perform_loop' : 'perform_loop';
      expect(definition(effects, registered.get(k.name)!), k.name).toBe(`${handler} ${perform} n`);
    }
    // The host calls this unit's function outside any handler, and under its own handler.
    expect(definition(effects, registered.get(EFFECTS_CALL_KERNELS.outside)!)).toBe('!Bench_api.host_effects_call_loop f n');
    expect(definition(effects, registered.get(EFFECTS_CALL_KERNELS.under)!)).toBe('!Bench_api.host_effects_call_loop_handled f n');
    expect(host).toMatch(/let effects_call_loop_handled f n = effects_handle \(effects_call_loop f\) n/);
  });

  it("the floors: each side's loop of the perform loop's shape with a call in place of the perform, over the other side's handler work", () => {
    const api = source('host', 'bench_api.ml');
    const host = source('host', 'bench_host.ml');
    const effects = source('kernels', 'effects.ml');
    for (const ref of ['host_effects_floor_loop', 'host_effects_handler_work']) {
      expect(api).toMatch(new RegExp(`^let ${ref} : .* ref =`, 'm'));
      expect(host).toMatch(new RegExp(`Bench_api\\.${ref} := `));
    }
    for (const text of [host, effects]) {
      // The pair's loop, the perform replaced by a call; the pair's effect function, continue replaced by a call.
      expect(text).toMatch(/s := \(!s \+ work \(Bench_api\.Tick i\)\) land 0xFFFFFFF/);
      expect(text).toMatch(/\| Bench_api\.Tick i -> Some \(fun k -> continue_in_place k i\)/);
      expect(text).toMatch(/match \(Sys\.opaque_identity [a-z_]*effc\) e with\s*\| Some f -> f \(\)/);
    }
    const registered = new Map([...effects.matchAll(/"(effects_[a-z_]+)", ([a-z_]+)/g)].map((m) => [m[1]!, m[2]!]));
    expect(definition(effects, registered.get(effectsFloorKernelName('host', 'plugin'))!)).toBe('floor_loop !Bench_api.host_effects_handler_work n');
    expect(definition(effects, registered.get(effectsFloorKernelName('plugin', 'host'))!)).toBe('!Bench_api.host_effects_floor_loop handler_work n');
  });

  it('run in every host variant but not in a toplevel variant (no host to cross into)', () => {
    const host: Built = { exe: 'host.exe', dir: '.', pluginFile: () => undefined };
    for (const k of EFFECTS_KERNELS) {
      expect(canRun(host, k)).toBe(true);
      expect(canRun({ ...host, computeOnly: true }, k)).toBe(false);
      expect(kernelEnv(k, 10, 2).BENCH_CLOCK).toBe('process');
    }
  });

  it('compare a crossing pair with the pure native pair and with the pairs all native and all bytecode of its own process', () => {
    expect(VARIANTS.map((v) => v.name as string)).toEqual(expect.arrayContaining([...EFFECTS_VARIANTS]));
    // native+cmo: the host is native and the plugin bytecode; byte+cmxs the other way.
    expect(effectsSideCode('native+cmo', 'host')).toBe('native');
    expect(effectsSideCode('native+cmo', 'plugin')).toBe('bytecode');
    expect(effectsSideCode('byte+cmxs', 'host')).toBe('bytecode');
    expect(effectsSideCode('byte+cmxs', 'plugin')).toBe('native');
    expect(CROSSING_RATIO_VARIANTS.flatMap((v) => EFFECTS_PAIR_REFERENCES.map((r) => [v, r, effectsPairReference(v, r)]))).toEqual([
      ['native+cmo', 'pure-native', { variant: 'native', kernel: 'effects_host_handles_host' }],
      ['native+cmo', 'native', { variant: 'native+cmo', kernel: 'effects_host_handles_host' }],
      ['native+cmo', 'bytecode', { variant: 'native+cmo', kernel: 'effects_plugin_handles_plugin' }],
      ['byte+cmxs', 'pure-native', { variant: 'native', kernel: 'effects_host_handles_host' }],
      ['byte+cmxs', 'native', { variant: 'byte+cmxs', kernel: 'effects_plugin_handles_plugin' }],
      ['byte+cmxs', 'bytecode', { variant: 'byte+cmxs', kernel: 'effects_host_handles_host' }],
    ]);
  });
});

describe('bench variant list (harness/bench/variants.ts, the one source)', () => {
  const names = VARIANTS.map((v) => v.name);

  it('names every variant once, and the questions compare only variants of the list', () => {
    expect(new Set(names).size).toBe(names.length);
    for (const q of RATIO_QUESTIONS) expect(names).toEqual(expect.arrayContaining([q.fast, q.slow]));
    expect(names).toEqual(expect.arrayContaining([...CROSSING_VARIANTS]));
  });

  it('builds the pristine variants only with a pristine prefix, each with its own compiler', () => {
    const patchedOnly = benchVariants({ patched: '/p' });
    expect(patchedOnly.map((v) => v.name)).toEqual(names.filter((n) => !n.startsWith('pristine-')));
    expect(patchedOnly.every((v) => v.prefix === '/p')).toBe(true);
    const both = benchVariants({ patched: '/p', pristine: '/q' });
    expect(both.map((v) => v.name)).toEqual(names);
    expect(both.filter((v) => v.prefix === '/q').map((v) => v.name)).toEqual(['pristine-native', 'pristine-byte']);
  });
});
