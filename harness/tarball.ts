import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { WorkbenchError } from './errors.ts';
import { run } from './exec.ts';
import type { WorkbenchConfig } from './config.ts';

/** Subresource-integrity string (`sha512-<base64>`) of a file, as npm writes it. */
export async function fileIntegrity(file: string): Promise<string> {
  const hash = createHash('sha512');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return `sha512-${hash.digest('base64')}`;
}

export async function verifyIntegrity(file: string, expected: string): Promise<void> {
  const actual = await fileIntegrity(file);
  if (actual !== expected) {
    throw new WorkbenchError(
      `${file} does not match the pinned integrity.\n  expected ${expected}\n  actual   ${actual}`,
      'The file is corrupt or is not the pinned release. Nothing was unpacked. ' +
        'Delete it to download it again, or, if the pin in workbench.json is what is wrong, fix the pin.',
    );
  }
}

/** Where the source tarball is cached: reused by later runs, so they work offline. */
export function cachedTarballPath(config: WorkbenchConfig, cacheDir: string): string {
  return join(cacheDir, `${config.ocaml.npmPackage}-${config.ocaml.version}.tgz`);
}

/**
 * Returns the path of the verified source tarball, downloading it with
 * `npm pack` (the npm registry is the only reachable copy of OCaml's source)
 * unless a verified copy is cached. A cached copy that fails verification is
 * moved aside (never silently deleted) and fetched again.
 */
export async function ensureTarball(
  config: WorkbenchConfig,
  cacheDir: string,
  logFile?: string,
  download: (config: WorkbenchConfig, cacheDir: string, logFile?: string) => Promise<void> = npmPack,
): Promise<string> {
  const target = cachedTarballPath(config, cacheDir);
  if (existsSync(target)) {
    try {
      await verifyIntegrity(target, config.ocaml.integrity);
      return target;
    } catch {
      renameSync(target, `${target}.corrupt-${Date.now()}`);
    }
  }
  mkdirSync(cacheDir, { recursive: true });
  await download(config, cacheDir, logFile);
  if (!existsSync(target)) throw new WorkbenchError(`the download did not produce ${target}`);
  try {
    await verifyIntegrity(target, config.ocaml.integrity);
  } catch (e) {
    renameSync(target, `${target}.rejected`);
    throw e;
  }
  return target;
}

/** Downloads the package tarball into `cacheDir` through npm (and npm's own cache). */
async function npmPack(config: WorkbenchConfig, cacheDir: string, logFile?: string): Promise<void> {
  const spec = `${config.ocaml.npmPackage}@${config.ocaml.version}`;
  const r = await run('npm', ['pack', spec, '--json', '--pack-destination', cacheDir], {
    cwd: cacheDir,
    ...(logFile ? { logFile } : {}),
  });
  if (r.exitCode !== 0) {
    throw new WorkbenchError(
      `could not download ${spec} from the npm registry (npm pack exited with ${r.exitCode})`,
      `Check the network access to the npm registry${logFile ? `; details in ${logFile}` : ''}. A cached copy makes later runs work offline.`,
    );
  }
}
