import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { harnessVersion, type ProjectPaths, type WorkbenchConfig } from './config.ts';
import { WorkbenchError } from './errors.ts';
import { run } from './exec.ts';
import { gitIn } from './git.ts';
import { checkBuildTools } from './preflight.ts';
import { ensureTarball } from './tarball.ts';
import { ensurePristineSource } from './pristine.ts';
import { configure, install, make, recoverInterruptedBuild, type BuildTree } from './build-steps.ts';
import { readManifest, removeManifest, writeManifest } from './manifest.ts';

/**
 * The unpatched release, built once in its own place: a git worktree of
 * ocaml-src/ at the pristine tag, under .cache/pristine/ (git-ignored).
 * Anything that compares the series with upstream 5.3.0 (the testsuite
 * baseline, benchmarks) builds it through here, with the same configure flags
 * as the patched build, so only the patches differ.
 */
export interface PristineLayout {
  dir: string;
  /** The worktree, built in-tree (OCaml's testsuite runs on the in-tree build). */
  srcDir: string;
  /** Install prefix, filled only when asked for (`install: true`). */
  prefix: string;
  stamp: string;
  logDir: string;
}

export function pristineLayout(paths: ProjectPaths, config: WorkbenchConfig): PristineLayout {
  const dir = join(paths.cache, 'pristine');
  return {
    dir,
    srcDir: join(dir, `ocaml-${config.ocaml.version}`),
    prefix: join(dir, '_install'),
    stamp: join(dir, 'build-stamp.json'),
    logDir: join(paths.logs, 'pristine-build'),
  };
}

export interface PristineBuildOptions {
  paths: ProjectPaths;
  config: WorkbenchConfig;
  jobs?: number;
  /** Also `make install` into the layout's prefix (for tools that need an installed compiler). */
  install?: boolean;
  /** Progress lines (the CLI prints them; tests keep quiet). */
  log?: (line: string) => void;
}

export interface PristineBuild extends PristineLayout {
  commit: string;
  configureFlags: string[];
  /** Nothing had to be rebuilt. */
  upToDate: boolean;
  notes: string[];
}

/** What a finished in-tree build was made from; equal stamps mean nothing to do. */
interface Stamp {
  commit: string;
  configureFlags: string[];
  harnessVersion: string;
}

export async function ensurePristineBuild(opts: PristineBuildOptions): Promise<PristineBuild> {
  const { paths, config } = opts;
  const log = opts.log ?? (() => undefined);
  const layout = pristineLayout(paths, config);
  const jobs = opts.jobs ?? availableParallelism();
  const configureFlags = [...config.configureFlags, `--prefix=${layout.prefix}`];
  const notes: string[] = [];

  await checkBuildTools();
  const tarball = await ensureTarball(config, paths.cache, join(layout.logDir, 'fetch.log'));
  await ensurePristineSource(config, tarball, paths.ocamlSrc);
  const srcGit = gitIn(paths.ocamlSrc, config.gitIdentity);
  const commit = (await srcGit.revparse([`${config.ocaml.pristineTag}^{commit}`])).trim();
  await ensureWorktree(paths.ocamlSrc, layout.srcDir, config, commit, notes);

  const tree: BuildTree = { srcDir: layout.srcDir, git: gitIn(layout.srcDir, config.gitIdentity), logDir: layout.logDir };
  const recovered = await recoverInterruptedBuild(tree);
  if (recovered) notes.push(recovered);
  const wanted: Stamp = { commit, configureFlags, harnessVersion: harnessVersion(paths.root) };
  let upToDate = !recovered && readStamp(layout.stamp) === JSON.stringify(wanted);
  if (!upToDate) {
    rmSync(layout.stamp, { force: true });
    log(`pristine: configure ${configureFlags.join(' ')} (in ${layout.srcDir})`);
    await configure(tree, configureFlags);
    log(`pristine: make -j${jobs} (log: ${join(layout.logDir, 'make.log')})`);
    await make(tree, jobs, () => configure(tree, configureFlags, { force: true }));
    writeFileSync(layout.stamp, JSON.stringify(wanted));
  }
  if (opts.install && !installed(layout.prefix, commit, configureFlags)) {
    upToDate = false;
    log(`pristine: make install → ${layout.prefix}`);
    removeManifest(layout.prefix);
    await install(tree);
    mkdirSync(layout.prefix, { recursive: true });
    writeManifest(layout.prefix, {
      ...wanted,
      tarballIntegrity: config.ocaml.integrity,
      patchedTree: (await tree.git.revparse(['HEAD^{tree}'])).trim(),
      prefix: layout.prefix,
      compilerVersion: await compilerVersion(layout.prefix),
      patches: [],
      builtAt: new Date().toISOString(),
    });
  }
  return { ...layout, commit, configureFlags, upToDate, notes };
}

async function compilerVersion(prefix: string): Promise<string> {
  const r = await run(join(prefix, 'bin', 'ocamlc'), ['-version'], { cwd: prefix, timeoutMs: 30_000 });
  if (r.exitCode !== 0) throw new WorkbenchError(`${prefix}/bin/ocamlc -version failed after make install (exit ${r.exitCode})`);
  return r.stdout.trim();
}

function readStamp(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

function installed(prefix: string, commit: string, configureFlags: string[]): boolean {
  const m = readManifest(prefix) as (ReturnType<typeof readManifest> & { commit?: string }) | undefined;
  return m !== undefined && m.commit === commit && JSON.stringify(m.configureFlags) === JSON.stringify(configureFlags);
}

/**
 * Makes `dir` a detached worktree at the pristine commit. A worktree left by
 * a deleted ocaml-src/ is remade; one whose sources were edited is refused,
 * since results made from it would not be the release's.
 */
async function ensureWorktree(ocamlSrc: string, dir: string, config: WorkbenchConfig, commit: string, notes: string[]): Promise<void> {
  const srcGit = gitIn(ocamlSrc, config.gitIdentity);
  if (existsSync(dir)) {
    const wgit = gitIn(dir, config.gitIdentity);
    const head = await wgit.revparse(['HEAD']).then((h) => h.trim(), () => undefined);
    if (head === undefined) {
      notes.push(`${dir} was not a usable worktree of ocaml-src/ (ocaml-src/ remade?); made it again`);
      rmSync(dir, { recursive: true, force: true });
    } else {
      const edited = (await wgit.raw(['status', '--porcelain', '--untracked-files=no'])).trim();
      if (head !== commit || edited !== '') {
        throw new WorkbenchError(
          `${dir} is not the pristine ${config.ocaml.pristineTag} tree (HEAD ${head.slice(0, 12)}${edited ? ', sources edited' : ''})`,
          `Remove it (git -C ocaml-src worktree remove --force ${dir}) and run again: it is rebuilt from the tag.`,
        );
      }
      return;
    }
  }
  mkdirSync(join(dir, '..'), { recursive: true });
  await srcGit.raw(['worktree', 'prune']);
  await srcGit.raw(['worktree', 'add', '--quiet', '--detach', dir, commit]);
}
