import type { Toolchain } from './toolchain.ts';

/*
 * The vocabulary of crosstest: tests, modes and what a run observed. This
 * module imports nothing but types of toolchain.ts, so every other module can
 * use it without an import circle (test-case.ts discovers tests, modes/ runs them).
 */

export type PluginFormat = 'cmo' | 'cmxs';

/**
 * How the host runs: as a program (Dynlink), or as a toplevel script
 * (#load). Some behaviour differs between the two by design (the toplevel
 * prints an uncaught exception its own way), so references may exist per family.
 */
export type Family = 'program' | 'toplevel';

/**
 * The host program of a test. Tests with the same `key` share one host
 * build per mode (OCaml's own tests share a few generic hosts).
 */
export interface HostSpec {
  key: string;
  dir: string;
  /** Sources in link order; the last one is the main program. */
  sources: string[];
  /**
   * Libraries of the distribution linked into the host besides Dynlink, in
   * link order (e.g. unix, threads); hosts and plugins are compiled with
   * `-I +L` for each (libraries.ts).
   */
  libraries?: readonly string[];
}

/** One test: a host, its plugins, and the reference behaviour. */
export interface TestCase {
  /** `own/<dir>` for testsuite/, `ocaml/<dir>/<file>` for OCaml's own tests. */
  name: string;
  dir: string;
  description: string;
  host: HostSpec;
  /** Plugin sources (in `dir`) in load order: a later plugin may use an earlier one; an .mli is only compiled (plugins.ts). */
  plugins: string[];
  /** Extra environment of the host program. */
  env: Record<string, string>;
  /** Expected exit status. */
  status: number;
  /**
   * 'separate': stdout and stderr are compared with their own references;
   * 'merged': both go to one stream compared with `referenceFiles` (ocamltest's way).
   */
  output: 'separate' | 'merged';
  /** Merged tests: the reference of the runs with plugins of each format; a missing file means no output, as in ocamltest. */
  referenceFiles?: Readonly<Record<PluginFormat, string>>;
  /** Why this test does not run in the GC-stress modes, if it does not. */
  skipUnderGcStress?: string;
  /**
   * Why this test does not run on a compiler configured with `--enable-tsan`, if it does not: as ocamltest's
   * `no-tsan`, for programs TSan cannot run (its shadow call stack holds 64k frames).
   */
  skipUnderTsan?: string;
  /**
   * Why this test is built and run with no other job beside it, if it is: its domains wait for each other, and
   * on a 2-core machine a job beside them leaves them one core to share (runner.ts).
   */
  runsAlone?: string;
  /** Families of modes this test does not run in, each with the reason. */
  skipFamilies?: Partial<Record<Family, string>>;
  /** Modes (base names, e.g. `byte+cmxs`; their GC-stress variants too) this test does not run in, each with the reason. */
  skipModes?: Record<string, string>;
  /** Bytecode plugins are loaded as one-unit .cma archives, not .cmo (see plugins.ts). */
  archive?: boolean;
  /** Compiler flags of the test's sources, after the harness's own (plugins.ts). */
  compileFlags?: CompileFlags;
  /** Files of `dir` the program reads at run time, copied into its working directory. */
  dataFiles?: readonly string[];
  /** Arguments of the host program (Sys.argv after the program's name). */
  arguments?: readonly string[];
  /** OCAMLRUNPARAM settings the test needs (e.g. `b=1`), added after the mode's own. */
  runParams?: string;
  /** Environment variables removed from the program's environment (ocamltest's `unset`). */
  unsetEnv?: readonly string[];
}

/** A test's own compiler flags: `all` for both compilers, then those of ocamlc (`cmo`) or of ocamlopt (`cmxs`). */
export type CompileFlags = Readonly<{ all?: readonly string[] } & Partial<Record<PluginFormat, readonly string[]>>>;

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
/**
 * The compiler a mode builds and runs with: the patched one (under test), or pristine 5.3.0 (`stock`), whose
 * `ocaml` gives the references of the toplevel family, so that a toplevel of the series that answers differently
 * from stock `ocaml` fails, and `--update` cannot write a regression into `expected.toplevel.*`.
 */
export type Compiler = 'patched' | 'stock';

export interface Mode {
  name: string;
  compiler: Compiler;
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
