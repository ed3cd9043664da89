import { appendFileSync, copyFileSync, existsSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { SimpleGit } from 'simple-git';
import { WorkbenchError } from './errors.ts';
import { run } from './exec.ts';
import { isBuildOutputPath } from './patch-export.ts';
import { readKeyFile, writeKeyFile, type BuildKey } from './manifest.ts';

/**
 * The steps of an in-tree OCaml build, with the bookkeeping that makes them
 * incremental and safe to interrupt. State lives inside the tree's git
 * directory (ocaml-src/.git, or a worktree's own part of it) so it follows
 * the tree and never shows up as a source change. What to run is decided by
 * harness/build-pipeline.ts.
 */
export interface BuildTree {
  srcDir: string;
  git: SimpleGit;
  logDir: string;
}

type Step = 'configure' | 'make' | 'install';

async function stateFile(tree: BuildTree, name: string): Promise<string> {
  const p = (await tree.git.raw(['rev-parse', '--git-path', name])).trim();
  return isAbsolute(p) ? p : join(tree.srcDir, p);
}

export function logFileFor(tree: BuildTree, step: string): string {
  return join(tree.logDir, `${step}.log`);
}

export class StepFailed extends WorkbenchError {
  constructor(
    readonly step: string,
    readonly logFile: string,
    readonly exitCode: number,
  ) {
    super(`${step} failed (exit ${exitCode}); full log: ${logFile}\n--- last lines ---\n${tail(logFile, 25)}`, `Read ${logFile}. Fix the cause and run again: finished work is kept.`);
  }
}

function tail(file: string, lines: number): string {
  if (!existsSync(file)) return '(no log)';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

async function runStep(tree: BuildTree, step: string, file: string, args: string[]): Promise<void> {
  const logFile = logFileFor(tree, step);
  rmSync(logFile, { force: true });
  const r = await run(file, args, { cwd: tree.srcDir, logFile });
  if (r.exitCode !== 0) throw new StepFailed(step, logFile, r.exitCode);
}

// ---- interrupted builds ---------------------------------------------------

interface InProgress {
  step: Step;
  startedMs: number;
}

/** Marks `step` as running; a marker left behind means the build was killed. */
async function markRunning(tree: BuildTree, step: Step): Promise<void> {
  const marker: InProgress = { step, startedMs: Date.now() };
  writeFileSync(await stateFile(tree, 'workbench-build-in-progress.json'), JSON.stringify(marker));
}

async function clearRunning(tree: BuildTree): Promise<void> {
  rmSync(await stateFile(tree, 'workbench-build-in-progress.json'), { force: true });
}

/**
 * After a killed build, files that step was writing may be truncated yet
 * newer than their sources, so make would trust them. Delete every untracked
 * file written since the killed step started (they are all regenerable), and
 * forget the configure stamp if configure itself was killed.
 * Returns a description of what was done, or undefined if the last build ended.
 */
export async function recoverInterruptedBuild(tree: BuildTree): Promise<string | undefined> {
  const file = await stateFile(tree, 'workbench-build-in-progress.json');
  if (!existsSync(file)) return undefined;
  const marker = JSON.parse(readFileSync(file, 'utf8')) as InProgress;
  let removed = 0;
  if (marker.step === 'configure') {
    rmSync(await stateFile(tree, 'workbench-configure.json'), { force: true });
  } else if (marker.step === 'make') {
    const untracked = (await tree.git.raw(['ls-files', '--others', '-z'])).split('\0').filter(Boolean);
    for (const rel of untracked) {
      const path = join(tree.srcDir, rel);
      try {
        if (statSync(path).mtimeMs >= marker.startedMs - 1000) {
          unlinkSync(path);
          removed++;
        }
      } catch {
        /* vanished meanwhile */
      }
    }
  }
  rmSync(file, { force: true });
  return `the previous build was killed during ${marker.step}; ${marker.step === 'make' ? `removed ${removed} files it may have left half-written` : 'it will be redone'}`;
}

// ---- configure ------------------------------------------------------------

interface ConfigureStamp {
  flags: string[];
  /**
   * Blob ids of `configure` and of every `*.in` template it instantiates
   * (Makefile.config.in, dynlink_config.ml.in …): a patch to any of them
   * reconfigures, or the generated file would stay stale.
   */
  inputs: string;
}

/**
 * Runs ./configure unless the tree is already configured with the same flags
 * and the same configure inputs: re-running it would rewrite Makefile.config
 * and friends and make would rebuild everything.
 */
export async function configure(tree: BuildTree, flags: string[], opts: { force?: boolean } = {}): Promise<'ran' | 'up-to-date'> {
  const stampFile = await stateFile(tree, 'workbench-configure.json');
  const listing = await tree.git.raw(['ls-files', '-s', '--', 'configure', '*.in']);
  const wanted: ConfigureStamp = { flags, inputs: listing.trim() };
  if (!opts.force && existsSync(stampFile) && existsSync(join(tree.srcDir, 'Makefile.config'))) {
    if (readFileSync(stampFile, 'utf8') === JSON.stringify(wanted)) return 'up-to-date';
  }
  rmSync(stampFile, { force: true });
  await markRunning(tree, 'configure');
  await runStep(tree, 'configure', './configure', flags);
  writeFileSync(stampFile, JSON.stringify(wanted));
  await clearRunning(tree);
  return 'ran';
}

// ---- the built tree's stamp ------------------------------------------------

/**
 * The key of the last make that finished in this tree (harness/manifest.ts's format). A make that fails or is
 * killed leaves its in-progress marker, so a stamp is never trusted after one (see recoverInterruptedBuild).
 */
export async function readBuiltStamp(tree: BuildTree): Promise<BuildKey | undefined> {
  return readKeyFile(await stateFile(tree, 'workbench-build.json'));
}

async function writeBuiltStamp(tree: BuildTree, key: BuildKey): Promise<void> {
  writeKeyFile(await stateFile(tree, 'workbench-build.json'), key);
  // Written by earlier versions of the workbench (the tree hash only); the stamp replaces it.
  rmSync(await stateFile(tree, 'workbench-built-tree'), { force: true });
}

/** The source tree (`HEAD^{tree}`) of the last make that finished here, if any. */
async function lastBuiltTree(tree: BuildTree): Promise<string | undefined> {
  const stamp = await readBuiltStamp(tree);
  if (stamp) return stamp.patchedTree;
  const legacy = await stateFile(tree, 'workbench-built-tree');
  return existsSync(legacy) ? readFileSync(legacy, 'utf8').trim() : undefined;
}

// ---- make -------------------------------------------------------------------

export interface MakeOptions {
  jobs: number;
  /** After an incremental make fails on sources that moved since the last build: make clean, configure, make. */
  fromClean: boolean;
  /** Runs configure again (after make clean). */
  reconfigure: () => Promise<unknown>;
  /** make clean and configure again before building, whatever the tree's state (outputs that make thinks up to date
   * but that earlier flags made, which no failure reveals). */
  cleanFirst?: boolean;
}

export interface MakeOutcome {
  /** The incremental build failed on stale outputs and the tree was built again from clean. */
  fromClean: boolean;
  /** Native programs relinked because they were older than the native runtime. */
  relinked: string[];
}

/**
 * Incremental make; on success the tree is stamped with `key`. When the
 * source tree changed since the last good build and make fails, outputs left
 * by the old tree may be to blame (a patch that moves a source file leaves
 * its old objects behind, and make trusts them): then, if `fromClean`,
 * `make clean`, configure again and build once more from clean.
 */
export async function make(tree: BuildTree, key: BuildKey, opts: MakeOptions): Promise<MakeOutcome> {
  const lastBuilt = await lastBuiltTree(tree);
  // Marked first: a run killed in make clean leaves a tree that is not built, whatever its stamp says.
  await markRunning(tree, 'make');
  let fromClean = false;
  if (opts.cleanFirst) {
    await runStep(tree, 'make-clean', 'make', ['clean']);
    await opts.reconfigure();
    await markRunning(tree, 'make');
    fromClean = true;
  }
  try {
    await runStep(tree, 'make', 'make', [`-j${opts.jobs}`]);
  } catch (e) {
    if (!(e instanceof StepFailed) || !opts.fromClean || fromClean || lastBuilt === undefined || lastBuilt === key.patchedTree) throw e;
    copyFileSync(logFileFor(tree, 'make'), logFileFor(tree, 'make-incremental'));
    await runStep(tree, 'make-clean', 'make', ['clean']);
    // OCaml's `make clean` also removes files that configure made (stdlib/runtime.info…).
    await opts.reconfigure();
    await markRunning(tree, 'make');
    try {
      await runStep(tree, 'make', 'make', [`-j${opts.jobs}`]);
    } catch (again) {
      if (!(again instanceof StepFailed)) throw again;
      throw new StepFailed('make from clean (the incremental build failed first)', again.logFile, again.exitCode);
    }
    fromClean = true;
  }
  // OCaml's Makefile links native programs without a dependency on the runtime library: relink those it left stale.
  const relinked = staleNativePrograms(tree.srcDir);
  if (relinked.length > 0) {
    for (const f of relinked) rmSync(join(tree.srcDir, f));
    await runStep(tree, 'make-relink', 'make', [`-j${opts.jobs}`]);
  }
  await clearRunning(tree);
  await writeBuiltStamp(tree, key);
  await recordBuildOutputs(tree);
  return { fromClean, relinked };
}

/**
 * The native programs of the build (the `*.opt` tools, ocamlnat,
 * ocamlrun.crossload…) older than runtime/libasmrun.a. upstream's rules
 * make them depend on their OCaml objects only, so a patch that changes
 * only the runtime's C code would leave them linked with the old runtime,
 * and `make install` would install them.
 */
export function staleNativePrograms(srcDir: string): string[] {
  const runtime = join(srcDir, 'runtime', 'libasmrun.a');
  if (!existsSync(runtime)) return [];
  const since = statSync(runtime).mtimeMs;
  const candidates = ['.', 'tools', 'ocamltest', 'otherlibs/dynlink', 'lex', 'yacc', 'ocamldoc', 'testsuite/tools']
    .flatMap((d) => (existsSync(join(srcDir, d)) ? readdirSync(join(srcDir, d)).map((f) => (d === '.' ? f : `${d}/${f}`)) : []))
    .filter((f) => /(\.opt|^ocamlnat|\/ocamlrund?\.crossload)$/.test(f) || f === 'ocamlnat');
  return candidates.filter((f) => {
    const st = statSync(join(srcDir, f), { throwIfNoEntry: false });
    return st !== undefined && st.isFile() && st.mtimeMs < since;
  });
}

export async function install(tree: BuildTree): Promise<void> {
  await markRunning(tree, 'install');
  await runStep(tree, 'install', 'make', ['install']);
  await clearRunning(tree);
}

/**
 * Lists the build's outputs in .git/info/exclude, so `git add -A` or
 * `git status -u` in ocaml-src/ never picks them up. Files with source-like
 * names stay visible: they may be the user's new, not yet committed, sources.
 */
async function recordBuildOutputs(tree: BuildTree): Promise<void> {
  const untracked = (await tree.git.raw(['ls-files', '--others', '--exclude-standard', '-z'])).split('\0').filter(Boolean);
  const outputs = untracked.filter((p) => isBuildOutputPath(p) || !/\.(c|h|ml|mli|mll|mly|S|asm|in|ac|md|txt|reference|sh|py|etex|tex)$/.test(p));
  if (outputs.length === 0) return;
  const exclude = await stateFile(tree, 'info/exclude');
  appendFileSync(exclude, outputs.map((p) => `/${p.replace(/([*?[\\#!])/g, '\\$1')}\n`).join(''));
}

