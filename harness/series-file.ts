import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkbenchError } from './errors.ts';

/**
 * `patches/series` lists the patch files in the order they apply, one per
 * line; blank lines and `#` comments are ignored (the quilt/Electron format).
 */
export function readSeries(patchesDir: string): string[] {
  const file = join(patchesDir, 'series');
  if (!existsSync(file)) return [];
  const names = readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  for (const name of names) {
    if (!existsSync(join(patchesDir, name))) {
      throw new WorkbenchError(`patches/series names ${name}, which does not exist in patches/`, 'Fix patches/series or restore the file.');
    }
  }
  return names;
}

export const SERIES_HEADER =
  '# The patch series, in the order `git am` applies it to the pristine tag.\n' +
  '# Written by `npm run patches:export`; edit the commits in ocaml-src/, not these files.\n';

export function seriesText(names: readonly string[]): string {
  return SERIES_HEADER + names.map((n) => `${n}\n`).join('');
}

/** Writes `content` only if it differs, so unchanged files keep their timestamps. */
export function writeIfChanged(file: string, content: string | Buffer): boolean {
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  if (existsSync(file) && readFileSync(file).equals(bytes)) return false;
  writeFileSync(file, bytes);
  return true;
}
