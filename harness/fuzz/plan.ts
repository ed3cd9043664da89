import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cmaLayout, cmoLayout } from './bytecode-layout.ts';
import { cmxsLayout } from './elf-layout.ts';
import { FILE_KINDS, type FileKind, type Layout } from './layout.ts';
import { applyMutation, chooseMutation, type Mutation } from './mutate.ts';
import { Prng } from './prng.ts';

/** A seed plugin: a well-formed file that both loaders of its kind load, and the structure mutations aim at. */
export interface Seed {
  /** Its file name, e.g. `seed_unit.cmo`. */
  name: string;
  kind: FileKind;
  bytes: Buffer;
  sha256: string;
  layout: Layout;
}

/** What a mutant is, enough to make it again from its seed. */
export interface Recipe {
  id: string;
  kind: FileKind;
  seed: string;
  region: string;
  mutation: Mutation;
}

export interface Mutant {
  recipe: Recipe;
  bytes: Buffer;
}

export function layoutOf(kind: FileKind, bytes: Buffer): Layout {
  return kind === 'cmo' ? cmoLayout(bytes) : kind === 'cma' ? cmaLayout(bytes) : cmxsLayout(bytes);
}

export function fileKindOf(name: string): FileKind {
  const ext = name.slice(name.lastIndexOf('.') + 1);
  if (!(FILE_KINDS as readonly string[]).includes(ext)) throw new Error(`${name}: not a .cmo, .cma or .cmxs file`);
  return ext as FileKind;
}

export function seedFromBytes(name: string, bytes: Buffer): Seed {
  const kind = fileKindOf(name);
  return { name, kind, bytes, sha256: createHash('sha256').update(bytes).digest('hex'), layout: layoutOf(kind, bytes) };
}

export function readSeed(file: string): Seed {
  return seedFromBytes(file.slice(file.lastIndexOf('/') + 1), readFileSync(file));
}

/**
 * A mutant's name and replay id: `<run seed>-<kind>-<index>`, e.g. `1-cmxs-42`. It alone decides the mutant (with
 * the seed files): its generator is seeded from it, whatever the run's count or kinds.
 */
export function mutantId(runSeed: number, kind: FileKind, index: number): string {
  return `${runSeed}-${kind}-${index}`;
}

export function parseMutantId(id: string): { runSeed: number; kind: FileKind; index: number } | undefined {
  const m = /^(\d+)-(cmo|cma|cmxs)-(\d+)$/.exec(id);
  if (!m) return undefined;
  const [runSeed, index] = [Number(m[1]), Number(m[3])];
  if (!Number.isSafeInteger(runSeed) || !Number.isSafeInteger(index)) return undefined;
  return { runSeed, kind: m[2] as FileKind, index };
}

/** The ids of a run: `total` mutants shared out evenly among the kinds, in turn (cmo, cma, cmxs, cmo, …). */
export function mutantIds(runSeed: number, total: number, kinds: readonly FileKind[]): string[] {
  return Array.from({ length: total }, (_, i) => mutantId(runSeed, kinds[i % kinds.length]!, Math.floor(i / kinds.length)));
}

/** Makes the mutant `id` from the seeds: a seed of its kind, a region of that seed, a mutation in that region. */
export function makeMutant(id: string, seeds: readonly Seed[]): Mutant {
  const parsed = parseMutantId(id);
  if (!parsed) throw new Error(`not a mutant id: ${JSON.stringify(id)} (expected <seed>-<cmo|cma|cmxs>-<index>)`);
  const candidates = seeds.filter((s) => s.kind === parsed.kind).sort((a, b) => a.name.localeCompare(b.name));
  if (candidates.length === 0) throw new Error(`no seed of kind ${parsed.kind}`);
  const rng = Prng.forKey(`crossload-fuzz/${id}`);
  const seed = rng.pick(candidates);
  const region = rng.pick(seed.layout.regions);
  const mutation = chooseMutation(rng, seed.layout, region, seed.bytes);
  return { recipe: { id, kind: parsed.kind, seed: seed.name, region: region.name, mutation }, bytes: applyMutation(seed.bytes, mutation) };
}
