import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cmaLayout, cmoLayout } from '../harness/fuzz/bytecode-layout.ts';
import { classify, crashSignature, isFinding, type RunObservation } from '../harness/fuzz/classify.ts';
import { cmxsLayout } from '../harness/fuzz/elf-layout.ts';
import { checkLayout, type Layout } from '../harness/fuzz/layout.ts';
import { listItems, parseMarshal } from '../harness/fuzz/marshal.ts';
import { applyMutation, boundaryValues, describeMutation, readInt, touchedRange, type Mutation } from '../harness/fuzz/mutate.ts';
import { makeMutant, mutantIds, parseMutantId, seedFromBytes, type Seed } from '../harness/fuzz/plan.ts';
import { Prng } from '../harness/fuzz/prng.ts';
import { crashSite } from '../harness/fuzz/gdb.ts';
import { countResults, fuzzSummaryLine, groupCrashes } from '../harness/fuzz/report.ts';
import { memcheckError, underMemcheck, type LoaderRun, type MutantResult } from '../harness/fuzz/runner.ts';
import { codeBytes, fakeCma, fakeCmo, fakeCmxs, marshal } from './helpers/fuzz-files.ts';

const cmo = fakeCmo();
const cma = fakeCma();
const cmxs = fakeCmxs();
const SEEDS: Seed[] = [seedFromBytes('fake.cmo', cmo.bytes), seedFromBytes('fake.cma', cma.bytes), seedFromBytes('fake.cmxs', cmxs.bytes)];
const seedOf = (name: string) => SEEDS.find((s) => s.name === name)!;

/** Every code byte of `seed` that the mutant still has is unchanged, at its place. */
function codeUntouched(seed: Buffer, mutant: Buffer, layout: Layout): boolean {
  return layout.protected.every((span) => {
    const end = Math.min(span.end, mutant.length);
    return end <= span.start || mutant.subarray(span.start, end).equals(seed.subarray(span.start, end));
  });
}

describe('the seeded generator', () => {
  it('gives the same numbers for the same key, and others for another key', () => {
    const draw = (key: string) => {
      const rng = Prng.forKey(key);
      return Array.from({ length: 20 }, () => rng.next());
    };
    expect(draw('a')).toEqual(draw('a'));
    expect(draw('a')).not.toEqual(draw('b'));
  });

  it('draws whole numbers in range, each value of a small range', () => {
    const rng = Prng.forKey('range');
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const x = rng.below(7);
      expect(Number.isInteger(x) && x >= 0 && x < 7).toBe(true);
      seen.add(x);
      const y = rng.between(10, 12);
      expect(y >= 10 && y <= 12).toBe(true);
    }
    expect(seen.size).toBe(7);
    expect(rng.below(2 ** 40)).toBeLessThan(2 ** 40);
  });
});

describe('the marshal reader', () => {
  it('finds the objects of a marshalled value, with their places and values', () => {
    const bytes = Buffer.concat([Buffer.from('pad'), marshal({ tag: 0, fields: ['name', 1000, { tag: 0, fields: [1, 0] }, 'x'.repeat(40)] })]);
    const m = parseMarshal(bytes, 3);
    expect(m.dataStart).toBe(23);
    expect(m.end).toBe(bytes.length);
    const [name, n, lst, long] = m.root.fields;
    expect(name).toMatchObject({ kind: 'string', text: 'name', start: 24 });
    expect(n).toMatchObject({ kind: 'int', value: 1000n });
    expect(listItems(lst!).map((x) => x.value)).toEqual([1n]);
    expect(long).toMatchObject({ kind: 'string', text: 'x'.repeat(40), end: bytes.length });
    expect(m.root.end).toBe(bytes.length);
  });

  it('refuses a truncated value and a bad magic number', () => {
    const bytes = marshal({ tag: 0, fields: ['name', 1] });
    expect(() => parseMarshal(bytes.subarray(0, bytes.length - 2), 0)).toThrow(/truncated/);
    expect(() => parseMarshal(Buffer.alloc(20), 0)).toThrow(/bad magic/);
  });
});

