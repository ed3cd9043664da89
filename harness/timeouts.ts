/**
 * Every time limit of the workbench, in one place. Limits of runs under test (crosstest, ocamltest) are defaults
 * that the scripts' --timeout options override; the others only catch a tool that hangs.
 */
export const TIMEOUTS = {
  /** crosstest: one run of a test program in one mode (--timeout, seconds). */
  crosstestRunS: 60,
  /** crosstest: compiling a test's host or plugins, as a multiple of the run limit. */
  crosstestCompileFactor: 5,
  /** crosstest: under GC stress (OCAMLRUNPARAM=s=4k,o=20) a run gets this many times the limit. */
  gcStressFactor: 3,
  /** crosstest: the one-line probe that asks whether the installed compiler can run a mode. */
  probeMs: 30_000,
  /** ocamltest's per-action limit (seconds); upstream's testsuite/Makefile default. */
  ocamltestActionS: 600,
  /** `ocamltest -list-tests DIR`. */
  ocamltestListMs: 120_000,
  /** bench: one timed run of a kernel program or a toplevel script. */
  benchRunMs: 600_000,
  /** fuzz: one run of a loader on one mutant (--timeout, seconds); a run that takes longer counts as a crash. */
  fuzzRunS: 10,
  /** A quick query of a tool: `ocamlc -version`, `cc --version`. */
  toolQueryMs: 30_000,
} as const;

/** The limit on ocamltest itself for one test: it enforces its own per-action limit, this only catches a hang. */
export function ocamltestWatchdogMs(actionS: number): number {
  return (2 * actionS + 120) * 1000;
}
