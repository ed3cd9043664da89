import type { ProjectPaths, WorkbenchConfig } from '../config.ts';
import { ensurePristineBuild } from '../pristine-build.ts';

/**
 * The install prefix of pristine 5.3.0 (same configure flags as the patched
 * build, so only the patches differ), built once under .cache/pristine/ and
 * reused: the "no cost when unused" comparison of the benchmarks.
 */
export async function ensurePristinePrefix(paths: ProjectPaths, config: WorkbenchConfig): Promise<string> {
  // Progress lines already start with the pipeline's label ('pristine: …').
  const build = await ensurePristineBuild({ paths, config, install: true, log: (line) => console.log(line) });
  for (const note of build.notes) console.log(`note: ${note}`);
  return build.prefix;
}
