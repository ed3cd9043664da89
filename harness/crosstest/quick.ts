/**
 * `--quick` (what `npm test` runs): every own test, and a fixed sample of
 * OCaml's own test programs, the first and then every QUICK_STRIDE-th in
 * name order (code-point order, the same on every machine), so the sample
 * spreads over all of OCaml's test directories and only changes when the
 * corpus does. Both still run in every mode.
 */
export const QUICK_STRIDE = 4;

export function quickSample<T extends { name: string }>(tests: readonly T[]): T[] {
  return [...tests].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).filter((_, i) => i % QUICK_STRIDE === 0);
}

/** Which tests a run covers, in a few words, for the summary and the reports. */
export function subsetLabel(opts: { quick: boolean; corpus: string; only?: string | undefined; ocamlSampled: number; ocamlTotal: number }): string {
  const corpus = [opts.corpus === 'all' ? '' : ` --corpus ${opts.corpus}`, opts.only ? ` --only ${opts.only}` : ''].join('');
  if (!opts.quick) return `full corpus${corpus}`;
  return `quick subset${corpus}: every own test, 1 in ${QUICK_STRIDE} of OCaml's own (${opts.ocamlSampled} of ${opts.ocamlTotal})`;
}
