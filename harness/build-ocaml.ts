import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { Listr } from 'listr2';
import { harnessVersion, seriesLocation, type ProjectPaths, type WorkbenchConfig } from './config.ts';
import { gitIn } from './git.ts';
import { run } from './exec.ts';
import { checkBuildTools } from './preflight.ts';
import { ensureTarball } from './tarball.ts';
import { ensurePristineSource } from './pristine.ts';
import { applySeries } from './patch-apply.ts';
import { readSeries } from './series-file.ts';
import { configure, install, make, recoverInterruptedBuild, type BuildTree } from './build-steps.ts';
import { withLock } from './lock.ts';
import { keyDifferences, readManifest, removeManifest, sameKey, writeManifest, type BuildKey } from './manifest.ts';
import { rendererOptions } from './task-renderer.ts';

export interface BuildOptions {
  paths: ProjectPaths;
  config: WorkbenchConfig;
  prefix?: string;
  jobs?: number;
  /** Set aside unexported work in ocaml-src/ instead of refusing (see guardSource). */
  force?: boolean;
  /** Print listr2 output (the CLI); tests keep quiet. */
  silent?: boolean;
}

export interface BuildResult {
  upToDate: boolean;
  prefix: string;
  logDir: string;
  notes: string[];
}

/**
 * fetch → apply → configure → make → install, each step skipped when its
 * inputs have not changed. The install is up to date when its manifest has
 * the same key (tarball, patched tree, flags, prefix, harness version).
 */
export async function buildOcaml(opts: BuildOptions): Promise<BuildResult> {
  // Two makes in one tree race on shared outputs (boot/ocamlrun, stdlib): one build at a time.
  return withLock(join(opts.paths.cache, 'build-ocaml.lock'), 'a build of ocaml-src/', () => buildOcamlUnlocked(opts));
}

async function buildOcamlUnlocked(opts: BuildOptions): Promise<BuildResult> {
  const { paths, config } = opts;
  const prefix = resolve(opts.prefix ?? paths.install);
  const logDir = join(paths.logs, 'build-ocaml');
  const jobs = opts.jobs ?? availableParallelism();
  const flags = [...config.configureFlags, `--prefix=${prefix}`];
  const notes: string[] = [];
  let key: BuildKey | undefined;
  let upToDate = false;
  let tree: BuildTree | undefined;

  const tasks = new Listr(
    [
      { title: 'Check build tools', task: () => checkBuildTools() },
      {
        title: `Fetch ${config.ocaml.npmPackage}@${config.ocaml.version} (pinned integrity)`,
        task: async (_ctx, task) => {
          const tarball = await ensureTarball(config, paths.cache, join(logDir, 'fetch.log'));
          const made = await ensurePristineSource(config, tarball, paths.ocamlSrc);
          task.title = `Source: ${made === 'created' ? 'unpacked into' : 'reusing'} ocaml-src/ (${config.ocaml.pristineTag})`;
          tree = { srcDir: paths.ocamlSrc, git: gitIn(paths.ocamlSrc, config.gitIdentity), logDir };
        },
      },
      {
        title: 'Apply patches/series',
        task: async (_ctx, task) => {
          const outcome = await applySeries({ ...seriesLocation(paths, config), force: opts.force ?? false });
          notes.push(...outcome.saved.map((s) => `set aside by --force: ${s}`));
          const count = readSeries(paths.patches).length;
          task.title =
            outcome.kind === 'up-to-date'
              ? `Patches: ${count} already applied`
              : `Patches: ${count} applied (${outcome.changed.length} changed: ${outcome.changed.join(', ') || 'none'})`;
        },
      },
      {
        title: 'Compare with the installed manifest',
        task: async (_ctx, task) => {
          const recovered = await recoverInterruptedBuild(tree!);
          if (recovered) notes.push(recovered);
          key = {
            harnessVersion: harnessVersion(paths.root),
            tarballIntegrity: config.ocaml.integrity,
            patchedTree: (await tree!.git.revparse(['HEAD^{tree}'])).trim(),
            configureFlags: flags,
            prefix,
          };
          const installed = readManifest(prefix);
          upToDate = !recovered && installed !== undefined && sameKey(installed, key) && (await compilerVersion(prefix)) !== undefined;
          task.title = upToDate ? `Up to date: ${prefix}` : `Needs a build: ${keyDifferences(installed, key).join(', ') || 'install incomplete'}`;
        },
      },
      {
        title: 'configure',
        skip: () => upToDate && 'up to date',
        task: async (_ctx, task) => {
          const r = await configure(tree!, flags);
          task.title = r === 'ran' ? `configure ${flags.join(' ')}` : 'configure: already configured with these flags';
        },
      },
      {
        title: `make -j${jobs}`,
        skip: () => upToDate && 'up to date',
        task: async () => {
          const note = await make(tree!, jobs, () => configure(tree!, flags, { force: true }));
          if (note) notes.push(note);
        },
      },
      {
        title: `make install → ${prefix}`,
        skip: () => upToDate && 'up to date',
        task: async () => {
          removeManifest(prefix);
          await install(tree!);
          const version = await compilerVersion(prefix);
          if (version === undefined) throw new Error(`${prefix}/bin/ocamlc -version did not run after install`);
          writeManifest(prefix, {
            ...key!,
            compilerVersion: version,
            patches: readSeries(paths.patches),
            builtAt: new Date().toISOString(),
          });
        },
      },
    ],
    { ...rendererOptions(), ...(opts.silent ? { renderer: 'silent' as const } : {}), exitOnError: true },
  );
  await tasks.run();
  return { upToDate, prefix, logDir, notes };
}

async function compilerVersion(prefix: string): Promise<string | undefined> {
  const r = await run(join(prefix, 'bin', 'ocamlc'), ['-version'], { cwd: prefix, timeoutMs: 30_000 }).catch(() => undefined);
  return r && r.exitCode === 0 ? r.stdout.trim() : undefined;
}
