import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What a build was made from: the one record format of the build pipeline (harness/build-pipeline.ts). The
 * built tree keeps it as its stamp (harness/build-steps.ts) and an install prefix in its manifest; a build whose
 * inputs give the same key has nothing to do.
 */
export interface BuildKey {
  harnessVersion: string;
  tarballIntegrity: string;
  /** `git rev-parse HEAD^{tree}` of the tree built (ocaml-src/ with the patches, or the pristine tag): the whole source. */
  patchedTree: string;
  /** Every flag given to configure, `--prefix=` included. */
  configureFlags: string[];
  prefix: string;
}

export interface Manifest extends BuildKey {
  /** `ocamlc -version` of the installed compiler. */
  compilerVersion: string;
  patches: string[];
  builtAt: string;
}

export const MANIFEST_NAME = 'workbench-manifest.json';

export function manifestPath(prefix: string): string {
  return join(prefix, MANIFEST_NAME);
}

/** A key or manifest written by writeKeyFile; undefined when missing or unreadable (a build then runs). */
export function readKeyFile<T extends BuildKey>(file: string): T | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

export function writeKeyFile(file: string, record: BuildKey): void {
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
}

export function readManifest(prefix: string): Manifest | undefined {
  return readKeyFile<Manifest>(manifestPath(prefix));
}

export function writeManifest(prefix: string, manifest: Manifest): void {
  writeKeyFile(manifestPath(prefix), manifest);
}

/** A half-installed prefix must never look up to date: drop the manifest before installing. */
export function removeManifest(prefix: string): void {
  rmSync(manifestPath(prefix), { force: true });
}

export function sameKey(a: BuildKey | undefined, b: BuildKey): boolean {
  return a !== undefined && keyDifferences(a, b).length === 0;
}

/** Why `recorded` does not match `wanted`, for the log; `missing` when nothing is recorded. */
export function keyDifferences(recorded: BuildKey | undefined, wanted: BuildKey, missing = 'nothing installed yet'): string[] {
  if (!recorded) return [missing];
  const diffs: string[] = [];
  for (const k of ['harnessVersion', 'tarballIntegrity', 'patchedTree', 'prefix'] as const) {
    if (recorded[k] !== wanted[k]) diffs.push(`${k} changed`);
  }
  if (JSON.stringify(recorded.configureFlags) !== JSON.stringify(wanted.configureFlags)) diffs.push('configureFlags changed');
  return diffs;
}
