import { allNodes, type IntField, type MarshalNode, type Marshalled } from './marshal.ts';

/** The kinds of plugin files the fuzzer mutates, each fed to the loaders of that kind. */
export const FILE_KINDS = ['cmo', 'cma', 'cmxs'] as const;
export type FileKind = (typeof FILE_KINDS)[number];

/**
 * A structural part of a file that mutations may aim at: a header, a table, one field of a marshalled descriptor.
 * Mutations stay inside their region; truncations, duplications and removals cut at its boundaries.
 */
export interface Region {
  /** e.g. `cmo.magic`, `cu.reloc`, `lib.unit1.primitives`, `elf.phdrs`, `plugin.unit0.crc` */
  name: string;
  start: number;
  end: number;
  /** The integers of the format inside the region (fields of ELF structures, lengths and headers of marshalled objects). */
  ints: IntField[];
  /** Offsets in [start, end] where one structure ends and the next begins: an ELF entry, a marshalled object. */
  boundaries: number[];
  /**
   * May bytes be inserted or removed here? Not where that would move a code section (bytecode is trusted as ocamlrun
   * trusts it: its bytes and their places are never changed).
   */
  shiftable: boolean;
}

/** A byte range that no mutation touches: the bytecode of a unit. */
export interface Span {
  name: string;
  start: number;
  end: number;
}

export interface Layout {
  kind: FileKind;
  size: number;
  regions: Region[];
  /** The code sections (of .cmo and .cma files): never mutated, never moved. */
  protected: Span[];
}

/** A seed file whose structure is not what the fuzzer expects. */
export class LayoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LayoutError';
  }
}

/** A region made of marshalled objects: their integers, and their starts and ends as boundaries. */
export function nodesRegion(name: string, nodes: readonly MarshalNode[]): Omit<Region, 'shiftable'> {
  const all = nodes.flatMap((n) => allNodes(n));
  const start = Math.min(...nodes.map((n) => n.start));
  const end = Math.max(...nodes.map((n) => n.end));
  return { name, start, end, ints: all.flatMap((n) => n.ints), boundaries: uniqueSorted(all.flatMap((n) => [n.start, n.end])) };
}

/** The header of a marshalled value (magic, data length, number of objects, sizes) as a region. */
export function marshalHeaderRegion(name: string, m: Marshalled): Omit<Region, 'shiftable'> {
  return { name, start: m.start, end: m.dataStart, ints: m.headerInts, boundaries: uniqueSorted([m.start, ...m.headerInts.map((f) => f.offset), m.dataStart]) };
}

export function uniqueSorted(xs: readonly number[]): number[] {
  return [...new Set(xs)].sort((a, b) => a - b);
}

/** Regions get `shiftable` from the protected spans: shifting is allowed only past every code section. */
export function withShiftable(regions: readonly Omit<Region, 'shiftable'>[], protectedSpans: readonly Span[]): Region[] {
  return regions.map((r) => ({ ...r, shiftable: protectedSpans.every((p) => p.end <= r.start) }));
}

/** Checks the invariants every layout keeps: regions inside the file, apart from the protected spans. */
export function checkLayout(layout: Layout): void {
  for (const r of layout.regions) {
    if (!(0 <= r.start && r.start < r.end && r.end <= layout.size)) throw new Error(`region ${r.name} [${r.start}, ${r.end}) is not inside the file (${layout.size} bytes)`);
    for (const p of layout.protected) {
      if (r.start < p.end && p.start < r.end) throw new Error(`region ${r.name} overlaps ${p.name}`);
    }
    for (const f of r.ints) if (f.offset < r.start || f.offset + f.width > r.end) throw new Error(`an integer of ${r.name} lies outside it`);
    for (const b of r.boundaries) if (b < r.start || b > r.end) throw new Error(`a boundary of ${r.name} lies outside it`);
  }
}
