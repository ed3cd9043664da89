import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_KERNELS, C_CALLBACK_UNIT, COMPUTE_KERNELS, CROSSING_ARITIES, CROSSING_KERNELS, HOST_UNITS, TOPLEVEL_UNITS } from '../harness/bench/kernels.ts';
import { CROSSING_VARIANTS, RATIO_QUESTIONS } from '../harness/bench/questions.ts';
import { benchVariants, VARIANTS } from '../harness/bench/variants.ts';

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
    expect(HOST_UNITS).toEqual(['nbody', 'fannkuch', 'binary_trees', 'sieve', 'strings_hashtbl', 'crossing']);
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
