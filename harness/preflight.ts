import { execa } from 'execa';
import { WorkbenchError } from './errors.ts';
import { haveCommand } from './exec.ts';

/**
 * The tools outside Node that the workbench runs, checked up front so that a missing one gets one clear message
 * naming the Debian package to install. The README's "Prerequisites" lists the same tools (test/preflight.test.ts
 * checks that it does).
 */
export interface Tool {
  /** The command looked up on PATH. */
  command: string;
  /** Debian package that provides it. */
  debianPackage: string;
  why: string;
  /** A check beyond being on PATH; returns what is wrong, or undefined when the tool is fit. */
  check?: () => Promise<string | undefined>;
}

/** What `npm run build-ocaml` (and so crosstest, bench, ocaml-testsuite) needs to build and use OCaml. */
export const BUILD_TOOLS: readonly Tool[] = [
  { command: 'git', debianPackage: 'git', why: 'manages ocaml-src/ and the patch series' },
  { command: 'make', debianPackage: 'make', why: 'builds OCaml' },
  { command: 'cc', debianPackage: 'gcc', why: 'compiles the OCaml runtime (a C compiler, e.g. gcc)' },
  { command: 'as', debianPackage: 'binutils', why: 'assembles the code ocamlopt generates' },
  { command: 'ld', debianPackage: 'binutils', why: 'links native programs and shared plugins' },
];

/**
 * The awk program OCaml's tools/check-typo uses to test for interval expressions (`{m}`): mawk 1.3.4, Debian's
 * default awk, fails it, and check-typo then stops with status 2.
 */
export const AWK_INTERVAL_TEST = 'BEGIN {if ("a{1}" ~ /a{1}$/) exit 1}';

async function awkHasIntervals(command = 'awk'): Promise<string | undefined> {
  const r = await execa(command, [AWK_INTERVAL_TEST], { reject: false });
  return r.exitCode === 0 ? undefined : `${command} has no interval expressions in regexps (mawk?); OCaml's tools/check-typo needs them`;
}

/** What `npm run patches:lint` needs on top of the build tools. */
export const LINT_TOOLS: readonly Tool[] = [
  { command: 'awk', debianPackage: 'gawk', why: "OCaml's tools/check-typo", check: () => awkHasIntervals('awk') },
];

/** Every tool of the two quick-start commands (`npm run crosstest`, `npm test`). */
export const ALL_TOOLS: readonly Tool[] = [...BUILD_TOOLS, ...LINT_TOOLS];

/** Throws one WorkbenchError naming every missing or unfit tool and the packages that provide them. */
export async function checkTools(tools: readonly Tool[]): Promise<void> {
  const problems: string[] = [];
  const packages = new Set<string>();
  for (const t of tools) {
    let problem: string | undefined;
    if (!(await haveCommand(t.command))) problem = `${t.command} (${t.why})`;
    else if (t.check) problem = await t.check();
    if (problem !== undefined) {
      problems.push(problem);
      packages.add(t.debianPackage);
    }
  }
  if (problems.length > 0) {
    throw new WorkbenchError(
      `missing tools: ${problems.join(', ')}`,
      `Install them (on Debian: apt-get install ${[...packages].join(' ')}), then run again. Nothing was changed.`,
    );
  }
}

export async function checkBuildTools(): Promise<void> {
  await checkTools(BUILD_TOOLS);
}

export async function checkLintTools(): Promise<void> {
  await checkTools(LINT_TOOLS);
}
