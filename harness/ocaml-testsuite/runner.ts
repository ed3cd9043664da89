import { appendFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { WorkbenchError } from '../errors.ts';
import { run } from '../exec.ts';
import { inSelection, testDirOf, type Selection } from './compare.ts';
import { parseTestsuiteLog, type TestResult } from './log-parser.ts';
import { runtimeVariantEnv, type RuntimeVariant } from './runtime-variant.ts';
import { TIMEOUTS, ocamltestWatchdogMs } from '../timeouts.ts';

/**
 * Runs OCaml's testsuite on an in-tree build the way `make -C testsuite all`
 * does (same ocamltest command, flags and environment, same log format), but
 * with `jobs` test directories at a time: upstream's parallel target needs
 * GNU parallel, which a fresh machine lacks. Each test directory gets its own
 * build directory under testsuite/_ocamltest, so directories do not interfere.
 */
export interface SuiteOptions {
  /** Root of a built OCaml tree (configured with --enable-ocamltest). */
  srcDir: string;
  selection: Selection;
  jobs: number;
  /** The whole run's log, in testsuite/_log format. */
  logFile: string;
  /** ocamltest's per-action timeout in seconds; the Makefile's default is 600. */
  timeoutS?: number;
  /** Known cost of each directory (from the baseline): the longest start first, so no worker idles at the end. */
  dirCostMs?: Readonly<Record<string, number>>;
  onDir?: (dir: string, results: TestResult[], done: number, total: number) => void;
  /** Directories already run (e.g. by an interrupted run whose log is kept): not run again. */
  skipDirs?: ReadonlySet<string>;
  /** The runtime the test programs use, as `make -C testsuite USE_RUNTIME=d` (runtime-variant.ts); the normal one by default. */
  runtime?: RuntimeVariant;
}

export interface SuiteRun {
  tests: TestResult[];
  problems: string[];
  dirDurationsMs: Record<string, number>;
  durationMs: number;
  /** What was run, in words, for the baseline record. */
  command: string;
  testsuiteDir: string;
}

/** ocamltest's per-action limit when --timeout is not given (upstream's testsuite/Makefile default). */
export const DEFAULT_TIMEOUT_S: number = TIMEOUTS.ocamltestActionS;

export function ocamltestProgram(srcDir: string): string {
  for (const name of ['ocamltest.opt', 'ocamltest']) {
    const p = join(srcDir, 'ocamltest', name);
    if (existsSync(p)) return p;
  }
  throw new WorkbenchError(
    `no ocamltest in ${join(srcDir, 'ocamltest')}: the tree is not built, or not configured with --enable-ocamltest`,
    'Build it first (npm run build-ocaml; workbench.json configureFlags must hold --enable-ocamltest).',
  );
}

/** `--dir` as the user may type it (`lib-dynlink-native`, `testsuite/tests/x/`) → `tests/x`, relative to testsuite/. */
export function normalizeDir(dir: string): string {
  let d = dir.replace(/\/+$/, '').replace(/^\.\//, '').replace(/^(ocaml-src\/)?testsuite\//, '');
  if (!d.startsWith('tests/') && d !== 'tests') d = `tests/${d}`;
  return d;
}

/** Where ocamltest keeps a test's log (kept for failed tests only), as `make all` runs it from testsuite/. */
export function testLogPath(testsuiteDir: string, t: Pick<TestResult, 'dir' | 'file'>): string {
  const prefix = t.file.replace(/\.[^.]*$/, '');
  return join(testsuiteDir, '_ocamltest', t.dir, prefix, `${prefix}.log`);
}

// As testsuite/Makefile: SORT and MAKE for ocamltest's own use, TERM=dumb so results stay on one line.
const OCAMLTEST_ENV = { TERM: 'dumb', SORT: 'sort', MAKE: 'make' };

/** ocamltest's environment (added to the harness's own) as testsuite/Makefile gives it, with USE_RUNTIME=runtime when given. */
export function ocamltestEnv(runtime?: RuntimeVariant, parentEnv: Readonly<Record<string, string | undefined>> = process.env): Record<string, string> {
  return { ...OCAMLTEST_ENV, ...runtimeVariantEnv(runtime, parentEnv) };
}

/** ocamltest on one test file (`tests/x/y.ml`, run from testsuite/): its log lines, with the Makefile's fallback line if ocamltest dies. */
async function ocamltestOutput(ocamltest: string, testsuiteDir: string, key: string, timeoutS: number, env: Record<string, string>): Promise<string> {
  const file = key.slice(key.lastIndexOf('/') + 1);
  const r = await run(ocamltest, ['-timeout', String(timeoutS), key], {
    cwd: testsuiteDir,
    env,
    mergeOutput: true,
    // ocamltest enforces its own per-action timeout; this only catches ocamltest itself hanging.
    timeoutMs: ocamltestWatchdogMs(timeoutS),
  });
  let out = r.stdout.endsWith('\n') || r.stdout === '' ? r.stdout : `${r.stdout}\n`;
  if (r.timedOut) out += ` ... testing '${file}' => unexpected error (ocamltest killed after ${Math.round(r.durationMs / 1000)}s)\n`;
  else if (r.exitCode !== 0) out += ` ... testing '${file}' => unexpected error\n`;
  return out;
}

/**
 * Runs one test again (`tests/x/y.ml`), alone, in the environment of the run it belongs to (the same `runtime`):
 * its result, or undefined if the log gave none.
 */
export async function rerunTest(srcDir: string, key: string, timeoutS: number = DEFAULT_TIMEOUT_S, runtime?: RuntimeVariant): Promise<TestResult | undefined> {
  const testsuiteDir = join(srcDir, 'testsuite');
  const dir = testDirOf(key);
  mkdirSync(join(testsuiteDir, '_ocamltest', dir), { recursive: true }); // as runSuite does
  const out = await ocamltestOutput(ocamltestProgram(srcDir), testsuiteDir, key, timeoutS, ocamltestEnv(runtime));
  return parseTestsuiteLog(`Running tests from '${dir}' ...\n${out}`).tests.find((t) => t.key === key);
}

export async function runSuite(opts: SuiteOptions): Promise<SuiteRun> {
  const started = performance.now();
  const testsuiteDir = join(opts.srcDir, 'testsuite');
  const ocamltest = ocamltestProgram(opts.srcDir);
  const timeoutS = opts.timeoutS ?? DEFAULT_TIMEOUT_S;
  const root = opts.selection.dir ? normalizeDir(opts.selection.dir) : 'tests';
  if (!existsSync(join(testsuiteDir, root))) throw new WorkbenchError(`no directory ${root} in ${testsuiteDir}`, 'Name a directory under testsuite/, e.g. --dir tests/lib-dynlink-native.');
  const selection: Selection = { ...opts.selection, ...(opts.selection.dir ? { dir: root } : {}) };
  const env = ocamltestEnv(opts.runtime);
  const ask = async (args: string[]): Promise<string[]> => {
    const r = await run(ocamltest, args, { cwd: testsuiteDir, env, timeoutMs: TIMEOUTS.ocamltestListMs });
    if (r.exitCode !== 0) throw new WorkbenchError(`ocamltest ${args.join(' ')} failed (exit ${r.exitCode}): ${r.stdout}${r.stderr}`);
    return r.stdout.split('\n').filter(Boolean);
  };

  // With tests named one by one (--series), only the directories that hold them.
  const keyDirs = selection.keys ? new Set(selection.keys.map(testDirOf)) : undefined;
  const dirs = (await ask(['-find-test-dirs', root])).filter((d) => !opts.skipDirs?.has(d) && (keyDirs === undefined || keyDirs.has(d)));
  // ocamltest makes a test's build directory, _ocamltest/DIR/TEST, parent by parent, each after testing that it is
  // not there yet: two directories run at once race on their common parents, and the loser dies with "Failed to
  // create ... File exists" (seen on CI: tests/parallel/atomics.ml, an unexpected error). So every parent is made here,
  // before any test runs; ocamltest then makes only the test's own directory, which no other worker makes.
  for (const dir of dirs) mkdirSync(join(testsuiteDir, '_ocamltest', dir), { recursive: true });
  const cost = opts.dirCostMs ?? {};
  const queue = [...dirs].sort((a, b) => (cost[b] ?? 0) - (cost[a] ?? 0));
  mkdirSync(dirname(opts.logFile), { recursive: true });
  rmSync(opts.logFile, { force: true });
  const partial = `${opts.logFile}.partial`;
  writeFileSync(partial, '');
  const blocks = new Map<string, string>();
  const dirDurationsMs: Record<string, number> = {};
  let done = 0;

  const runDir = async (dir: string): Promise<void> => {
    const t0 = performance.now();
    const files = (await ask(['-list-tests', dir])).filter((f) => inSelection(`${dir}/${f}`, selection));
    if (files.length === 0) return;
    let block = `Running tests from '${dir}' ...\n`;
    for (const file of files) block += await ocamltestOutput(ocamltest, testsuiteDir, `${dir}/${file}`, timeoutS, env);
    blocks.set(dir, block);
    appendFileSync(partial, block);
    dirDurationsMs[dir] = Math.round(performance.now() - t0);
    opts.onDir?.(dir, parseTestsuiteLog(block).tests, ++done, dirs.length);
  };

  const worker = async () => {
    for (let dir = queue.shift(); dir !== undefined; dir = queue.shift()) await runDir(dir);
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.jobs) }, worker));

  // The final log is in directory order whatever order the workers finished in, so two logs diff well.
  const log = dirs.map((d) => blocks.get(d) ?? '').join('');
  writeFileSync(opts.logFile, log);
  rmSync(partial, { force: true });
  const parsed = parseTestsuiteLog(log);
  return {
    tests: parsed.tests,
    problems: parsed.problems,
    dirDurationsMs,
    durationMs: Math.round(performance.now() - started),
    command:
      `in testsuite/, for each directory of \`ocamltest -find-test-dirs ${root}\`, ${opts.jobs} directories at a time: ` +
      `\`${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ')} ${ocamltest.slice(opts.srcDir.length + 1)} -timeout ${timeoutS} DIR/FILE\` for each FILE of \`ocamltest -list-tests DIR\`` +
      (opts.selection.only ? ` whose key contains ${JSON.stringify(opts.selection.only)}` : '') +
      (opts.selection.keys ? ` that is one of the ${opts.selection.keys.length} selected tests (only their directories)` : '') +
      ' (what `make -C testsuite all` runs, one directory after another)',
    testsuiteDir,
  };
}
