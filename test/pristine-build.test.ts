import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { buildOcaml } from '../harness/build-ocaml.ts';
import { ensurePristineBuild } from '../harness/pristine-build.ts';
import { readManifest } from '../harness/manifest.ts';
import { gitIn } from '../harness/git.ts';
import { exportSeries } from '../harness/patch-export.ts';
import { gitSync } from './helpers/git-sync.ts';
import { scratchProject, type ScratchProject } from './helpers/scratch-project.ts';

let p: ScratchProject;
beforeEach(async () => {
  p = await scratchProject();
  // A patched ocaml-src/: the pristine build must not see the patch.
  await buildOcaml({ paths: p.paths, config: p.config, jobs: 2, silent: true });
  writeFileSync(join(p.paths.ocamlSrc, 'a.src'), 'alpha patched\n');
  gitSync(p.paths.ocamlSrc, 'commit', '-qam', 'Patch alpha');
  await exportSeries(gitIn(p.paths.ocamlSrc, p.config.gitIdentity), 'upstream/5.3.0', p.paths.patches);
});

describe('pristine build', () => {
  it('builds the tag in its own worktree, with the same configure flags, and is then up to date', async () => {
    const first = await ensurePristineBuild({ paths: p.paths, config: p.config, jobs: 2 });
    expect(first.upToDate).toBe(false);
    expect(first.ran).toEqual(['configure', 'make']);
    expect(existsSync(first.prefix)).toBe(false);
    expect(readFileSync(join(first.srcDir, 'a.out'), 'utf8')).toBe('alpha 1\nalpha 2\nalpha 3\n');
    expect(readFileSync(join(first.srcDir, 'Makefile.config'), 'utf8')).toBe(`PREFIX=${first.prefix}\n`);
    expect(first.configureFlags).toEqual(['--enable-fake', `--prefix=${first.prefix}`]);
    expect(first.commit).toBe(gitSync(p.paths.ocamlSrc, 'rev-parse', 'upstream/5.3.0').trim());
    const makeLog = readFileSync(join(first.logDir, 'make.log'), 'utf8');
    const second = await ensurePristineBuild({ paths: p.paths, config: p.config, jobs: 2 });
    expect(second.upToDate).toBe(true);
    expect(second.ran).toEqual([]);
    expect(readFileSync(join(first.logDir, 'make.log'), 'utf8')).toBe(makeLog);
  });

  it('installs into its own prefix on request, once; a tree already built is only installed', async () => {
    expect((await ensurePristineBuild({ paths: p.paths, config: p.config, jobs: 2 })).ran).toEqual(['configure', 'make']);
    const built = await ensurePristineBuild({ paths: p.paths, config: p.config, jobs: 2, install: true });
    expect(built.ran).toEqual(['install']);
    expect(readFileSync(join(built.prefix, 'a.out'), 'utf8')).toBe('alpha 1\nalpha 2\nalpha 3\n');
    expect(readManifest(built.prefix)).toMatchObject({ compilerVersion: '5.3.0-fake', patches: [], prefix: built.prefix });
    expect((await ensurePristineBuild({ paths: p.paths, config: p.config, jobs: 2, install: true })).upToDate).toBe(true);
  });

  it('refuses a pristine tree whose sources were edited', async () => {
    const built = await ensurePristineBuild({ paths: p.paths, config: p.config, jobs: 2 });
    writeFileSync(join(built.srcDir, 'b.src'), 'edited\n');
    await expect(ensurePristineBuild({ paths: p.paths, config: p.config, jobs: 2 })).rejects.toThrow(/not the pristine/);
  });
});
