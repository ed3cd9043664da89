import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What an install was built from. Written into the prefix after a complete
 * install; a later run whose inputs give the same key has nothing to do.
 */
export interface BuildKey {
  harnessVersion: string;
  tarballIntegrity: string;
  /** `git rev-parse HEAD^{tree}` of the patched ocaml-src/: the whole source, patches included. */
  patchedTree: string;
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

export function readManifest(prefix: string): Manifest | undefined {
  const file = manifestPath(prefix);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

export function writeManifest(prefix: string, manifest: Manifest): void {
  writeFileSync(manifestPath(prefix), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** A half-installed prefix must never look up to date: drop the manifest before installing. */
export function removeManifest(prefix: string): void {
  rmSync(manifestPath(prefix), { force: true });
}

export function sameKey(a: BuildKey, b: BuildKey): boolean {
  return (
    a.harnessVersion === b.harnessVersion &&
    a.tarballIntegrity === b.tarballIntegrity &&
    a.patchedTree === b.patchedTree &&
    a.prefix === b.prefix &&
    JSON.stringify(a.configureFlags) === JSON.stringify(b.configureFlags)
  );
}

/** Why `installed` does not match `wanted`, for the log. */
export function keyDifferences(installed: BuildKey | undefined, wanted: BuildKey): string[] {
  if (!installed) return ['nothing installed yet'];
  const diffs: string[] = [];
  for (const k of ['harnessVersion', 'tarballIntegrity', 'patchedTree', 'prefix'] as const) {
    if (installed[k] !== wanted[k]) diffs.push(`${k} changed`);
  }
  if (JSON.stringify(installed.configureFlags) !== JSON.stringify(wanted.configureFlags)) diffs.push('configureFlags changed');
  return diffs;
}
