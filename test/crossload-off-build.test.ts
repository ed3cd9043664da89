import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { crossloadOffLayout, ensureCrossloadOffBuild } from '../harness/ocaml-testsuite/crossload-off.ts';
import { gitIn } from '../harness/git.ts';
import { exportSeries } from '../harness/patch-export.ts';
import { ensurePristineSource } from '../harness/pristine.ts';
import { cachedTarballPath } from '../harness/tarball.ts';
import { gitSync } from './helpers/git-sync.ts';
import { FAKE_OCAML, scratchProject, type ScratchProject } from './helpers/scratch-project.ts';

/** The build of `ocaml-testsuite --crossload-off`, on the fake OCaml tree (test/fixtures/fake-ocaml): no OCaml is built. */
let p: ScratchProject;

/** Commits one patch in ocaml-src/ and exports the series, as a contributor does. */
async function commitPatch(subject: string, file: string, text: string): Promise<void> {
  writeFileSync(join(p.paths.ocamlSrc, file), text);
  gitSync(p.paths.ocamlSrc, 'commit', '-qam', subject);
  await exportSeries(gitIn(p.paths.ocamlSrc, p.config.gitIdentity), p.config.ocaml.pristineTag, p.paths.patches);
}

/** What a user would lose or see changed in ocaml-src/: HEAD, branch, status, the files of the tree. */
const srcState = () => ({
  head: gitSync(p.paths.ocamlSrc, 'rev-parse', 'HEAD'),
  branch: gitSync(p.paths.ocamlSrc, 'symbolic-ref', 'HEAD'),
  status: gitSync(p.paths.ocamlSrc, 'status', '--porcelain', '--untracked-files=all'),
  a: readFileSync(join(p.paths.ocamlSrc, 'a.src'), 'utf8'),
});

beforeEach(async () => {
  p = await scratchProject();
  await ensurePristineSource(p.config, cachedTarballPath(p.config, p.paths.cache), p.paths.ocamlSrc);
  await commitPatch('Patch alpha', 'a.src', 'alpha patched\n');
});

describe('the crossload-off build', () => {
  it('builds patches/ on the tag in .cache/crossload-off/ with --disable-crossload, leaves ocaml-src/ alone, and is then up to date', async () => {
    // Work in progress in ocaml-src/: a commit not exported, and an uncommitted edit.
    writeFileSync(join(p.paths.ocamlSrc, 'b.src'), 'beta, unexported\n');
    gitSync(p.paths.ocamlSrc, 'commit', '-qam', 'Work in progress');
    writeFileSync(join(p.paths.ocamlSrc, 'a.src'), 'alpha, being edited\n');
    const before = srcState();

    const first = await ensureCrossloadOffBuild({ paths: p.paths, config: p.config, jobs: 2 });
    const layout = crossloadOffLayout(p.paths, p.config);
    expect(first.srcDir).toBe(layout.srcDir);
    expect(first.srcDir.startsWith(join(p.paths.cache, 'crossload-off'))).toBe(true);
    expect(first.upToDate).toBe(false);
    expect(first.ran).toEqual(['configure', 'make']);
    expect(first.configureFlags).toEqual(['--enable-fake', '--disable-crossload', `--prefix=${layout.prefix}`]);
    expect(readFileSync(join(first.srcDir, 'a.out'), 'utf8')).toBe('alpha patched\n');
    // patches/, not ocaml-src/'s HEAD: the unexported commit is not in it.
    expect(readFileSync(join(first.srcDir, 'b.out'), 'utf8')).toBe(readFileSync(join(FAKE_OCAML, 'b.src'), 'utf8'));
    expect(gitSync(first.srcDir, 'log', '--format=%s', `${p.config.ocaml.pristineTag}..HEAD`)).toBe('Patch alpha\n');
    expect(first.patches).toEqual(['0001-Patch-alpha.patch']);
    expect(existsSync(layout.prefix)).toBe(false);
    expect(srcState()).toEqual(before);

    const second = await ensureCrossloadOffBuild({ paths: p.paths, config: p.config, jobs: 2 });
    expect(second).toMatchObject({ upToDate: true, ran: [], commit: first.commit });
    expect(srcState()).toEqual(before);
  });

  it('the applied commit is reproducible (fixed identity and date): made again without its record, it is the same', async () => {
    const built = await ensureCrossloadOffBuild({ paths: p.paths, config: p.config, jobs: 2 });
    expect(JSON.parse(readFileSync(built.seriesRecord, 'utf8'))).toMatchObject({ commit: built.commit });
    rmSync(built.seriesRecord);
    expect(await ensureCrossloadOffBuild({ paths: p.paths, config: p.config, jobs: 2 })).toMatchObject({ commit: built.commit, upToDate: true });
  });

  it('rebuilds when a patch changes, and removes the crossloading products an earlier build left', async () => {
    const first = await ensureCrossloadOffBuild({ paths: p.paths, config: p.config, jobs: 2 });
    writeFileSync(join(first.srcDir, 'ocaml.opt'), 'left by a build with crossloading on\n');
    // Up to date: nothing is removed (a product of this very build must stay for the checks to see it).
    expect((await ensureCrossloadOffBuild({ paths: p.paths, config: p.config, jobs: 2 })).upToDate).toBe(true);
    expect(existsSync(join(first.srcDir, 'ocaml.opt'))).toBe(true);

    await commitPatch('Patch alpha again', 'a.src', 'alpha patched twice\n');
    const second = await ensureCrossloadOffBuild({ paths: p.paths, config: p.config, jobs: 2 });
    expect(second.upToDate).toBe(false);
    expect(second.ran).toEqual(['make']);
    expect(second.commit).not.toBe(first.commit);
    expect(readFileSync(join(second.srcDir, 'a.out'), 'utf8')).toBe('alpha patched twice\n');
    expect(existsSync(join(second.srcDir, 'ocaml.opt'))).toBe(false);
    expect(second.notes.join('\n')).toContain('removed ocaml.opt');
  });

  it('configures again when the flags in workbench.json change', async () => {
    await ensureCrossloadOffBuild({ paths: p.paths, config: p.config, jobs: 2 });
    const config = { ...p.config, configureFlags: [...p.config.configureFlags, '--enable-other'] };
    const again = await ensureCrossloadOffBuild({ paths: p.paths, config, jobs: 2 });
    expect(again.ran).toEqual(['configure', 'make']);
    expect(again.configureFlags).toEqual(['--enable-fake', '--enable-other', '--disable-crossload', `--prefix=${again.prefix}`]);
  });

  it('a patch that does not apply is named, and nothing is built', async () => {
    const patch = join(p.paths.patches, '0001-Patch-alpha.patch');
    writeFileSync(patch, readFileSync(patch, 'utf8').replace('-alpha 1', '-alpha one'));
    await expect(ensureCrossloadOffBuild({ paths: p.paths, config: p.config, jobs: 2 })).rejects.toThrow(/patch 0001-Patch-alpha\.patch \(number 1 of 1\) does not apply/);
    expect(existsSync(crossloadOffLayout(p.paths, p.config).srcDir)).toBe(false);
  });
});
