import { join } from 'node:path';
import type { ProjectPaths, WorkbenchConfig } from './config.ts';
import { gitIn } from './git.ts';
import { checkBuildTools } from './preflight.ts';
import { ensureTarball } from './tarball.ts';
import { ensurePristineSource } from './pristine.ts';
import { ensureWorktree, runPipeline, type BuildTarget, type StepName } from './build-pipeline.ts';

/**
 * The unpatched release, built once in its own place: a git worktree of
 * ocaml-src/ at the pristine tag, under .cache/pristine/ (git-ignored).
 * Anything that compares the series with upstream 5.3.0 (the testsuite
 * baseline, benchmarks) builds it through here, with the same configure flags
 * as the patched build, so only the patches differ. The build itself is the
 * one pipeline of harness/build-pipeline.ts.
 */
export interface PristineLayout {
  dir: string;
  /** The worktree, built in-tree (OCaml's testsuite runs on the in-tree build). */
  srcDir: string;
  /** Install prefix, filled only when asked for (`install: true`). */
  prefix: string;
  logDir: string;
}

export function pristineLayout(paths: ProjectPaths, config: WorkbenchConfig): PristineLayout {
  const dir = paths.pristineDir;
  return { dir, srcDir: join(dir, `ocaml-${config.ocaml.version}`), prefix: join(dir, '_install'), logDir: paths.pristineBuildLogs };
}

export interface PristineBuildOptions {
  paths: ProjectPaths;
  config: WorkbenchConfig;
  jobs?: number;
  /** Also `make install` into the layout's prefix (for tools that need an installed compiler); then the prefix is the product. */
  install?: boolean;
  /** Progress lines (the CLI prints them; tests keep quiet). */
  log?: (line: string) => void;
}

export interface PristineBuild extends PristineLayout {
  commit: string;
  configureFlags: string[];
  /** Nothing had to be rebuilt. */
  upToDate: boolean;
  /** The steps of the pipeline that ran. */
  ran: StepName[];
  notes: string[];
}

/** What the pristine build builds: the worktree at the tag, installed into its own prefix when asked. */
export function pristineTarget(opts: PristineBuildOptions): BuildTarget {
  const layout = pristineLayout(opts.paths, opts.config);
  return {
    label: 'pristine',
    srcDir: layout.srcDir,
    prefix: layout.prefix,
    install: opts.install ?? false,
    logDir: layout.logDir,
    ...(opts.jobs !== undefined ? { jobs: opts.jobs } : {}),
    patches: [],
  };
}

export async function ensurePristineBuild(opts: PristineBuildOptions): Promise<PristineBuild> {
  const { paths, config } = opts;
  const layout = pristineLayout(paths, config);
  await checkBuildTools();
  const tarball = await ensureTarball(config, paths.cache, join(layout.logDir, 'fetch.log'));
  await ensurePristineSource(config, tarball, paths.ocamlSrc);
  const commit = (await gitIn(paths.ocamlSrc, config.gitIdentity).revparse([`${config.ocaml.pristineTag}^{commit}`])).trim();
  const notes = await ensureWorktree(config, {
    ocamlSrc: paths.ocamlSrc,
    dir: layout.srcDir,
    commit,
    what: `the pristine ${config.ocaml.pristineTag} tree`,
    moveExisting: false,
  });
  const outcome = await runPipeline({ paths, config }, pristineTarget(opts), opts.log);
  return { ...layout, commit, configureFlags: outcome.configureFlags, upToDate: outcome.upToDate, ran: outcome.ran, notes: [...notes, ...outcome.notes] };
}
