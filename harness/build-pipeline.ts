import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { harnessVersion, type ProjectPaths, type WorkbenchConfig } from './config.ts';
import { WorkbenchError } from './errors.ts';
import { run } from './exec.ts';
import { gitIn } from './git.ts';
import { configure, install, make, readBuiltStamp, recoverInterruptedBuild, type BuildTree } from './build-steps.ts';
import { keyDifferences, readManifest, removeManifest, sameKey, writeManifest, type BuildKey } from './manifest.ts';
import { TIMEOUTS } from './timeouts.ts';

/**
 * The one OCaml build pipeline: build-ocaml (ocaml-src/ into _install/), the pristine build (.cache/pristine/) and
 * `patches:lint --each` (.cache/lint-each/, patch by patch) differ only in the BuildTarget they give it.
 *
 * Decision, made once by the first step from the records of harness/manifest.ts:
 * - a target that installs is up to date when its prefix's manifest has this build's key and its ocamlc runs;
 *   one that does not install, when the tree's stamp has the key. Up to date: nothing runs.
 * - otherwise configure and make run unless the tree's stamp has the key (the tree is built, only the install is
 *   missing); configure itself runs only when never run, or when its flags, `configure` or a `*.in` template changed
 *   (build-steps.ts); make falls back to a build from clean on stale outputs and relinks stale native programs.
 * - a build killed or failed half-way is recovered first and never counts as up to date.
 */
export interface BuildSetup {
  paths: ProjectPaths;
  /** configureFlags come from here (workbench.json), the one place. */
  config: WorkbenchConfig;
}

export interface BuildTarget {
  /** Names the build in progress lines ('pristine', 'patch 4'). */
  label: string;
  /** The tree built in place: ocaml-src/ or a worktree of it. */
  srcDir: string;
  /** Given to configure as --prefix; where `make install` puts the compiler when `install`. */
  prefix: string;
  /** Whether the product is an installed prefix (with its manifest) or only the built tree. */
  install: boolean;
  /** Where each step writes <step>.log. */
  logDir: string;
  /** make -j (default: the number of cores). */
  jobs?: number;
  /** Build again from clean when the incremental build fails after the sources moved (default true). */
  fromClean?: boolean;
  /** Build from clean (make clean, configure, make) even if the tree's stamp says it is built. */
  cleanFirst?: boolean;
  /** Recorded in the manifest of an install (the series' file names; none for the pristine tree). */
  patches?: readonly string[];
  /** Given to configure after workbench.json's configureFlags, before --prefix (the crossload-off build's --disable-crossload). */
  extraConfigureFlags?: readonly string[];
}

export type StepName = 'configure' | 'make' | 'install';

export interface BuildOutcome {
  /** Nothing was needed: no step ran. */
  upToDate: boolean;
  /** The steps that ran (configure counts only when ./configure was run), in order. */
  ran: StepName[];
  configureFlags: string[];
  /** The incremental build failed on stale outputs and the tree was built again from clean. */
  fromClean: boolean;
  /** What the user should know: recovery after a killed build, a build from clean, relinked programs. */
  notes: string[];
}

/** One step of the pipeline, for a progress display: build-ocaml maps them to listr2 tasks, runPipeline runs them plainly. */
export interface PipelineStep {
  /** What it does, e.g. `make -j2`. */
  title: string;
  /** Why it is skipped ('up to date'), or false; asked when its turn comes, after the first step has decided. */
  skip: () => string | false;
  /** Runs it; returns a title saying how it went, when that says more than `title`. */
  run: () => Promise<string | undefined>;
}

export interface BuildPipeline {
  steps: PipelineStep[];
  /** Filled in as the steps run. */
  outcome: BuildOutcome;
}

export function configureFlagsFor(config: WorkbenchConfig, prefix: string, extra: readonly string[] = []): string[] {
  return [...config.configureFlags, ...extra, `--prefix=${prefix}`];
}

