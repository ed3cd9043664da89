import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProjectPaths, WorkbenchConfig } from './config.ts';
import { WorkbenchError } from './errors.ts';
import { gitIn } from './git.ts';
import { checkBuildTools } from './preflight.ts';
import { ensureTarball } from './tarball.ts';
import { ensurePristineSource } from './pristine.ts';
import { readSeries } from './series-file.ts';
import { amAll, withScratchWorktree } from './scratch-worktree.ts';
import { ensureWorktree, runPipeline, type BuildTarget, type StepName } from './build-pipeline.ts';

/**
 * A variant build of the series: patches/ applied with `git am` on the pristine tag, configured with workbench.json's
 * flags plus the variant's own, and built by the one build pipeline (harness/build-pipeline.ts) in its own detached
 * worktree of ocaml-src/'s repository (`<dir>/ocaml-<version>`), rebuilt only when the patches or the flags changed;
 * installed into `<dir>/_install` when the variant asks for it. ocaml-src/ itself is never moved, built or
 * configured: the series is applied in a scratch worktree (its commits land in the shared object store, with the same
 * ids as ocaml-src/'s own when it holds the series).
 *
 * The variants: `ocaml-testsuite --crossload-off` (.cache/crossload-off/, --disable-crossload, not installed:
 * harness/ocaml-testsuite/crossload-off.ts) and `sanitize` (.cache/tsan/, --enable-tsan, installed:
 * harness/sanitize/tsan-build.ts).
 */
export interface VariantSpec {
  /** Names the build in progress lines ('crossload off', 'tsan'). */
  label: string;
  /** What the tree is, for messages: 'the series with crossloading off'. */
  what: string;
  /** Its directory (.cache/<name>/): the worktree, the install prefix, the lock, the record of the applied series. */
  dir: string;
  /** Where each step writes <step>.log. */
  logDir: string;
  /** Given to configure after workbench.json's configureFlags, before --prefix. */
  extraConfigureFlags: readonly string[];
  /** `make install` into the layout's prefix (its manifest records the build); otherwise the prefix is only configure's. */
  install: boolean;
  /** Runs once a build is decided, before configure (never when up to date); returns notes for the user. */
  beforeBuild?: (layout: VariantLayout) => string[];
}

export interface VariantLayout {
  dir: string;
  /** The worktree, built in-tree (OCaml's testsuite runs on the in-tree build). */
  srcDir: string;
  /** Given to configure as --prefix; filled by `make install` only when the variant installs. */
  prefix: string;
  logDir: string;
  /** Held while this tree is built and tested: one such run at a time. */
  lock: string;
  /** Which commit `git am` made from which patches (saves a scratch apply when the series has not changed). */
  seriesRecord: string;
}

export function variantLayout(spec: Pick<VariantSpec, 'dir' | 'logDir'>, config: WorkbenchConfig): VariantLayout {
  const { dir } = spec;
  return {
    dir,
    srcDir: join(dir, `ocaml-${config.ocaml.version}`),
    prefix: join(dir, '_install'),
    logDir: spec.logDir,
    lock: join(dir, 'run.lock'),
    seriesRecord: join(dir, 'series-commit.json'),
  };
}

export function variantTarget(spec: VariantSpec, config: WorkbenchConfig, jobs?: number, patches?: readonly string[]): BuildTarget {
  const layout = variantLayout(spec, config);
  return {
    label: spec.label,
    srcDir: layout.srcDir,
    prefix: layout.prefix,
    install: spec.install,
    logDir: layout.logDir,
    ...(jobs !== undefined ? { jobs } : {}),
    ...(patches !== undefined ? { patches } : {}),
    extraConfigureFlags: [...spec.extraConfigureFlags],
  };
}

export interface VariantBuildOptions {
  paths: ProjectPaths;
  config: WorkbenchConfig;
  spec: VariantSpec;
  jobs?: number;
  /** Progress lines (the CLI prints them; tests keep quiet). */
  log?: (line: string) => void;
}

export interface VariantBuild extends VariantLayout {
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
 * apply when the patches and the base have not changed and the commit still exists. `what` names the build that
 * needs it, for the message when a patch does not apply.
 */
export async function seriesCommit(
  paths: ProjectPaths,
  config: WorkbenchConfig,
  recordFile: string,
  what = 'the series',
): Promise<{ commit: string; patches: string[] }> {
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
      `patch ${names[result.applied]} (number ${result.applied + 1} of ${names.length}) does not apply to ${tag}: ${what} cannot be built`,
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

/** Applies the series (scratch worktree), moves the variant's worktree to it, and builds (and installs) it there when needed. */
export async function ensureVariantBuild(opts: VariantBuildOptions): Promise<VariantBuild> {
  const { paths, config, spec } = opts;
  const layout = variantLayout(spec, config);
  await checkBuildTools();
  // ocaml-src/ is made (the pristine tag only) when missing, and checked to be the pinned source; never moved.
  const tarball = await ensureTarball(config, paths.cache, join(layout.logDir, 'fetch.log'));
  await ensurePristineSource(config, tarball, paths.ocamlSrc);
  const { commit, patches } = await seriesCommit(paths, config, layout.seriesRecord, spec.what);
  const notes = await ensureWorktree(config, {
    ocamlSrc: paths.ocamlSrc,
    dir: layout.srcDir,
    commit,
    what: spec.what,
    // A cache: moved to the series of today (only the files that differ change, so the build stays incremental).
    moveExisting: true,
  });
  const beforeBuild = spec.beforeBuild;
  const outcome = await runPipeline({ paths, config }, variantTarget(spec, config, opts.jobs, patches), opts.log, beforeBuild ? () => beforeBuild(layout) : undefined);
  return { ...layout, commit, patches, configureFlags: outcome.configureFlags, upToDate: outcome.upToDate, ran: outcome.ran, notes: [...notes, ...outcome.notes] };
}