describe('the layouts of the seeds', () => {
  it('.cmo: the magic, the descriptor offset, the descriptor and its fields; the code protected', () => {
    const l = seedOf('fake.cmo').layout;
    expect(l.protected).toEqual([{ name: 'code of Fake', ...cmo.code }]);
    expect(l.regions.map((r) => r.name)).toEqual(
      expect.arrayContaining(['cmo.magic', 'cmo.cu-offset', 'cu.header', 'cu.data', 'cu.name', 'cu.reloc', 'cu.imports', 'cu.required', 'cu.primitives', 'cu.debug']),
    );
    const reloc = l.regions.find((r) => r.name === 'cu.reloc')!;
    expect(cmo.bytes.subarray(reloc.start, reloc.end).toString('latin1')).toContain('caml_hash');
    // Bytes before the code are never shifted; the descriptor, after it, may be.
    expect(l.regions.find((r) => r.name === 'cmo.magic')!.shiftable).toBe(false);
    expect(reloc.shiftable).toBe(true);
    expect(() => checkLayout(l)).not.toThrow();
  });

  it('.cma: both units and the library fields; both code sections protected', () => {
    const l = seedOf('fake.cma').layout;
    expect(l.protected.map(({ start, end }) => ({ start, end }))).toEqual(cma.code);
    expect(l.regions.map((r) => r.name)).toEqual(expect.arrayContaining(['cma.magic', 'cma.toc-offset', 'lib.header', 'lib.dllibs', 'lib.unit0.reloc', 'lib.unit1.primitives']));
  });

  it('.cmxs: the ELF header and tables, and the plugin header found through the symbol caml_plugin_header', () => {
    const l = seedOf('fake.cmxs').layout;
    const names = l.regions.map((r) => r.name);
    expect(names).toEqual(
      expect.arrayContaining(['elf.ident', 'elf.header', 'elf.phdrs', 'elf.shdrs', 'elf.dynamic', 'elf.dynsym', 'elf.dynstr', 'elf.symtab', 'elf.strtab', 'plugin.header', 'plugin.magic', 'plugin.unit0.crc']),
    );
    expect(l.regions.find((r) => r.name === 'plugin.header')!.start).toBe(cmxs.headerOffset);
    expect(l.regions.find((r) => r.name === 'elf.phdrs')).toMatchObject({ start: 64, end: 120 });
  });

  it('refuses files that are not of their kind', () => {
    expect(() => cmoLayout(cma.bytes)).toThrow(/not a .cmo/);
    expect(() => cmaLayout(cmo.bytes)).toThrow(/not a .cma/);
    expect(() => cmxsLayout(cmo.bytes)).toThrow(/not an ELF64/);
  });
});

describe('the mutation operators', () => {
  const base = Buffer.from([0, 1, 2, 3, 4, 5, 6, 7]);
  it.each<[Mutation, number[]]>([
    [{ op: 'bit-flip', offset: 1, bit: 7 }, [0, 0x81, 2, 3, 4, 5, 6, 7]],
    [{ op: 'set-byte', offset: 0, value: 0xff, how: 'ff' }, [0xff, 1, 2, 3, 4, 5, 6, 7]],
    [{ op: 'set-int', offset: 2, width: 4, endian: 'be', value: '2147483648' }, [0, 1, 0x80, 0, 0, 0, 6, 7]],
    [{ op: 'set-int', offset: 2, width: 2, endian: 'le', value: '65535' }, [0, 1, 0xff, 0xff, 4, 5, 6, 7]],
    [{ op: 'set-int', offset: 0, width: 8, endian: 'le', value: '9223372036854775808' }, [0, 0, 0, 0, 0, 0, 0, 0x80]],
    [{ op: 'truncate', at: 3 }, [0, 1, 2]],
    [{ op: 'duplicate', start: 2, end: 4 }, [0, 1, 2, 3, 2, 3, 4, 5, 6, 7]],
    [{ op: 'remove', start: 2, end: 4 }, [0, 1, 4, 5, 6, 7]],
  ])('%j', (m, expected) => {
    expect([...applyMutation(base, m)]).toEqual(expected);
    expect([...base]).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(describeMutation(m)).not.toBe('');
  });

  it('tries 32- and 64-bit boundaries that fit the width, never the current value', () => {
    expect(boundaryValues(4, 100, 5n)).toEqual(expect.arrayContaining([0n, 0x7fffffffn, 0x80000000n, 0xffffffffn, 100n, 6n, 4n]));
    expect(boundaryValues(4, 100, 5n)).not.toContain(0x1_0000_0000n);
    expect(boundaryValues(8, 100, 0n)).toEqual(expect.arrayContaining([0x7fff_ffff_ffff_ffffn, 0x8000_0000_0000_0000n, 0xffff_ffff_ffff_ffffn]));
    expect(boundaryValues(1, 100, 0x7fn)).not.toContain(0x7fn);
    expect(readInt(Buffer.from([1, 2]), { offset: 0, width: 2, endian: 'le' })).toBe(0x201n);
  });
});

