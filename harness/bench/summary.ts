import type { Figure } from './questions.ts';

/**
 * The headline tables of a bench report, in markdown (reports/bench.md),
 * for the README: the same figures as the terminal table, arranged by
 * kernel, and the machine they were measured on.
 */
export interface BenchSummaryInput {
  date: string;
  machine: { cpus?: string; cores: number };
  repeat: number;
  figures: Figure[];
  extra: Record<string, number>;
  skipped: Record<string, string>;
}

const fmt = (f: Figure | undefined) =>
  f === undefined ? '—' : f.unit === 'ratio' ? `${f.value.toFixed(2)}×` : `${f.value.toFixed(1)}`;

function table(header: string[], rows: string[][]): string[] {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

export function benchSummaryMarkdown(r: BenchSummaryInput): string {
  const byLabel = new Map(r.figures.map((f) => [f.label, f]));
  const kernels = [...new Set(r.figures.filter((f) => f.label.includes(': native vs byte')).map((f) => f.label.split(':')[0]!))];
  const ratioCols: [string, string][] = [
    ['native vs byte (pure programs)', 'native vs byte'],
    ['`.cmxs` in a bytecode host vs native', 'byte+cmxs vs native'],
    ['`.cmxs` in `ocaml.opt` vs native', 'ocaml.opt+cmxs vs native'],
    ['`.cmxs` in `ocaml` (run by `ocamlrun.crossload`) vs native', 'ocaml+cmxs vs native'],
    ['same `.cmxs` in a native host vs native', 'native+cmxs vs native'],
    ['`.cmxs` in a bytecode host vs in a native host', 'byte+cmxs vs native+cmxs'],
    ['`.cmo` in a native host vs `ocamlrun`', 'native+cmo vs byte'],
    ['patched vs pristine, native', 'native vs pristine native'],
    ['patched vs pristine, bytecode', 'byte vs pristine byte'],
  ];
  const out: string[] = [
    `Measured ${r.date.slice(0, 10)} on ${r.machine.cpus ?? 'an unknown CPU'} (${r.machine.cores} cores), ${r.repeat} interleaved repetitions, medians; ratios > 1 mean the first is faster.`,
    '',
    ...table(['ratio', ...kernels], ratioCols.map(([title, label]) => [title, ...kernels.map((k) => fmt(byLabel.get(`${k}: ${label}`)))])),
    '',
  ];
  // Crossing cost: the direction depends on which side the host is.
  const ns = (kernel: string, variant: string) => fmt(byLabel.get(`${kernel} [${variant}]`));
  const args = ['1', '2', '3', '5', 'exn'];
  out.push(
    ...table(
      ['ns per call, arguments', 'native→native', 'bytecode→bytecode', 'native→bytecode (.cmo in native host)', 'bytecode→native (.cmxs in bytecode host)', 'bytecode→native (.cmo in native host)', 'native→bytecode (.cmxs in bytecode host)'],
      args.map((a) => [
        a === 'exn' ? '1, raising' : a,
        ns(`host_calls_plugin_${a}`, 'native'),
        ns(`host_calls_plugin_${a}`, 'byte'),
        ns(`host_calls_plugin_${a}`, 'native+cmo'),
        ns(`host_calls_plugin_${a}`, 'byte+cmxs'),
        ns(`plugin_calls_host_${a}`, 'native+cmo'),
        ns(`plugin_calls_host_${a}`, 'byte+cmxs'),
      ]),
    ),
    '',
    `Reference: \`caml_callback\` from C, 1 argument: ${ns('c_calls_ocaml_1', 'native')} ns in a native program, ${ns('c_calls_ocaml_1', 'byte')} ns in a bytecode one.`,
    '',
  );
  const top = r.figures.filter((f) => f.question.startsWith('4.'));
  if (top.length > 0) {
    out.push(...table(['toplevels, same phrase script', 'ratio'], top.map((f) => [f.label, fmt(f)])), '');
  }
  const extras = Object.entries(r.extra).map(([k, v]) => `${k}: ${k.includes('bytes') ? v.toFixed(0) : v.toFixed(3)}`);
  if (extras.length > 0) out.push(`Other figures: ${extras.join('; ')}.`, '');
  const skipped = Object.entries(r.skipped);
  if (skipped.length > 0) out.push(`Skipped: ${skipped.map(([v, why]) => `${v} (${why})`).join('; ')}.`, '');
  return out.join('\n');
}
