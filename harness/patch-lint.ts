import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SimpleGit } from 'simple-git';
import type { ProjectPaths } from './config.ts';
import { gitIn } from './git.ts';
import { StepFailed } from './build-steps.ts';
import { ensureWorktree, runPipeline, type BuildOutcome, type BuildSetup, type BuildTarget } from './build-pipeline.ts';
import { runSuite } from './ocaml-testsuite/runner.ts';
import { parseTestHeader, type TestTree } from './crosstest/ocaml-test-header.ts';
import { countOutcomes, type Counts, type TestResult } from './ocaml-testsuite/log-parser.ts';

/**
 * Upstream-readiness rules for the series, checked commit by commit on the
 * applied series in ocaml-src/. Each finding names the patch and the rule.
 */
export interface PatchInfo {
  subject: string;
  body: string;
  files: string[];
}

export interface Finding {
  patch: string;
  rule: string;
  message: string;
}

/** Code whose change is user-visible or behavioural (as opposed to tests, docs, build-only files). */
const isCode = (f: string) => /^(runtime|otherlibs|bytecomp|asmcomp|toplevel|lambda|typing|parsing|utils|driver|file_formats|middle_end|stdlib|tools|ocamltest)\//.test(f) && !/\.(md|txt)$/.test(f);
const isTest = (f: string) => f.startsWith('testsuite/tests/');

export async function readPatches(git: SimpleGit, baseRef: string): Promise<PatchInfo[]> {
  const ids = (await git.raw(['rev-list', '--reverse', `${baseRef}..HEAD`])).split('\n').filter(Boolean);
  const out: PatchInfo[] = [];
  for (const id of ids) {
    const subject = (await git.raw(['log', '-1', '--format=%s', id])).trim();
    const body = (await git.raw(['log', '-1', '--format=%b', id])).trim();
    const files = (await git.raw(['diff-tree', '--no-commit-id', '--name-only', '-r', id])).split('\n').filter(Boolean);
    out.push({ subject, body, files });
  }
  return out;
}

/** The line of a commit message that declares a change of Dynlink invisible to its users. */
export const DYNLINK_UNCHANGED = /^Dynlink's interface and documented behaviour are unchanged\.?$/m;

/**
 * OCaml's conventions, as reviewers apply them:
 * - a short subject (≤ 72 columns, no trailing period) and a body saying why, without git's conflict note;
 * - a patch that changes code has its Changes entry, or names the patch of
 *   the series whose entry covers it (a line `Changes entry: with
 *   "<subject>"`), as a pull request has one entry for one feature;
 * - code is tested: the patch, or a later one in the series, touches testsuite/tests;
 * - a patch that changes Dynlink documents it in dynlink.mli and the manual, unless its message says, on a line
 *   of its own, that Dynlink's interface and documented behaviour are unchanged (DYNLINK_UNCHANGED).
 */