describe('mutants', () => {
  const ids = mutantIds(7, 3000, ['cmo', 'cma', 'cmxs']);

  it('are named <seed>-<kind>-<index> and shared out evenly among the kinds', () => {
    expect(ids.slice(0, 4)).toEqual(['7-cmo-0', '7-cma-0', '7-cmxs-0', '7-cmo-1']);
    expect(ids.filter((i) => i.includes('-cmxs-'))).toHaveLength(1000);
    expect(parseMutantId('7-cmxs-42')).toEqual({ runSeed: 7, kind: 'cmxs', index: 42 });
    expect(parseMutantId('7-exe-42')).toBeUndefined();
  });

  it('are the same for the same id (a run is reproducible, one mutant can be replayed), different across seeds', () => {
    for (const id of ids.slice(0, 300)) {
      const [a, b] = [makeMutant(id, SEEDS), makeMutant(id, SEEDS)];
      expect(a.recipe).toEqual(b.recipe);
      expect(a.bytes.equals(b.bytes)).toBe(true);
    }
    const other = mutantIds(8, 300, ['cmo', 'cma', 'cmxs']).map((id) => JSON.stringify(makeMutant(id, SEEDS).recipe.mutation));
    const same = ids.slice(0, 300).filter((id, i) => JSON.stringify(makeMutant(id, SEEDS).recipe.mutation) === other[i]);
    expect(same.length).toBeLessThan(30);
  });

  it('differ from their seed, stay in their region and use every operator', () => {
    const ops = new Set<string>();
    for (const id of ids) {
      const { recipe, bytes } = makeMutant(id, SEEDS);
      const seed = seedOf(recipe.seed);
      expect(bytes.equals(seed.bytes), id).toBe(false);
      const region = seed.layout.regions.find((r) => r.name === recipe.region)!;
      const t = touchedRange(recipe.mutation);
      expect(t.start >= region.start && t.end <= region.end, `${id}: ${describeMutation(recipe.mutation)} in ${region.name}`).toBe(true);
      ops.add(recipe.mutation.op);
    }
    expect([...ops].sort()).toEqual(['bit-flip', 'duplicate', 'remove', 'set-byte', 'set-int', 'truncate']);
  });

  it('never touch nor move the code section of a .cmo or a .cma', () => {
    let truncatedOrShifted = 0;
    for (const id of ids.filter((i) => !i.includes('-cmxs-'))) {
      const { recipe, bytes } = makeMutant(id, SEEDS);
      const seed = seedOf(recipe.seed);
      expect(codeUntouched(seed.bytes, bytes, seed.layout), `${id}: ${describeMutation(recipe.mutation)}`).toBe(true);
      const t = touchedRange(recipe.mutation);
      for (const span of seed.layout.protected) expect(t.start < span.end && span.start < t.end, id).toBe(false);
      if (bytes.length !== seed.bytes.length) truncatedOrShifted++;
    }
    expect(truncatedOrShifted).toBeGreaterThan(100);
    // The check itself sees a changed code byte.
    const changed = Buffer.from(cmo.bytes);
    changed[cmo.code.start + 3] ^= 1;
    expect(codeUntouched(cmo.bytes, changed, seedOf('fake.cmo').layout)).toBe(false);
    expect(codeBytes(4)).toEqual(cmo.bytes.subarray(16, 20));
  });

  // The real seeds, once npm run fuzz has built them.
  const built = join(fileURLToPath(new URL('..', import.meta.url)), '.cache', 'fuzz', 'seeds');
  it.skipIf(!existsSync(join(built, 'seed_unit.cmo')))('never touch the code of the real seeds either', () => {
    const real = ['seed_unit.cmo', 'seed_lib.cma', 'seed_unit.cmxs'].map((f) => seedFromBytes(f, readFileSync(join(built, f))));
    for (const id of mutantIds(3, 1500, ['cmo', 'cma'])) {
      const { recipe, bytes } = makeMutant(id, real);
      const seed = real.find((s) => s.name === recipe.seed)!;
      expect(codeUntouched(seed.bytes, bytes, seed.layout), id).toBe(true);
    }
  });
});