export function buildPipeline(setup: BuildSetup, target: BuildTarget): BuildPipeline {
  const { paths, config } = setup;
  const jobs = target.jobs ?? availableParallelism();
  const flags = configureFlagsFor(config, target.prefix, target.extraConfigureFlags);
  // Set by the first step: the steps may be made before the tree exists (build-ocaml unpacks it in an earlier task).
  let decided: { tree: BuildTree; key: BuildKey } | undefined;
  const state = () => {
    if (!decided) throw new Error(`build pipeline (${target.label}): a step ran before the first one decided`);
    return decided;
  };
  const outcome: BuildOutcome = { upToDate: false, ran: [], configureFlags: flags, fromClean: false, notes: [] };
  let needMake = true;
  let needInstall = target.install;
  const skipUnless = (needed: () => boolean) => () => (needed() ? false : outcome.upToDate ? 'up to date' : 'the tree is already built');

  const decide: PipelineStep = {
    title: target.install ? 'Compare with the installed manifest' : 'Compare with the last build',
    skip: () => false,
    run: async () => {
      const tree: BuildTree = { srcDir: target.srcDir, git: gitIn(target.srcDir, config.gitIdentity), logDir: target.logDir };
      const recovered = await recoverInterruptedBuild(tree);
      if (recovered) outcome.notes.push(recovered);
      const key: BuildKey = {
        harnessVersion: harnessVersion(paths.root),
        tarballIntegrity: config.ocaml.integrity,
        patchedTree: (await tree.git.revparse(['HEAD^{tree}'])).trim(),
        configureFlags: flags,
        prefix: target.prefix,
      };
      decided = { tree, key };
      const built = await readBuiltStamp(tree);
      needMake = target.cleanFirst === true || recovered !== undefined || !sameKey(built, key);
      const installed = readManifest(target.prefix);
      needInstall = target.install && (recovered !== undefined || !sameKey(installed, key) || (await compilerVersion(target.prefix)) === undefined);
      if (target.install && !needInstall) needMake = false;
      outcome.upToDate = !needMake && !needInstall;
      if (outcome.upToDate) return `Up to date: ${target.install ? target.prefix : target.srcDir}`;
      const why = target.install ? keyDifferences(installed, key) : keyDifferences(built, key, 'not built yet');
      return `Needs a build: ${[...(recovered ? ['recovering from an interrupted build'] : []), ...why].join(', ') || 'install incomplete'}`;
    },
  };

  const configureStep: PipelineStep = {
    title: `configure ${flags.join(' ')}`,
    skip: skipUnless(() => needMake),
    run: async () => {
      if ((await configure(state().tree, flags)) === 'up-to-date') return 'configure: already configured with these flags';
      outcome.ran.push('configure');
      return undefined;
    },
  };

  const makeStep: PipelineStep = {
    title: `make -j${jobs} (log: ${join(target.logDir, 'make.log')})`,
    skip: skipUnless(() => needMake),
    run: async () => {
      const reconfigure = async () => {
        await configure(state().tree, flags, { force: true });
        if (!outcome.ran.includes('configure')) outcome.ran.push('configure');
      };
      const cleanFirst = target.cleanFirst === true;
      const r = await make(state().tree, state().key, { jobs, fromClean: target.fromClean ?? true, reconfigure, cleanFirst });
      outcome.ran.push('make');
      outcome.fromClean = r.fromClean;
      if (cleanFirst) outcome.notes.push('built from clean, as asked');
      else if (r.fromClean) {
        outcome.notes.push(`the incremental build failed after the sources changed (stale outputs); rebuilt from clean (first failure: ${join(target.logDir, 'make-incremental.log')})`);
      }
      if (r.relinked.length > 0) outcome.notes.push(`relinked ${r.relinked.length} native program(s) older than the native runtime (${r.relinked.join(', ')})`);
      return undefined;
    },
  };

  const installStep: PipelineStep = {
    title: `make install → ${target.prefix}`,
    skip: () => (!target.install ? 'not installed' : needInstall ? false : 'up to date'),
    run: async () => {
      removeManifest(target.prefix);
      await install(state().tree);
      const version = await compilerVersion(target.prefix);
      if (version === undefined) throw new WorkbenchError(`${target.prefix}/bin/ocamlc -version did not run after make install`, `Read ${join(target.logDir, 'install.log')}.`);
      writeManifest(target.prefix, { ...state().key, compilerVersion: version, patches: [...(target.patches ?? [])], builtAt: new Date().toISOString() });
      outcome.ran.push('install');
      return undefined;
    },
  };

  return { steps: [decide, configureStep, makeStep, installStep], outcome };
}

