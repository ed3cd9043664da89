import { join, resolve } from 'node:path';
import { Listr } from 'listr2';
import { seriesLocation, type ProjectPaths, type WorkbenchConfig } from './config.ts';
import { checkBuildTools } from './preflight.ts';
import { ensureTarball } from './tarball.ts';
import { ensurePristineSource } from './pristine.ts';
import { applySeries } from './patch-apply.ts';
import { readSeries } from './series-file.ts';
import { withLock } from './lock.ts';
import { buildPipeline, type BuildTarget, type StepName } from './build-pipeline.ts';
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
  /** The steps of the pipeline that ran. */
  ran: StepName[];
  notes: string[];
}

/** What build-ocaml builds: ocaml-src/ in place, installed into _install/ (or --prefix). */
export function buildOcamlTarget(opts: Pick<BuildOptions, 'paths' | 'prefix' | 'jobs'>): BuildTarget {
  const { paths } = opts;
  return {
    label: 'build-ocaml',
    srcDir: paths.ocamlSrc,
    prefix: resolve(opts.prefix ?? paths.install),
    install: true,
    logDir: paths.buildOcamlLogs,
    ...(opts.jobs !== undefined ? { jobs: opts.jobs } : {}),
    patches: readSeries(paths.patches),
  };
}

/**
 * fetch → apply → the build pipeline (harness/build-pipeline.ts): configure → make → install, each step skipped
 * when its inputs have not changed. The install is up to date when its manifest has the same key (tarball,
 * patched tree, flags, prefix, harness version).
 */
export async function buildOcaml(opts: BuildOptions): Promise<BuildResult> {
  // Two makes in one tree race on shared outputs (boot/ocamlrun, stdlib): one build at a time.
  return withLock(opts.paths.buildLock, 'a build of ocaml-src/', () => buildOcamlUnlocked(opts));
}

async function buildOcamlUnlocked(opts: BuildOptions): Promise<BuildResult> {
  const { paths, config } = opts;
  const notes: string[] = [];
  // The target reads patches/series, which the apply step does not change: it is the series being built.
  const target = buildOcamlTarget(opts);
  const pipeline = buildPipeline({ paths, config }, target);

  const tasks = new Listr(
    [
      { title: 'Check build tools', task: () => checkBuildTools() },
      {
        title: `Fetch ${config.ocaml.npmPackage}@${config.ocaml.version} (pinned integrity)`,
        task: async (_ctx, task) => {
          const tarball = await ensureTarball(config, paths.cache, join(target.logDir, 'fetch.log'));
          const made = await ensurePristineSource(config, tarball, paths.ocamlSrc);
          task.title = `Source: ${made === 'created' ? 'unpacked into' : 'reusing'} ocaml-src/ (${config.ocaml.pristineTag})`;
        },
      },
      {
        title: 'Apply patches/series',
        task: async (_ctx, task) => {
          const outcome = await applySeries({ ...seriesLocation(paths, config), force: opts.force ?? false });
          notes.push(...outcome.saved.map((s) => `set aside by --force: ${s}`));
          const count = target.patches!.length;
          task.title =
            outcome.kind === 'up-to-date'
              ? `Patches: ${count} already applied`
              : `Patches: ${count} applied (${outcome.changed.length} changed: ${outcome.changed.join(', ') || 'none'})`;
        },
      },
      ...pipeline.steps.map((step) => ({
        title: step.title,
        skip: () => step.skip(),
        task: async (_ctx: unknown, task: { title: string }) => {
          const said = await step.run();
          if (said !== undefined) task.title = said;
        },
      })),
    ],
    { ...rendererOptions(), ...(opts.silent ? { renderer: 'silent' as const } : {}), exitOnError: true },
  );
  await tasks.run();
  const { outcome } = pipeline;
  return { upToDate: outcome.upToDate, prefix: target.prefix, logDir: target.logDir, ran: outcome.ran, notes: [...notes, ...outcome.notes] };
}
