import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProjectPaths, WorkbenchConfig } from '../config.ts';
import { WorkbenchError } from '../errors.ts';
import { gitIn } from '../git.ts';
import { checkBuildTools } from '../preflight.ts';
import { ensureTarball } from '../tarball.ts';
import { ensurePristineSource } from '../pristine.ts';
import { readSeries } from '../series-file.ts';
import { amAll, withScratchWorktree } from '../scratch-worktree.ts';
import { ensureWorktree, runPipeline, type BuildTarget, type StepName } from '../build-pipeline.ts';
import { CROSSLOAD_PRODUCTS } from './stock-products.ts';

/**
 * The series built with crossloading configured off, in its own place: a detached worktree of ocaml-src/'s
 * repository under .cache/crossload-off/, at the commit `git am` of patches/ (in patches/series order) makes on the
 * pristine tag, configured with workbench.json's flags plus --disable-crossload and built in-tree by the one build
 * pipeline (harness/build-pipeline.ts), whose stamps rebuild it only when the patches or the flags changed.
 * ocaml-src/ itself is never moved or built: the series is applied in a scratch worktree (its commits land in the
 * shared object store, the same ids as ocaml-src/'s own when it holds the series).
 */
export const DISABLE_CROSSLOAD = '--disable-crossload';

export interface CrossloadOffLayout {
  dir: string;
  /** The worktree, built in-tree (OCaml's testsuite runs on the in-tree build). */
  srcDir: string;
  /** Given to configure as --prefix; nothing is installed there. */
  prefix: string;
  logDir: string;
  /** Held while this tree is built and tested: one such run at a time. */
  lock: string;
  /** Which commit `git am` made from which patches (saves a scratch apply when the series has not changed). */
  seriesRecord: string;
}

export function crossloadOffLayout(paths: ProjectPaths, config: WorkbenchConfig): CrossloadOffLayout {
  const dir = paths.crossloadOffDir;
  return {
    dir,
    srcDir: join(dir, `ocaml-${config.ocaml.version}`),
    prefix: join(dir, '_install'),
    logDir: paths.crossloadOffBuildLogs,
    lock: join(dir, 'run.lock'),
    seriesRecord: join(dir, 'series-commit.json'),
  };
}

export function crossloadOffTarget(paths: ProjectPaths, config: WorkbenchConfig, jobs?: number): BuildTarget {
  const layout = crossloadOffLayout(paths, config);
  return {
    label: 'crossload off',
    srcDir: layout.srcDir,
    prefix: layout.prefix,
    install: false,
    logDir: layout.logDir,
    ...(jobs !== undefined ? { jobs } : {}),
    extraConfigureFlags: [DISABLE_CROSSLOAD],
  };
}

export interface CrossloadOffBuildOptions {
  paths: ProjectPaths;
  config: WorkbenchConfig;
  jobs?: number;
  /** Progress lines (the CLI prints them; tests keep quiet). */
  log?: (line: string) => void;
}

export interface CrossloadOffBuild extends CrossloadOffLayout {
  /** The series applied on the pristine tag. */
  commit: string;
  patches: string[];
  configureFlags: string[];
  upToDate: boolean;
  ran: StepName[];
  notes: string[];
}

interface SeriesRecord {
  digest: string;
  commit: string;
}

/** What the applied commit depends on: the base commit, and each patch's name and bytes, in series order. */
export function seriesDigest(base: string, patchesDir: string, names: readonly string[]): string {
  const h = createHash('sha256').update(`${base}\n`);
  for (const name of names) h.update(`${name}\n`).update(readFileSync(join(patchesDir, name))).update('\n');
  return h.digest('hex');
}

/**
 * The commit of patches/ applied with `git am` on the pristine tag, made in a scratch worktree of ocaml-src/'s
 * repository (ocaml-src/'s own worktree, branch and index are left alone), or read from the record of the last
 * apply when the patches and the base have not changed and the commit still exists.
 */
export async function seriesCommit(paths: ProjectPaths, config: WorkbenchConfig, recordFile: string): Promise<{ commit: string; patches: string[] }> {
  const tag = config.ocaml.pristineTag;
  const git = gitIn(paths.ocamlSrc, config.gitIdentity);
  const names = readSeries(paths.patches);
  const base = (await git.revparse([`${tag}^{commit}`])).trim();
  const digest = seriesDigest(base, paths.patches, names);
  const recorded = readRecord(recordFile);
  if (recorded?.digest === digest) {
    const exists = await git.raw(['cat-file', '-e', `${recorded.commit}^{commit}`]).then(() => true, () => false);
    if (exists) return { commit: recorded.commit, patches: names };
  }
  const result = await withScratchWorktree(git, tag, config.gitIdentity, (wgit) => amAll(wgit, tag, names.map((n) => join(paths.patches, n))));
  if (!result.ok) {
    throw new WorkbenchError(
      `patch ${names[result.applied]} (number ${result.applied + 1} of ${names.length}) does not apply to ${tag}: the series cannot be built with crossloading off`,
      'See it with npm run patches:check; resolve it in ocaml-src/ (npm run patches:apply stops there), export, and run again.',
    );
  }
  mkdirSync(join(recordFile, '..'), { recursive: true });
  writeFileSync(recordFile, `${JSON.stringify({ digest, commit: result.head } satisfies SeriesRecord, null, 2)}\n`);
  return { commit: result.head, patches: names };
}

function readRecord(file: string): SeriesRecord | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as SeriesRecord;
  } catch {
    return undefined;
  }
}

/**
 * Before a build of the tree (never when it is up to date): remove the crossloading products and `ocaml` left by an
 * earlier build, so that what the product checks find afterwards is what this build made (upstream's Makefile
 * would not relink `ocaml`, nor delete `ocaml.opt`, when only configure's answers changed).
 */
export function removeCrossloadProducts(srcDir: string): string[] {
  const removed = [...CROSSLOAD_PRODUCTS, 'ocaml'].filter((f) => existsSync(join(srcDir, f)));
  for (const f of removed) rmSync(join(srcDir, f), { force: true });
  return removed.length > 0 ? [`removed ${removed.join(', ')} left by the previous build of ${srcDir}, so the checks see this build's products`] : [];
}

/** Applies the series (scratch worktree), moves the crossload-off worktree to it, and builds it there when needed. */
export async function ensureCrossloadOffBuild(opts: CrossloadOffBuildOptions): Promise<CrossloadOffBuild> {
  const { paths, config } = opts;
  const layout = crossloadOffLayout(paths, config);
  await checkBuildTools();
  // ocaml-src/ is made (the pristine tag only) when missing, and checked to be the pinned source; never moved.
  const tarball = await ensureTarball(config, paths.cache, join(layout.logDir, 'fetch.log'));
  await ensurePristineSource(config, tarball, paths.ocamlSrc);
  const { commit, patches } = await seriesCommit(paths, config, layout.seriesRecord);
  const notes = await ensureWorktree(config, {
    ocamlSrc: paths.ocamlSrc,
    dir: layout.srcDir,
    commit,
    what: 'the series with crossloading off',
    // A cache: moved to the series of today (only the files that differ change, so the build stays incremental).
    moveExisting: true,
  });
  const outcome = await runPipeline({ paths, config }, crossloadOffTarget(paths, config, opts.jobs), opts.log, () => removeCrossloadProducts(layout.srcDir));
  return { ...layout, commit, patches, configureFlags: outcome.configureFlags, upToDate: outcome.upToDate, ran: outcome.ran, notes: [...notes, ...outcome.notes] };
}
