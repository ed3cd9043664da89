import { createHash } from 'node:crypto';

/**
 * A seeded pseudo-random generator (xoshiro128**), so that a fuzz run is reproducible: the same seed gives the same
 * numbers on every machine. Each mutant has its own generator, seeded from the run's seed and the mutant's name
 * (`forKey`), so one mutant can be remade (--replay) without remaking the others.
 */
export class Prng {
  private s: Uint32Array;

  constructor(words: readonly [number, number, number, number]) {
    this.s = Uint32Array.from(words);
    // An all-zero state would stay zero.
    if (this.s.every((w) => w === 0)) this.s[0] = 1;
  }

  /** A generator seeded from any string (sha256 of it). */
  static forKey(key: string): Prng {
    const h = createHash('sha256').update(key).digest();
    return new Prng([h.readUInt32LE(0), h.readUInt32LE(4), h.readUInt32LE(8), h.readUInt32LE(12)]);
  }

  /** The next 32 random bits, as an unsigned number. */
  next(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5), 7), 9) >>> 0;
    const t = s[1]! << 9;
    s[2] ^= s[0]!;
    s[3] ^= s[1]!;
    s[1] ^= s[2]!;
    s[0] ^= s[3]!;
    s[2] ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }

  /** A whole number in [0, n), n >= 1 (unbiased). */
  below(n: number): number {
    if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`Prng.below(${n})`);
    if (n <= 0x1_0000_0000) {
      const limit = 0x1_0000_0000 - (0x1_0000_0000 % n);
      for (;;) {
        const x = this.next();
        if (x < limit) return x % n;
      }
    }
    // Wider ranges: 53 bits from two draws.
    for (;;) {
      const x = (this.next() >>> 5) * 0x8000000 + (this.next() >>> 6);
      const limit = 2 ** 53 - (2 ** 53 % n);
      if (x < limit) return x % n;
    }
  }

  /** A whole number in [lo, hi]. */
  between(lo: number, hi: number): number {
    return lo + this.below(hi - lo + 1);
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Prng.pick of an empty array');
    return items[this.below(items.length)]!;
  }

  /** One element, chosen with probability proportional to its weight (weights > 0). */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((n, [, w]) => n + w, 0);
    let x = this.below(total);
    for (const [item, w] of items) {
      if (x < w) return item;
      x -= w;
    }
    throw new RangeError('Prng.weighted of an empty array');
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
