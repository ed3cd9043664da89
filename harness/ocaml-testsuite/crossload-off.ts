import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ProjectPaths, WorkbenchConfig } from '../config.ts';
import type { BuildTarget } from '../build-pipeline.ts';
import { ensureVariantBuild, variantLayout, variantTarget, type VariantBuild, type VariantLayout, type VariantSpec } from '../variant-build.ts';
import { CROSSLOAD_PRODUCTS } from './stock-products.ts';

/**
 * The series built with crossloading configured off, in its own place: a variant build (harness/variant-build.ts) in
 * .cache/crossload-off/, at the commit `git am` of patches/ (in patches/series order) makes on the pristine tag,
 * configured with workbench.json's flags plus --disable-crossload and built in-tree (not installed) by the one build
 * pipeline, whose stamps rebuild it only when the patches or the flags changed. ocaml-src/ itself is never moved or
 * built.
 */
export const DISABLE_CROSSLOAD = '--disable-crossload';

export type CrossloadOffLayout = VariantLayout;

export { seriesCommit, seriesDigest } from '../variant-build.ts';

/** The variant: where it lives, its flag, and the clean-up before a rebuild. */
export function crossloadOffSpec(paths: ProjectPaths): VariantSpec {
  return {
    label: 'crossload off',
    what: 'the series with crossloading off',
    dir: paths.crossloadOffDir,
    logDir: paths.crossloadOffBuildLogs,
    extraConfigureFlags: [DISABLE_CROSSLOAD],
    install: false,
    beforeBuild: (layout) => removeCrossloadProducts(layout.srcDir),
  };
}

export function crossloadOffLayout(paths: ProjectPaths, config: WorkbenchConfig): CrossloadOffLayout {
  return variantLayout(crossloadOffSpec(paths), config);
}

export function crossloadOffTarget(paths: ProjectPaths, config: WorkbenchConfig, jobs?: number): BuildTarget {
  return variantTarget(crossloadOffSpec(paths), config, jobs);
}

export interface CrossloadOffBuildOptions {
  paths: ProjectPaths;
  config: WorkbenchConfig;
  jobs?: number;
  /** Progress lines (the CLI prints them; tests keep quiet). */
  log?: (line: string) => void;
}

export type CrossloadOffBuild = VariantBuild;

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
export function ensureCrossloadOffBuild(opts: CrossloadOffBuildOptions): Promise<CrossloadOffBuild> {
  return ensureVariantBuild({
    paths: opts.paths,
    config: opts.config,
    spec: crossloadOffSpec(opts.paths),
    ...(opts.jobs !== undefined ? { jobs: opts.jobs } : {}),
    ...(opts.log ? { log: opts.log } : {}),
  });
}
