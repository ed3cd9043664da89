import { resolve } from 'node:path';
import { parseCommandLine, requireSelection, type CommandSpec, type OptionSpecs } from '../options.ts';
import { EVAL_PARTS, type EvalPart } from './eval.ts';
import { ALL_KERNELS, inputSize, type Kernel } from './kernels.ts';
import { TOPLEVEL_SELECTION_NAME } from './toplevels.ts';

export const BENCH_COMMAND = {
  usage: 'npm run bench --',
  summary:
    'Measures what crossloading costs and buys, as ratios of variants run side by side (medians of interleaved repetitions): ' +
    'compute kernels as plain programs, as plugins in each direction and against pristine 5.3.0; ns per crossing call; ' +
    'closures built by a .cmo in a native host against ocamlrun, on 1 and 2 domains; the host\'s native iterators over a plugin\'s callbacks; ' +
    'effects performed on one side and handled on the other (ns per perform/continue pair), and host→plugin calls under an effect handler; ' +
    'the toplevels on phrase scripts; a native program evaluating phrases with the Eval library against ocamlnat and ocaml. ' +
    'Writes reports/bench.json, bench.svg and bench.md.',
  options: {
    quick: { type: 'boolean', help: 'small inputs, 1 repetition, no pristine build: checks that every variant still runs' },
    only: {
      type: 'string',
      arg: 'NAME',
      help: `run only the kernels whose name contains NAME, or one of several NAMEs separated by commas ('${TOPLEVEL_SELECTION_NAME}' for the toplevel timings; 'eval' for the evaluated phrases: ${EVAL_PARTS.join(', ')})`,
    },
    repeat: { type: 'int', arg: 'N', min: 1, help: 'interleaved repetitions (default: 5, 1 with --quick)' },
    'max-repeat': {
      type: 'int',
      arg: 'N',
      min: 1,
      help: 'repetitions at most of a kernel or phrase script with a figure that has a target and a spread over its goal (5%; 2% for patched vs pristine): after --repeat, one more at a time until the spread is under (default: 4 × --repeat; --repeat with --quick)',
    },
    pristine: { type: 'string', arg: 'PREFIX', help: 'install prefix of pristine 5.3.0 to compare with (default: built once into .cache/pristine/; none with --quick)' },
    'no-build': { type: 'boolean', help: 'use _install/ as it is, without running build-ocaml first' },
    'no-instructions': {
      type: 'boolean',
      help: 'do not count the instructions of the compute kernels, patched against pristine, under valgrind (a full run counts them where valgrind is installed: a few minutes)',
    },
  },
} as const satisfies CommandSpec<OptionSpecs>;

export interface BenchOptions {
  quick: boolean;
  /** Run build-ocaml first. */
  build: boolean;
  repeat: number;
  /** Repetitions at most where a figure with a target has a spread over SPREAD_GOAL (at least `repeat`). */
  maxRepeat: number;
  /** Runs of a kernel within one process. */
  inner: number;
  /** Count the compute kernels' instructions, patched against pristine (instructions.ts): full runs only. */
  instructions: boolean;
  /** Prefix of pristine 5.3.0 given on the command line. */
  pristine?: string;
  /** The kernels to run, never empty unless `toplevels` is set. */
  kernels: readonly Kernel[];
  toplevels: boolean;
  /** The parts of the evaluated-phrases bench (eval.ts) to run. */
  eval: readonly EvalPart[];
  nFor: (k: Kernel) => number;
}

/**
 * The bench's command line. Throws UsageError (exit 2) for a malformed option and for an --only that selects
 * neither a kernel nor the toplevel timings; HelpShown for --help.
 */
export function parseBenchOptions(argv: string[]): BenchOptions {
  const values = parseCommandLine(BENCH_COMMAND, argv);
  const only = values.only;
  // Several names, separated by commas, select what any of them selects.
  const onlyNames = only?.split(',').filter((n) => n !== '');
  const selected = (name: string) => onlyNames === undefined || onlyNames.some((n) => name.includes(n));
  const kernels = ALL_KERNELS.filter((k) => selected(k.name));
  const toplevels = selected(TOPLEVEL_SELECTION_NAME);
  const evalParts = EVAL_PARTS.filter(selected);
  const names = [...ALL_KERNELS.map((k) => k.name), TOPLEVEL_SELECTION_NAME, ...EVAL_PARTS];
  requireSelection([...kernels, ...(toplevels ? [TOPLEVEL_SELECTION_NAME] : []), ...evalParts], `--only '${only}' (names: ${names.join(', ')})`, BENCH_COMMAND.usage);
  const quick = values.quick;
  const repeat = values.repeat ?? (quick ? 1 : 5);
  return {
    quick,
    build: !values['no-build'],
    repeat,
    maxRepeat: Math.max(repeat, values['max-repeat'] ?? (quick ? repeat : 4 * repeat)),
    inner: quick ? 2 : 1,
    instructions: !quick && !values['no-instructions'],
    // Absolute: the variants are built and run in their own directories.
    ...(values.pristine !== undefined ? { pristine: resolve(values.pristine) } : {}),
    kernels,
    toplevels,
    eval: evalParts,
    nFor: (k) => inputSize(k, quick),
  };
}