/**
 * Runs the pipeline's steps in order, one progress line each (`label: title`); a failed step throws (StepFailed).
 * `beforeBuild`, when given, runs once the first step has decided that a build is needed, before configure; what it
 * returns is added to the outcome's notes.
 */
export async function runPipeline(
  setup: BuildSetup,
  target: BuildTarget,
  log: (line: string) => void = () => undefined,
  beforeBuild?: () => Promise<string[]> | string[],
): Promise<BuildOutcome> {
  const { steps, outcome } = buildPipeline(setup, target);
  for (const [i, step] of steps.entries()) {
    if (i === 1 && beforeBuild && !outcome.upToDate) outcome.notes.push(...(await beforeBuild()));
    if (step.skip() !== false) continue;
    log(`${target.label}: ${step.title}`);
    const said = await step.run();
    if (said !== undefined && said !== step.title) log(`${target.label}: ${said}`);
  }
  return outcome;
}

/** `ocamlc -version` of the compiler installed in `prefix`, or undefined when it is missing or does not run. */
export async function compilerVersion(prefix: string): Promise<string | undefined> {
  const r = await run(join(prefix, 'bin', 'ocamlc'), ['-version'], { cwd: prefix, timeoutMs: TIMEOUTS.toolQueryMs }).catch(() => undefined);
  return r && r.exitCode === 0 ? r.stdout.trim() : undefined;
}

export interface WorktreeRequest {
  ocamlSrc: string;
  dir: string;
  commit: string;
  /** What the tree must be, for the refusal: 'the pristine upstream/5.3.0 tree'. */
  what: string;
  /** Move an existing worktree that is elsewhere or edited to `commit` (patches:lint --each), instead of refusing. */
  moveExisting: boolean;
}

/**
 * Makes `dir` a detached worktree of ocaml-src/ at `commit`, for a pipeline that builds apart from ocaml-src/. A
 * worktree left by a deleted ocaml-src/ is made again. An existing one elsewhere, or with edited sources, is moved
 * to `commit` when `moveExisting`, refused otherwise (results made from it would not be those of `commit`).
 * Returns notes for the user.
 */
export async function ensureWorktree(config: WorkbenchConfig, req: WorktreeRequest): Promise<string[]> {
  const { ocamlSrc, dir, commit } = req;
  const notes: string[] = [];
  const srcGit = gitIn(ocamlSrc, config.gitIdentity);
  if (existsSync(dir)) {
    const wgit = gitIn(dir, config.gitIdentity);
    const head = await wgit.revparse(['HEAD']).then((h) => h.trim(), () => undefined);
    if (head === undefined) {
      notes.push(`${dir} was not a usable worktree of ocaml-src/ (ocaml-src/ remade?); made it again`);
      rmSync(dir, { recursive: true, force: true });
    } else {
      const edited = (await wgit.raw(['status', '--porcelain', '--untracked-files=no'])).trim();
      if (head === commit && edited === '') return notes;
      if (req.moveExisting) {
        await wgit.raw(['checkout', '--quiet', '--force', '--detach', commit]);
        return notes;
      }
      throw new WorkbenchError(
        `${dir} is not ${req.what} (HEAD ${head.slice(0, 12)}${edited ? ', sources edited' : ''})`,
        `Remove it (git -C ${ocamlSrc} worktree remove --force ${dir}) and run again: it is made again from ${commit.slice(0, 12)}.`,
      );
    }
  }
  mkdirSync(join(dir, '..'), { recursive: true });
  await srcGit.raw(['worktree', 'prune']);
  await srcGit.raw(['worktree', 'add', '--quiet', '--detach', dir, commit]);
  return notes;
}
