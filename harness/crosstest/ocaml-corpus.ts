import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { HostSpec, TestCase } from './test-case.ts';

/**
 * OCaml's own test programs, discovered in ocaml-src/testsuite/tests (never
 * copied): every `<name>.ml` with a `<name>.reference` is a candidate; each
 * is compiled as a plugin unit and loaded by a generic host in every mode.
 * Candidates that cannot work that way are excluded by the rules below, each
 * with its reason; nothing is excluded by name.
 */
export interface ExclusionRule {
  id: string;
  reason: string;
}

export const RULES = {
  specialSetup: {
    id: 'special-setup',
    reason: 'its TEST header asks ocamltest for a setup (flags, extra modules, libraries, one backend, expected failure…) a generic plugin host does not give',
  },
  backendReference: {
    id: 'backend-specific-reference',
    reason: 'it has a per-backend reference (.byte/.opt/.native.reference): its output differs between bytecode and native by design',
  },
  allocationCounts: {
    id: 'allocation-counts',
    reason:
      "it reads the program's allocation counters (Gc.allocated_bytes, Gc.minor_words, Gc.counters, Gc.quick_stat, Gc.Memprof) and expects the counts of a program that allocates nothing else; loaded as a plugin, it runs inside Dynlink.loadfile, which allocates too",
  },
  unitClash: {
    id: 'unit-name-clash',
    reason: 'its unit name is already taken in the host (Stdlib, Dynlink or the host itself), so Dynlink must refuse it',
  },
} satisfies Record<string, ExclusionRule>;

const GC_STRESS_DOMAINS =
  'it spawns domains: every minor collection stops all of them, and with a 4k-word minor heap the long computations of these tests run for minutes';

export interface Corpus {
  tests: TestCase[];
  excluded: Array<{ rule: ExclusionRule; test: string }>;
}

/** Statements of the `(* TEST … *)` header, or undefined when there is none. */
export function testHeader(source: string): string[] | undefined {
  const m = /^\s*\(\* TEST(.*?)\*\)/s.exec(source);
  if (!m) return undefined;
  return m[1]!
    .split(/[;\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function discoverOcamlTests(opts: { testsDir: string; supportDir: string; testingLibDir: string; takenUnits: ReadonlySet<string> }): Corpus {
  const tests: TestCase[] = [];
  const excluded: Corpus['excluded'] = [];
  const plainHost: HostSpec = { key: 'ocaml-generic', dir: opts.supportDir, sources: ['crosstest_host.ml'] };
  const testingHost: HostSpec = {
    key: 'ocaml-generic-testing',
    dir: opts.supportDir,
    sources: [join(opts.testingLibDir, 'testing.mli'), join(opts.testingLibDir, 'testing.ml'), 'crosstest_host.ml'],
  };
  for (const dir of walk(opts.testsDir)) {
    const files = new Set(readdirSync(dir));
    for (const file of [...files].filter((f) => f.endsWith('.ml')).sort()) {
      const base = file.slice(0, -3);
      if (!files.has(`${base}.reference`)) continue;
      const name = `ocaml/${relative(opts.testsDir, join(dir, base))}`;
      const source = readFileSync(join(dir, file), 'latin1');
      const header = testHeader(source);
      const needsTesting = header?.length === 1 && header[0] === 'include testing';
      if (header === undefined || (header.length > 0 && !needsTesting)) {
        excluded.push({ rule: RULES.specialSetup, test: name });
      } else if (['byte', 'opt', 'native'].some((b) => files.has(`${base}.${b}.reference`))) {
        excluded.push({ rule: RULES.backendReference, test: name });
      } else if (/\bGc\.(allocated_bytes|minor_words|counters|quick_stat|Memprof)\b/.test(source)) {
        excluded.push({ rule: RULES.allocationCounts, test: name });
      } else if (opts.takenUnits.has(base.toLowerCase())) {
        excluded.push({ rule: RULES.unitClash, test: name });
      } else {
        tests.push({
          name,
          dir,
          description: `OCaml's own test ${relative(opts.testsDir, join(dir, file))}`,
          host: needsTesting ? testingHost : plainHost,
          plugins: [file],
          env: { CROSSTEST_PLUGIN: base },
          status: 0,
          output: 'merged',
          referenceFile: join(dir, `${base}.reference`),
          ...(/\bDomain\.spawn\b/.test(source) ? { skipUnderGcStress: GC_STRESS_DOMAINS } : {}),
        });
      }
    }
  }
  return { tests, excluded };
}

function* walk(dir: string): Generator<string> {
  yield dir;
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    if (d.isDirectory() && !d.name.startsWith('_')) yield* walk(join(dir, d.name));
  }
}

/** Unit names the generic host already has: its own units and every installed library unit it may link. */
export function hostUnitNames(prefix: string): Set<string> {
  const names = new Set(['crosstest', 'crosstest_host', 'crosstest_loader', 'testing']);
  for (const dir of [join(prefix, 'lib', 'ocaml'), join(prefix, 'lib', 'ocaml', 'dynlink')]) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) if (f.endsWith('.cmi')) names.add(basename(f, '.cmi').toLowerCase());
  }
  return names;
}