describe('the classifier', () => {
  const obs = (o: Partial<RunObservation>): RunObservation => ({ exitCode: 0, timedOut: false, stdout: '', stderr: '', ...o });
  it.each<[Partial<RunObservation>, string, string]>([
    [{ stdout: 'loaded\n' }, 'loaded', 'loaded'],
    [{ stdout: 'refused: error loading shared library: End_of_file\n' }, 'refused', 'refused: error loading shared library: End_of_file'],
    [{ stdout: 'exception: Not_found\n' }, 'refused', 'exception: Not_found'],
    [{ stdout: 'noise from the plugin\nloaded\n' }, 'loaded', 'loaded'],
    [{ exitCode: 139, signal: 'SIGSEGV', stdout: '' }, 'crashed', 'SIGSEGV'],
    [{ exitCode: 134, signal: 'SIGABRT', stderr: 'Fatal error: bad bytecode\n' }, 'crashed', 'SIGABRT: Fatal error: bad bytecode'],
    [{ exitCode: 2, stderr: '\nFatal error: exception Stack_overflow\n' }, 'crashed', 'exit 2: Fatal error: exception Stack_overflow'],
    [{ exitCode: 137, timedOut: true, signal: 'SIGKILL', stdout: 'loaded\n' }, 'crashed', 'timeout after 10 s'],
    [{ exitCode: 0, stdout: 'something else\n' }, 'crashed', 'exit 0 without a verdict line'],
    // A refusal quoting bytes of the mutant: any character, a carriage return or a line separator included.
    [{ stdout: 'refused: no implementation available for \u0001\r\u2028x\n' }, 'refused', 'refused: no implementation available for \u0001\r\u2028x'],
  ])('%j is %s', (o, verdict, detail) => {
    expect(classify(obs(o), 10)).toEqual({ verdict, detail });
  });

  it('calls a finding a crash of the crossloading loader that the stock one survived', () => {
    expect(isFinding('crashed', 'refused')).toBe(true);
    expect(isFinding('crashed', 'loaded')).toBe(true);
    expect(isFinding('crashed', 'crashed')).toBe(false);
    expect(isFinding('refused', 'crashed')).toBe(false);
    expect(isFinding('loaded', 'refused')).toBe(false);
  });

  it('groups crashes by a signature without addresses, numbers or paths', () => {
    expect(crashSignature('exit 2: Fatal error: bad pc 0x7f12ab at /tmp/x/1-cmo-3.cmo:12')).toBe('exit #: Fatal error: bad pc # at <file>');
  });
});