export function lintMessagesAndContents(patches: readonly PatchInfo[]): Finding[] {
  const findings: Finding[] = [];
  patches.forEach((p, i) => {
    const add = (rule: string, message: string) => findings.push({ patch: `${String(i + 1).padStart(4, '0')} ${p.subject}`, rule, message });
    if (p.subject.length > 72) add('subject-length', `subject is ${p.subject.length} columns (keep it under 72)`);
    if (/\.\s*$/.test(p.subject)) add('subject-period', 'subject ends with a period');
    if (p.body.length < 40) add('body', 'the body must explain why the change is needed');
    for (const line of p.body.split('\n')) {
      if (line.length > 80 && !/^\s*(https?:|[-*] |Changes entry: )/.test(line)) {
        add('body-width', `body line over 80 columns: "${line.slice(0, 40)}…"`);
        break;
      }
    }
    // What `git commit` left of a resolved conflict: it is a comment for the committer (git strips `#` lines only
    // when it opens an editor), never part of a message a reviewer reads.
    if (/^# Conflicts:$/m.test(p.body)) add('conflict-note', 'the message keeps git\'s "# Conflicts:" note of a resolved rebase');
    const code = p.files.filter(isCode);
    if (code.length > 0 && !p.files.includes('Changes')) {
      const named = /^Changes entry: with "(.*)"\.?$/m.exec(p.body)?.[1];
      const covering = named !== undefined && patches.some((q, j) => j !== i && q.subject === named && q.files.includes('Changes'));
      if (!covering) add('changes-entry', `changes ${code[0]} (and ${code.length - 1} more code files) without a Changes entry (or a line \`Changes entry: with "<patch with the entry>"\`)`);
    }
    if (code.length > 0 && !patches.slice(i).some((q) => q.files.some(isTest))) add('tests', 'changes code, but neither it nor a later patch adds or changes a test in testsuite/tests');
    const dynlink = code.filter((f) => f.startsWith('otherlibs/dynlink/') && f.endsWith('.ml'));
    // A change inside Dynlink that a user cannot see (speed, an internal module) says so in its message, on a
    // line of its own, for the reviewer to check: then neither dynlink.mli nor the manual has anything to say.
    if (dynlink.length > 0 && !DYNLINK_UNCHANGED.test(p.body)) {
      const documented = (f: string) => patches.slice(i).some((q) => q.files.includes(f));
      if (!documented('otherlibs/dynlink/dynlink.mli')) add('docs-dynlink', 'changes Dynlink without documenting it in otherlibs/dynlink/dynlink.mli');
      if (!documented('manual/src/library/libdynlink.etex')) add('docs-manual', 'changes Dynlink without updating the manual (manual/src/library/libdynlink.etex)');
    }
  });
  return findings;
}

/** A series that installs `ocaml.opt` also ships its man page, as the other tools do. */
export function lintManPages(srcDir: string, patches: readonly PatchInfo[]): Finding[] {
  const makefile = existsSync(`${srcDir}/Makefile`) ? readFileSync(`${srcDir}/Makefile`, 'utf8') : '';
  const touched = new Set(patches.flatMap((p) => p.files));
  if (/\bocaml\.opt\b/.test(makefile) && !touched.has('man/ocaml.opt.1')) {
    return [{ patch: '(series)', rule: 'docs-man', message: 'the Makefile builds ocaml.opt but the series adds no man/ocaml.opt.1' }];
  }
  return [];
}

/** Every patch appears, by subject, in docs/upstreaming.md (the pull-request description). */
export function lintUpstreamingDoc(docFile: string, patches: readonly PatchInfo[]): Finding[] {
  if (!existsSync(docFile)) return [{ patch: '(series)', rule: 'upstreaming-doc', message: `${docFile} is missing` }];
  const text = readFileSync(docFile, 'utf8');
  return patches
    .filter((p) => !text.includes(p.subject))
    .map((p) => ({ patch: p.subject, rule: 'upstreaming-doc', message: 'not described in docs/upstreaming.md (list it by its subject)' }));
}

// ---- --each: every prefix of the series builds ----------------------------------

/** What `--each` builds after patch `n`: the one worktree under .cache/lint-each/, configured for a prefix there, not installed. */
export function lintEachTarget(paths: ProjectPaths, n: number, jobs?: number): BuildTarget {
  return {
    label: `patch ${n}`,
    srcDir: join(paths.lintEachDir, 'tree'),
    prefix: join(paths.lintEachDir, 'prefix'),
    install: false,
    logDir: join(paths.lintEachLogs, String(n).padStart(4, '0')),
    ...(jobs !== undefined ? { jobs } : {}),
    // Upstream's Makefile does not track every dependency (e.g. otherlibs/dynlink's copies of compiler modules), so
    // moving the tree between commits can leave stale outputs: what a reviewer checks is that the prefix builds.
    fromClean: true,
  };
}

/**
 * A patch's own tests: the test directories (`tests/x`, relative to testsuite/) in which it adds, changes or
 * removes a file. `--each` runs every test of them after building the prefix that ends with the patch, so a test is
 * checked where it is added and again wherever a later patch changes its directory.
 */
export function patchTestDirs(files: readonly string[]): string[] {
  const dirs = new Set<string>();
  for (const f of files) {
    const m = /^testsuite\/(tests\/[^/]+)\/./.exec(f);
    if (m) dirs.add(m[1]!);
  }
  return [...dirs].sort();
}

/**
 * Does the patch add or change only tests that run in TSan builds alone (a `tsan;` line in their `(* TEST` header,
 * as testsuite/tests/tsan/*)? Their directory's tests all skip in the build of `--each`, which is not configured
 * with `--enable-tsan`: `npm run sanitize` runs them (the tests the series adds, on its TSan build).
 */
export function onlyTsanTests(srcDir: string, files: readonly string[]): boolean {
  const headers = files
    .filter((f) => /^testsuite\/tests\/.+\.ml$/.test(f) && existsSync(join(srcDir, f)))
    .map((f) => parseTestHeader(readFileSync(join(srcDir, f), 'utf8')))
    .filter((tree): tree is TestTree => tree !== undefined); // a helper module, not a test
  const needsTsan = (tree: TestTree): boolean =>
    tree.statements.some((st) => st.kind === 'action' && st.name === 'tsan') || tree.branches.some(needsTsan);
  return headers.length > 0 && headers.every(needsTsan);
}

/** The outcome of a prefix's own tests, in words: counts, and the failed tests by key. */
/**
 * The C compiler's warnings in a build log (`file.c:LINE:COL: warning: ...`), one per line, deduplicated (the
 * runtime compiles a file once per variant). OCaml's CI builds the runtime with `-Werror`: each would fail it. The
 * log of an incremental build holds the files that changed since the previous prefix, so a warning shows after the
 * patch that causes it.
 */
export function cCompilerWarnings(log: string): string[] {
  const found: string[] = [];
  // gcc names the function first ("runtime/crossload.c: In function 'init_guest':"), then the warning, whose
  // location may be a header where a macro expanded.
  let context: string | undefined;
  for (const l of log.split('\n')) {
    const fn = /^([^\s:]+\.c): In function (.+):$/.exec(l);
    if (fn) context = `${fn[1]}, in function ${fn[2]}`;
    else if (/^[^\s:]+\.[ch]:\d+:\d+: warning: /.test(l)) found.push(context && !l.startsWith(context.split(',')[0]!) ? `${l} (${context})` : l);
    else if (!/^\s|^In file included from /.test(l)) context = undefined;
  }
  return [...new Set(found)];
}

export function describePrefixTests(dirs: readonly string[], tests: readonly TestResult[]): { counts: Counts; line: string; failed: string[] } {
  const counts = countOutcomes(tests.map((t) => t.outcome));
  const failed = tests.filter((t) => t.outcome === 'failed').map((t) => t.key);
  const line =
    `its tests (${dirs.join(', ')}): ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped` +
    (failed.length > 0 ? ` (failed: ${failed.join(', ')})` : '');
  return { counts, line, failed };
}

/** Runs every test of `dirs` (relative to testsuite/) in the built tree of `target`, a log per directory. */
async function runOwnTests(target: BuildTarget, dirs: readonly string[], jobs: number | undefined): Promise<{ counts: Counts; line: string; failed: string[]; trouble: string[] }> {
  const results: TestResult[] = [];
  const trouble: string[] = [];
  for (const dir of dirs) {
    const logFile = join(target.logDir, `tests-${dir.replace(/\//g, '_')}.log`);
    const run = await runSuite({ srcDir: target.srcDir, selection: { dir }, jobs: jobs ?? 2, logFile });
    results.push(...run.tests);
    trouble.push(...run.problems.map((p) => `${dir}: ${p} (log: ${logFile})`));
  }
  return { ...describePrefixTests(dirs, results), trouble };
}

export interface EachPrefixResult {
  /** Empty, or the one prefix that does not build or whose own tests fail (the walk stops there). */
  problems: string[];
  /** What the pipeline did after each patch that built, in order. */
  outcomes: BuildOutcome[];
  /** The own tests of each prefix that has some, by patch number; `staleIncremental` when they failed after the
   * incremental build and passed after a build from clean (Make had kept outputs of an earlier prefix). */
  tests: { patch: number; counts: Counts; staleIncremental?: boolean }[];
}

export interface EachPrefixOptions {
  jobs?: number;
  log?: (line: string) => void;
  /** The first prefix to build (1: the whole series); the earlier ones are taken as checked. */
  from?: number;
  /** The last prefix to build (the whole series when absent). */
  to?: number;
  /** Run each prefix's own tests after building it (patchTestDirs); on by default. */
  tests?: boolean;
}

/**
 * Builds every prefix of the series applied in ocaml-src/, in one kept worktree moved commit by commit, so each
 * build is incremental (the build pipeline decides what to run again: configure after a template changed, make,
 * from clean on stale outputs), and runs the prefix's own tests in it. Stops at the first prefix that does not
 * build or whose tests fail (a skipped test is reported as skipped, not as passed).
 */
export async function buildEachPrefix(setup: BuildSetup, opts: EachPrefixOptions = {}): Promise<EachPrefixResult> {
  const { paths, config } = setup;
  const log = opts.log ?? (() => undefined);
  const git = gitIn(paths.ocamlSrc, config.gitIdentity);
  const commits = (await git.raw(['rev-list', '--reverse', `${config.ocaml.pristineTag}..HEAD`])).split('\n').filter(Boolean);
  const from = opts.from ?? 1;
  if (!Number.isInteger(from) || from < 1 || from > commits.length) {
    return { problems: [`--from ${from}: the series has patches 1 to ${commits.length}`], outcomes: [], tests: [] };
  }
  const to = opts.to ?? commits.length;
  if (!Number.isInteger(to) || to < from || to > commits.length) {
    return { problems: [`--to ${to}: the series has patches ${from} to ${commits.length} from --from ${from}`], outcomes: [], tests: [] };
  }
  const outcomes: BuildOutcome[] = [];
  const tests: EachPrefixResult['tests'] = [];
  for (const [i, commit] of commits.entries()) {
    const n = i + 1;
    if (n < from) continue;
    if (n > to) break;
    const subject = (await git.raw(['log', '-1', '--format=%s', commit])).trim();
    const target = lintEachTarget(paths, n, opts.jobs);
    for (const note of await ensureWorktree(config, { ocamlSrc: paths.ocamlSrc, dir: target.srcDir, commit, what: `patch ${n}`, moveExisting: true })) {
      log(`note: ${note}`);
    }
    try {
      const outcome = await runPipeline(setup, target);
      outcomes.push(outcome);
      for (const note of outcome.notes) log(`note: ${note}`);
      log(`✓ builds after patch ${n}${outcome.fromClean ? ' (from clean: the incremental build failed on stale outputs)' : ''}: ${subject}`);
      const makeLog = join(target.logDir, 'make.log');
      const warnings = existsSync(makeLog) ? cCompilerWarnings(readFileSync(makeLog, 'utf8')) : [];
      if (warnings.length > 0) {
        log(`✗ after patch ${n}, the C compiler warns: ${warnings.join('; ')}`);
        return { problems: [`after patch ${n} (${subject}), the C compiler warns (OCaml's CI builds with -Werror): ${warnings.join('; ')} (log: ${makeLog})`], outcomes, tests };
      }
    } catch (e) {
      if (!(e instanceof StepFailed)) throw e;
      log(`✗ builds after patch ${n}: ${subject}`);
      return { problems: [`the tree does not build after patch ${n} (${subject}): ${e.step} failed, see ${e.logFile}`], outcomes, tests };
    }
    if (opts.tests === false) continue;
    const files = (await git.raw(['diff-tree', '--no-commit-id', '--name-only', '-r', commit])).split('\n').filter(Boolean);
    // A directory the patch removes has no test left to run.
    const dirs = patchTestDirs(files).filter((d) => existsSync(join(target.srcDir, 'testsuite', d)));
    if (dirs.length === 0) continue;
    let run = await runOwnTests(target, dirs, opts.jobs);
    let stale = false;
    if ((run.failed.length > 0 || run.trouble.length > 0) && !outcomes[outcomes.length - 1]!.fromClean) {
      // Make does not see every change of a patch (a compiler flag in a Makefile): outputs of an earlier prefix
      // can pass for up to date. A failure after an incremental build is checked again from clean.
      log(`note: after patch ${n}, ${run.line} after an incremental build; building patch ${n} from clean to tell stale outputs from a failure`);
      try {
        const clean = await runPipeline(setup, { ...target, cleanFirst: true });
        outcomes[outcomes.length - 1] = clean;
      } catch (e) {
        if (!(e instanceof StepFailed)) throw e;
        log(`✗ builds after patch ${n} from clean: ${subject}`);
        return { problems: [`the tree does not build from clean after patch ${n} (${subject}): ${e.step} failed, see ${e.logFile}`], outcomes, tests };
      }
      run = await runOwnTests(target, dirs, opts.jobs);
      stale = run.failed.length === 0 && run.trouble.length === 0;
    }
    const { counts, line, failed, trouble } = run;
    tests.push({ patch: n, counts, ...(stale ? { staleIncremental: true } : {}) });
    // A prefix whose own tests all skip here (they run only in another configuration) shows nothing: it fails,
    // but for tests of TSan builds alone, which `npm run sanitize` runs (onlyTsanTests), said in a note.
    if (failed.length === 0 && trouble.length === 0 && counts.passed === 0 && counts.total > 0 && onlyTsanTests(target.srcDir, files)) {
      log(`note: after patch ${n}, ${line}: its tests run in TSan builds only, where npm run sanitize runs them`);
      continue;
    }
    if (failed.length > 0 || trouble.length > 0 || counts.passed === 0) {
      log(`✗ after patch ${n}, ${line}`);
      const why = [
        ...(failed.length > 0 ? [`${failed.join(', ')} failed (logs: ${target.logDir}/tests-*.log)`] : []),
        ...(counts.total === 0 ? ['no test gave a result'] : []),
        ...(counts.total > 0 && counts.passed === 0 && failed.length === 0 ? [`none passed (${counts.skipped} skipped)`] : []),
        ...trouble,
      ];
      return { problems: [`after patch ${n} (${subject}), its own tests: ${why.join('; ')}`], outcomes, tests };
    }
    if (stale) log(`note: after patch ${n}, its own tests pass from clean only: the incremental build had kept stale outputs`);
    log(`✓ after patch ${n}, ${line}`);
  }
  return { problems: [], outcomes, tests };
}
