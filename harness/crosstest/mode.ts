import type { TestCase } from './test-case.ts';
import type { Toolchain } from './toolchain.ts';

export type PluginFormat = 'cmo' | 'cmxs';

/**
 * How the host runs: as a program (Dynlink), or as a toplevel script
 * (#load). Some behaviour differs between the two by design (the toplevel
 * prints an uncaught exception its own way), so references may exist per family.
 */
export type Family = 'program' | 'toplevel';

/** What one run of a test program did. */
export interface Observed {
  stdout: string;
  stderr: string;
  status: number;
  timedOut: boolean;
  durationMs: number;
}

export interface ModeContext {
  test: TestCase;
  tc: Toolchain;
  /** Private scratch directory of this test in this mode. */
  workDir: string;
  /** Where shared host programs are built (one per host kind and host spec). */
  hostsDir: string;
  /** Build logs go here (compiler output is not test output). */
  logFile: string;
  timeoutMs: number;
  /** OCAMLRUNPARAM for the run ('' = defaults). */
  ocamlRunParam: string;
}

/**
 * One way of running a test. A mode builds the test's programs (once, shared
 * with its GC-stress variant) and runs them. Adding a mode is one module in
 * modes/ that exports a Mode and one line in modes/index.ts.
 */
export interface Mode {
  name: string;
  /** The mode this one is a variant of (its GC-stress variant names the base mode): what a test's `skipModes` names. */
  baseName?: string;
  /** Format the plugins are loaded in; selects format-specific references. */
  pluginFormat: PluginFormat;
  family: Family;
  /** Modes that share a build also share `buildKey`. */
  buildKey: string;
  /** Undefined when the installed compiler can run this mode, else why not. */
  unavailable(tc: Toolchain): Promise<string | undefined>;
  /** Undefined when `test` runs in this mode, else why not (reported as skipped). */
  skip?(test: TestCase): string | undefined;
  build(ctx: ModeContext): Promise<void>;
  run(ctx: ModeContext): Promise<Observed>;
}

/** A build step failed: a test failure, reported with the compiler output. */
export class BuildFailed extends Error {
  constructor(
    readonly command: string,
    readonly output: string,
  ) {
    super(`build failed: ${command}`);
  }
}