describe('the counts of a run', () => {
  const run = (verdict: LoaderRun['verdict'], detail = verdict as string): LoaderRun => ({ verdict, detail, exitCode: verdict === 'crashed' ? 139 : 0, timedOut: false, durationMs: 1 });
  const result = (i: number, kind: 'cmo' | 'cmxs', x: LoaderRun, s: LoaderRun): MutantResult => ({
    recipe: { id: `1-${kind}-${i}`, kind, seed: `s.${kind}`, region: 'r', mutation: { op: 'truncate', at: 1 } },
    size: 1,
    crossload: x,
    stock: s,
    finding: isFinding(x.verdict, s.verdict),
  });
  const results = [
    result(0, 'cmo', run('loaded'), run('loaded')),
    result(1, 'cmo', run('refused'), run('loaded')),
    result(2, 'cmo', run('crashed', 'SIGSEGV'), run('crashed', 'SIGBUS')),
    result(3, 'cmxs', run('crashed', 'SIGSEGV'), run('refused')),
    result(4, 'cmxs', run('crashed', 'SIGSEGV'), run('loaded')),
    result(5, 'cmxs', run('refused'), run('crashed', 'SIGBUS')),
  ];

  it('counts verdicts, shared crashes, findings and stock-only crashes', () => {
    expect(countResults(results)).toEqual({
      tried: 6,
      loaded: 1,
      refused: 2,
      crashed: 3,
      crashedInStockToo: 1,
      findings: 2,
      stockLoaded: 3,
      stockRefused: 1,
      stockCrashed: 2,
      stockOnlyCrashes: 1,
      loadedVsRefused: 1,
    });
    expect(fuzzSummaryLine(results)).toBe('fuzz: 4 passed, 2 failed, 0 skipped, 0 known');
  });

  it('counts a crash that the stock loader shows only in a rerun as a crash of both, not a finding', () => {
    const rerun = { ...result(6, 'cmxs', run('crashed', 'SIGSEGV'), run('refused')), recheck: { stockRuns: 3, stockCrash: 'SIGSEGV', crossloadRuns: 5, crossloadCrashes: 5 }, finding: false };
    expect(countResults([rerun])).toMatchObject({ crashed: 1, crashedInStockToo: 1, findings: 0, stockCrashed: 0 });
  });

  it('counts a crash where the stock loader makes memory errors under memcheck as a crash of both, not a finding', () => {
    const checked = { ...result(7, 'cmo', run('crashed', 'SIGSEGV'), run('refused')), recheck: { stockRuns: 10, stockMemoryError: 'Invalid read of size 1', crossloadRuns: 5, crossloadCrashes: 5 }, finding: false };
    expect(countResults([checked])).toMatchObject({ crashed: 1, crashedInStockToo: 1, findings: 0, stockCrashed: 0 });
  });

  it("reads memcheck's first error, not its other lines", () => {
    expect(memcheckError(['==123== Invalid read of size 8', '==123==    at 0x4: f (a.c:1)'])).toBe('Invalid read of size 8');
    expect(memcheckError(['refused: x', '==9== Use of uninitialised value of size 8'])).toBe('Use of uninitialised value of size 8');
    expect(memcheckError(['==9==    at 0x4: f (a.c:1)', 'Segmentation fault'])).toBeUndefined();
    expect(memcheckError(undefined)).toBeUndefined();
  });

  it('runs a loader under memcheck with its own command line after valgrind', () => {
    const loader = { role: 'stock' as const, description: 'host', command: (f: string): [string, string[]] => ['/bin/host', ['-x', f]] };
    expect(underMemcheck(loader).command('m.cmo')).toEqual(['valgrind', ['-q', '--error-exitcode=99', '--leak-check=no', '/bin/host', '-x', 'm.cmo']]);
  });

  it('groups findings by kind and signature', () => {
    const groups = groupCrashes(results.filter((r) => r.finding), 'crossload');
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ kind: 'cmxs', signature: 'SIGSEGV', regions: { r: 2 } });
  });

  it('and, where gdb ran them, by where they crashed', () => {
    const bt = (fn: string) => ['Program received signal SIGSEGV, Segmentation fault.', `#0  ${fn} (x=1) at a.c:1`, '#1  0x0000555555621bd8 in camlDynlink.load_1870 () at dynlink.ml:565', '#2  <signal handler called>', '#3  0x0000555555621bd8 in main () at main.c:1'];
    expect(crashSite(bt('caml_find_frame_descr'))).toBe('caml_find_frame_descr < camlDynlink.load < main');
    const groups = groupCrashes(results.filter((r) => r.finding), 'crossload', new Map([['1-cmxs-3', bt('f')], ['1-cmxs-4', bt('g')]]));
    expect(groups.map((g) => g.site).sort()).toEqual(['f < camlDynlink.load < main', 'g < camlDynlink.load < main']);
  });
});
