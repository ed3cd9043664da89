import { join } from 'node:path';
import type { ProjectPaths, WorkbenchConfig } from '../config.ts';
import { ensureVariantBuild, variantLayout, type VariantBuild, type VariantLayout, type VariantSpec } from '../variant-build.ts';

/**
 * The series built with ThreadSanitizer (`npm run sanitize`): a variant build (harness/variant-build.ts) in
 * .cache/tsan/, configured with workbench.json's flags plus OCaml 5.3's --enable-tsan (the C runtime compiled with
 * -fsanitize=thread, ocamlopt instrumenting the code it emits, native programs linked with libtsan), built in-tree
 * (its testsuite runs there) and installed into .cache/tsan/_install (crosstest needs an installed prefix).
 * ocaml-src/, _install/ and the other variants are never touched. Step logs: logs/tsan-build/<step>.log.
 */
export const ENABLE_TSAN = '--enable-tsan';

export function tsanSpec(paths: ProjectPaths): VariantSpec {
  return {
    label: 'tsan',
    what: 'the series built with ThreadSanitizer',
    dir: join(paths.cache, 'tsan'),
    logDir: join(paths.logs, 'tsan-build'),
    extraConfigureFlags: [ENABLE_TSAN],
    install: true,
  };
}

export function tsanLayout(paths: ProjectPaths, config: WorkbenchConfig): VariantLayout {
  return variantLayout(tsanSpec(paths), config);
}

export interface TsanBuildOptions {
  paths: ProjectPaths;
  config: WorkbenchConfig;
  jobs?: number;
  log?: (line: string) => void;
}

export function ensureTsanBuild(opts: TsanBuildOptions): Promise<VariantBuild> {
  return ensureVariantBuild({
    paths: opts.paths,
    config: opts.config,
    spec: tsanSpec(opts.paths),
    ...(opts.jobs !== undefined ? { jobs: opts.jobs } : {}),
    ...(opts.log ? { log: opts.log } : {}),
  });
}
