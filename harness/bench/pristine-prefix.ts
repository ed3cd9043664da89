import type { ProjectPaths, WorkbenchConfig } from '../config.ts';
import { ensurePristineBuild } from '../pristine-build.ts';

/**
 * The install prefix of pristine 5.3.0 (same configure flags as the patched
 * build, so only the patches differ), built once under .cache/pristine/ and
 * reused: the "no cost when unused" comparison of the benchmarks.
 */
export async function ensurePristinePrefix(paths: ProjectPaths, config: WorkbenchConfig): Promise<string> {
  const build = await ensurePristineBuild({ paths, config, install: true, log: (line) => console.log(`pristine: ${line}`) });
  return build.prefix;
}
