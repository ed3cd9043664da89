import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tar from 'tar';
import { fileURLToPath } from 'node:url';
import { projectPaths, type ProjectPaths, type WorkbenchConfig } from '../../harness/config.ts';
import { cachedTarballPath, fileIntegrity } from '../../harness/tarball.ts';

export const FAKE_OCAML = fileURLToPath(new URL('../fixtures/fake-ocaml', import.meta.url));

export interface ScratchProject {
  paths: ProjectPaths;
  config: WorkbenchConfig;
}

/**
 * A throwaway project root whose "OCaml source" is the small fake tree in
 * fixtures/fake-ocaml, packed like the npm tarball (entries under package/)
 * and already in the download cache, so no test touches the network.
 */
export async function scratchProject(): Promise<ScratchProject> {
  const root = mkdtempSync(join(tmpdir(), 'wb-test-'));
  const paths = projectPaths(root);
  mkdirSync(paths.patches, { recursive: true });
  writeFileSync(paths.series, '');
  writeFileSync(join(root, 'package.json'), JSON.stringify({ version: '0.0.0-test' }));
  const staging = join(root, 'staging');
  cpSync(FAKE_OCAML, join(staging, 'package'), { recursive: true });
  const config: WorkbenchConfig = {
    ocaml: { npmPackage: 'ocaml', version: '5.3.0', integrity: '', pristineTag: 'upstream/5.3.0' },
    configureFlags: ['--enable-fake'],
    gitIdentity: { name: 'Test Workbench', email: 'test@workbench.invalid', date: '2025-01-08T00:00:00Z' },
    author: { name: 'Test Workbench', email: 'test@workbench.invalid', copyrightYear: 2025 },
  };
  const tarball = cachedTarballPath(config, paths.cache);
  mkdirSync(paths.cache, { recursive: true });
  // Fixed mtimes: the same fixture gives the same tarball, hence the same pinned integrity.
  await tar.c({ gzip: true, file: tarball, cwd: staging, portable: true, mtime: new Date(0) }, ['package']);
  config.ocaml.integrity = await fileIntegrity(tarball);
  writeFileSync(paths.config, JSON.stringify(config, null, 2));
  return { paths, config };
}
