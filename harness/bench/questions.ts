import type { Kernel } from './kernels.ts';
import { median, spread } from './stats.ts';

/** All samples of a run: variant → kernel → processor seconds per kernel run. */
export type Samples = Map<string, Map<string, number[]>>;

export interface Figure {
  question: string;
  label: string;
  /** A ratio (>1 = the first is faster) or ns per call. */
  value: number;
  unit: 'ratio' | 'ns/call' | 'bytes' | 'ms';
  target?: string;
  spread?: number;
}

const med = (s: Samples, v: string, k: string) => {
  const xs = s.get(v)?.get(k);
  return xs && xs.length ? median(xs) : undefined;
};
const spr = (s: Samples, vs: string[], k: string) => Math.max(...vs.map((v) => spread(s.get(v)?.get(k) ?? [])));

/**
 * Speed of `fast` relative to `slow` on kernel k: time(slow) / time(fast),
 * undefined when either did not run (a variant the compiler cannot do yet).
 */
function speedRatio(s: Samples, fast: string, slow: string, k: string): { value: number; spread: number } | undefined {
  const a = med(s, fast, k);
  const b = med(s, slow, k);
  return a && b ? { value: b / a, spread: spr(s, [fast, slow], k) } : undefined;
}

export function figures(s: Samples, compute: Kernel[], crossing: Kernel[], nFor: (k: Kernel) => number): Figure[] {
  const out: Figure[] = [];
  const ratio = (question: string, label: string, r: { value: number; spread: number } | undefined, target?: string) => {
    if (r) out.push({ question, label, value: r.value, unit: 'ratio', spread: r.spread, ...(target ? { target } : {}) });
  };
  for (const k of compute) {
    ratio('0. what native code buys (pure programs)', `${k.name}: native vs byte`, speedRatio(s, 'native', 'byte', k.name));
    ratio('1. native code from bytecode', `${k.name}: byte+cmxs vs native`, speedRatio(s, 'byte+cmxs', 'native', k.name), '≥ 0.9');
    ratio('1. native code from bytecode', `${k.name}: byte+cmxs vs byte`, speedRatio(s, 'byte+cmxs', 'byte', k.name));
    // A kernel #loaded as .cmxs into a toplevel and called from a phrase, against the pure native program.
    for (const top of ['ocaml.opt', 'ocaml']) ratio('1. native code from bytecode', `${k.name}: ${top}+cmxs vs native`, speedRatio(s, `${top}+cmxs`, 'native', k.name), '≥ 0.9');
    // The same .cmxs in a native host: what natdynlink code costs by itself, apart from crossloading.
    ratio('1. native code from bytecode', `${k.name}: native+cmxs vs native`, speedRatio(s, 'native+cmxs', 'native', k.name));
    for (const host of ['byte', 'ocaml.opt']) ratio('1. native code from bytecode', `${k.name}: ${host}+cmxs vs native+cmxs`, speedRatio(s, `${host}+cmxs`, 'native+cmxs', k.name), '≥ 0.9');
    ratio('2. bytecode from native', `${k.name}: native+cmo vs byte`, speedRatio(s, 'native+cmo', 'byte', k.name), '≥ 0.95');
    ratio('5. no cost when unused', `${k.name}: native vs pristine native`, speedRatio(s, 'native', 'pristine-native', k.name), '≈ 1');
    ratio('5. no cost when unused', `${k.name}: byte vs pristine byte`, speedRatio(s, 'byte', 'pristine-byte', k.name), '≈ 1');
  }
  for (const k of crossing) {
    for (const v of ['native', 'byte', 'native+cmo', 'byte+cmxs']) {
      const m = med(s, v, k.name);
      if (m !== undefined) out.push({ question: '3. crossing cost', label: `${k.name} [${v}]`, value: (m / nFor(k)) * 1e9, unit: 'ns/call', spread: spread(s.get(v)!.get(k.name)!) });
    }
  }
  return out;
}
