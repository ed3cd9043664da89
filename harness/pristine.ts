import { existsSync, renameSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tar from 'tar';
import { WorkbenchError } from './errors.ts';
import { configureSourceRepo, gitIn } from './git.ts';
import { verifyIntegrity } from './tarball.ts';
import type { WorkbenchConfig } from './config.ts';

const INTEGRITY_KEY = 'workbench.sourceintegrity';

/**
 * Makes `srcDir` a git repository whose first commit is the pristine release,
 * tagged `config.ocaml.pristineTag`. The tree is unpacked next to `srcDir` and
 * renamed into place only when complete, so an interruption never leaves a
 * half-made source tree; an existing tree is never touched.
 */
export async function ensurePristineSource(config: WorkbenchConfig, tarball: string, srcDir: string): Promise<'created' | 'existing'> {
  if (existsSync(srcDir)) {
    await checkExistingSource(config, srcDir);
    return 'existing';
  }
  await verifyIntegrity(tarball, config.ocaml.integrity);
  const partial = `${srcDir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  // Every entry of an npm tarball sits under `package/`.
  await tar.x({ file: tarball, cwd: partial, strip: 1 });
  const git = gitIn(partial, config.gitIdentity);
  await git.init();
  await configureSourceRepo(git);
  await git.addConfig(INTEGRITY_KEY, config.ocaml.integrity);
  // The only `add -A` ever run in this tree: before any build output exists.
  await git.raw(['add', '-A']);
  await git.raw([
    'commit',
    '--quiet',
    '--no-verify',
    '-m',
    `OCaml ${config.ocaml.version}, pristine\n\nUnpacked from the npm registry package ${config.ocaml.npmPackage}@${config.ocaml.version}\n(${config.ocaml.integrity}).`,
  ]);
  await git.raw(['tag', config.ocaml.pristineTag]);
  await git.raw(['branch', '-M', 'series']);
  renameSync(partial, srcDir);
  return 'created';
}

async function checkExistingSource(config: WorkbenchConfig, srcDir: string): Promise<void> {
  if (!existsSync(join(srcDir, '.git'))) {
    throw new WorkbenchError(
      `${srcDir} exists but is not a git repository made by the workbench`,
      'Move it away (it may hold your work), then run again to unpack the pristine source.',
    );
  }
  const git = gitIn(srcDir);
  const tags = await git.tags();
  const recorded = (await git.raw(['config', '--get', INTEGRITY_KEY]).catch(() => '')).trim();
  if (!tags.all.includes(config.ocaml.pristineTag) || recorded !== config.ocaml.integrity) {
    throw new WorkbenchError(
      `${srcDir} was not made from the pinned source (tag ${config.ocaml.pristineTag}, integrity ${config.ocaml.integrity})`,
      'It comes from another pin or was made by hand. Export any work in it, move it away, and run again.',
    );
  }
}
