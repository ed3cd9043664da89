/** The benchmark kernels (bench/kernels/*.ml) and their input sizes. */
export interface Kernel {
  name: string;
  /** Source unit that registers it. */
  unit: string;
  /** Input for a full run (about 0.1 s of native code) and for --quick. */
  n: number;
  quickN: number;
  /** Crossing kernels report ns per call (n calls per run). */
  perCall?: boolean;
}

export const COMPUTE_KERNELS: Kernel[] = [
  { name: 'nbody', unit: 'nbody', n: 1_000_000, quickN: 20_000 },
  { name: 'fannkuch', unit: 'fannkuch', n: 10, quickN: 7 },
  { name: 'binary_trees', unit: 'binary_trees', n: 20_000, quickN: 200 },
  { name: 'sieve', unit: 'sieve', n: 20, quickN: 1 },
  { name: 'strings_hashtbl', unit: 'strings_hashtbl', n: 400, quickN: 10 },
];

export const CROSSING_KERNELS: Kernel[] = [
  ...['1', '2', '3', '5', 'exn'].flatMap((a) => [
    { name: `host_calls_plugin_${a}`, unit: 'crossing', n: 2_000_000, quickN: 20_000, perCall: true },
    { name: `plugin_calls_host_${a}`, unit: 'crossing', n: 2_000_000, quickN: 20_000, perCall: true },
  ]),
  // The reference: C calling OCaml with caml_callback, in a plain program of each side.
  { name: 'c_calls_ocaml_1', unit: 'c_callback', n: 2_000_000, quickN: 20_000, perCall: true },
];

export const ALL_KERNELS = [...COMPUTE_KERNELS, ...CROSSING_KERNELS];
