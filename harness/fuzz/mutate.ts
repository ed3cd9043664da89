import type { Layout, Region } from './layout.ts';
import type { IntField } from './marshal.ts';
import type { Prng } from './prng.ts';

/**
 * The mutation operators. A mutation is data (a recipe), so that a mutant can be written down, shown and made
 * again: `applyMutation(seed bytes, mutation)` is the mutant.
 */
export type Mutation =
  | { op: 'bit-flip'; offset: number; bit: number }
  | { op: 'set-byte'; offset: number; value: number; how: 'zero' | 'ff' | 'random' }
  /** An integer of the format set to a boundary value; `value` is decimal (it may need 64 bits). */
  | { op: 'set-int'; offset: number; width: 1 | 2 | 4 | 8; endian: 'be' | 'le'; value: string }
  | { op: 'truncate'; at: number }
  /** The bytes [start, end) inserted again at end. */
  | { op: 'duplicate'; start: number; end: number }
  | { op: 'remove'; start: number; end: number };

export type MutationOp = Mutation['op'];

/** How often each operator is chosen, where it applies. */
const OP_WEIGHTS: readonly (readonly [MutationOp, number])[] = [
  ['bit-flip', 3],
  ['set-byte', 2],
  ['set-int', 3],
  ['truncate', 1],
  ['duplicate', 1],
  ['remove', 1],
];

/** The largest range a duplication or removal spans, in structural boundaries (one object, a few entries). */
const MAX_RANGE_STEPS = 4;

/** The mutant: a copy of `seed` with the mutation made (never `seed` itself). */
export function applyMutation(seed: Uint8Array, m: Mutation): Buffer {
  const out = Buffer.from(seed);
  switch (m.op) {
    case 'bit-flip':
      out[m.offset] = out[m.offset]! ^ (1 << m.bit);
      return out;
    case 'set-byte':
      out[m.offset] = m.value;
      return out;
    case 'set-int':
      writeInt(out, m.offset, m.width, m.endian, BigInt(m.value));
      return out;
    case 'truncate':
      return out.subarray(0, m.at);
    case 'duplicate':
      return Buffer.concat([out.subarray(0, m.end), out.subarray(m.start, m.end), out.subarray(m.end)]);
    case 'remove':
      return Buffer.concat([out.subarray(0, m.start), out.subarray(m.end)]);
  }
}

function writeInt(out: Buffer, offset: number, width: 1 | 2 | 4 | 8, endian: 'be' | 'le', value: bigint): void {
  const v = BigInt.asUintN(width * 8, value);
  for (let i = 0; i < width; i++) {
    const byte = Number((v >> BigInt(8 * i)) & 0xffn);
    out[endian === 'le' ? offset + i : offset + width - 1 - i] = byte;
  }
}

export function readInt(buf: Uint8Array, f: IntField): bigint {
  let v = 0n;
  for (let i = 0; i < f.width; i++) v = (v << 8n) | BigInt(buf[f.endian === 'be' ? f.offset + i : f.offset + f.width - 1 - i]!);
  return v;
}

/** The boundary values tried for an integer of `width` bytes in a file of `size` bytes whose value is `current`. */
export function boundaryValues(width: 1 | 2 | 4 | 8, size: number, current: bigint): bigint[] {
  const bits = BigInt(width * 8);
  const all = [0n, 1n, 0x7fn, 0x80n, 0xffn, 0x7fffn, 0x8000n, 0xffffn, 0x7fff_ffffn, 0x8000_0000n, 0xffff_ffffn, 0x1_0000_0000n, 0x7fff_ffff_ffff_ffffn, 0x8000_0000_0000_0000n, 0xffff_ffff_ffff_ffffn];
  const relative = [BigInt(size), BigInt(size) + 1n, current + 1n, current - 1n, 2n * current];
  const fits = (v: bigint) => v >= 0n && v < 1n << bits;
  const values = [...all.filter(fits), ...relative.map((v) => BigInt.asUintN(Number(bits), v))];
  return [...new Set(values)].filter((v) => v !== current);
}

/** The region's structural offsets, its ends included. */
function boundariesOf(r: Region): number[] {
  return [...new Set([r.start, ...r.boundaries, r.end])].sort((a, b) => a - b);
}

/**
 * Chooses a mutation of `seed` in `region` (of `layout`). Every mutation changes the file: bytes set to a value
 * they do not hold, a truncation short of the end, a non-empty range. Operators that move bytes (duplicate,
 * remove) are chosen only in shiftable regions.
 */
export function chooseMutation(rng: Prng, layout: Layout, region: Region, seed: Uint8Array): Mutation {
  const cuts = boundariesOf(region).filter((b) => b < layout.size);
  const ops = OP_WEIGHTS.filter(([op]) => {
    if (op === 'set-int') return region.ints.length > 0;
    if (op === 'duplicate' || op === 'remove') return region.shiftable && cuts.length >= 2;
    if (op === 'truncate') return cuts.length > 0;
    return true;
  });
  const op = rng.weighted(ops);
  switch (op) {
    case 'bit-flip':
      return { op, offset: rng.between(region.start, region.end - 1), bit: rng.below(8) };
    case 'set-byte': {
      const offset = rng.between(region.start, region.end - 1);
      const current = seed[offset]!;
      const hows = (['zero', 'ff', 'random'] as const).filter((h) => (h === 'zero' ? current !== 0 : h === 'ff' ? current !== 0xff : true));
      const how = rng.pick(hows);
      const value = how === 'zero' ? 0 : how === 'ff' ? 0xff : (current + 1 + rng.below(255)) % 256;
      return { op, offset, value, how };
    }
    case 'set-int': {
      const field = rng.pick(region.ints);
      const value = rng.pick(boundaryValues(field.width, layout.size, readInt(seed, field)));
      return { op, offset: field.offset, width: field.width, endian: field.endian, value: value.toString() };
    }
    case 'truncate':
      return { op, at: rng.pick(cuts) };
    case 'duplicate':
    case 'remove': {
      const bounds = boundariesOf(region);
      const i = rng.below(bounds.length - 1);
      const j = Math.min(bounds.length - 1, i + 1 + rng.below(MAX_RANGE_STEPS));
      return { op, start: bounds[i]!, end: bounds[j]! };
    }
  }
}

/** One line for a report: what the mutation did. */
export function describeMutation(m: Mutation): string {
  const hex = (n: number) => `0x${n.toString(16)}`;
  switch (m.op) {
    case 'bit-flip':
      return `bit ${m.bit} of byte ${hex(m.offset)} flipped`;
    case 'set-byte':
      return `byte ${hex(m.offset)} set to ${hex(m.value)} (${m.how})`;
    case 'set-int':
      return `${m.width * 8}-bit ${m.endian} integer at ${hex(m.offset)} set to 0x${BigInt(m.value).toString(16)}`;
    case 'truncate':
      return `truncated at ${hex(m.at)}`;
    case 'duplicate':
      return `bytes [${hex(m.start)}, ${hex(m.end)}) duplicated`;
    case 'remove':
      return `bytes [${hex(m.start)}, ${hex(m.end)}) removed`;
  }
}

/** The offsets a mutation writes or cuts at, to check that it stays out of protected spans. */
export function touchedRange(m: Mutation): { start: number; end: number } {
  switch (m.op) {
    case 'bit-flip':
    case 'set-byte':
      return { start: m.offset, end: m.offset + 1 };
    case 'set-int':
      return { start: m.offset, end: m.offset + m.width };
    case 'truncate':
      return { start: m.at, end: m.at };
    case 'duplicate':
    case 'remove':
      return { start: m.start, end: m.end };
  }
}
