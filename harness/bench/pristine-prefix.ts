import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ProjectPaths, WorkbenchConfig } from '../config.ts';

/**
 * The install prefix of pristine 5.3.0 (same configure flags), for the
 * "no cost when unused" comparison; undefined if it has not been built.
 */
export async function ensurePristinePrefix(paths: ProjectPaths, _config: WorkbenchConfig): Promise<string | undefined> {
  const prefix = join(paths.cache, 'pristine', 'install');
  return existsSync(join(prefix, 'bin', 'ocamlopt')) ? prefix : undefined;
}
