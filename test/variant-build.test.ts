import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { crossloadOffLayout, crossloadOffTarget, ensureCrossloadOffBuild } from '../harness/ocaml-testsuite/crossload-off.ts';
import { ensureTsanBuild, tsanLayout } from '../harness/sanitize/tsan-build.ts';
import { variantTarget } from '../harness/variant-build.ts';
import { readManifest } from '../harness/manifest.ts';
import { gitIn } from '../harness/git.ts';
import { exportSeries } from '../harness/patch-export.ts';
import { ensurePristineSource } from '../harness/pristine.ts';
import { cachedTarballPath } from '../harness/tarball.ts';
import { gitSync } from './helpers/git-sync.ts';
import { scratchProject, type ScratchProject } from './helpers/scratch-project.ts';

/**
 * The variant builds of the series (harness/variant-build.ts) on the fake OCaml tree (test/fixtures/fake-ocaml): the
 * TSan build of `npm run sanitize`, installed into its own prefix, beside the crossload-off build, which is not
 * installed (test/crossload-off-build.test.ts tests that one on its own).
 */
let p: ScratchProject;

async function commitPatch(subject: string, file: string, text: string): Promise<void> {
  writeFileSync(join(p.paths.ocamlSrc, file), text);
  gitSync(p.paths.ocamlSrc, 'commit', '-qam', subject);
  await exportSeries(gitIn(p.paths.ocamlSrc, p.config.gitIdentity), p.config.ocaml.pristineTag, p.paths.patches);
}

beforeEach(async () => {
  p = await scratchProject();
  await ensurePristineSource(p.config, cachedTarballPath(p.config, p.paths.cache), p.paths.ocamlSrc);
  await commitPatch('Patch alpha', 'a.src', 'alpha patched\n');
});

describe('variant builds of the series', () => {
  it('builds the series with --enable-tsan in .cache/tsan/ and installs it into .cache/tsan/_install, then is up to date', async () => {
    const head = gitSync(p.paths.ocamlSrc, 'rev-parse', 'HEAD');
    const first = await ensureTsanBuild({ paths: p.paths, config: p.config, jobs: 2 });
    const layout = tsanLayout(p.paths, p.config);
    expect(first.srcDir).toBe(join(p.paths.cache, 'tsan', 'ocaml-5.3.0'));
    expect(first.prefix).toBe(join(p.paths.cache, 'tsan', '_install'));
    expect(first.logDir).toBe(join(p.paths.logs, 'tsan-build'));
    expect(first.ran).toEqual(['configure', 'make', 'install']);
    expect(first.configureFlags).toEqual(['--enable-fake', '--enable-tsan', `--prefix=${layout.prefix}`]);
    // Installed into the variant's prefix, with the manifest that makes the next run up to date.
    expect(readFileSync(join(layout.prefix, 'a.out'), 'utf8')).toBe('alpha patched\n');
    expect(readManifest(layout.prefix)).toMatchObject({ prefix: layout.prefix, patches: ['0001-Patch-alpha.patch'], configureFlags: first.configureFlags });
    expect(existsSync(join(p.paths.logs, 'tsan-build', 'install.log'))).toBe(true);
    // ocaml-src/ and _install/ are not touched.
    expect(gitSync(p.paths.ocamlSrc, 'rev-parse', 'HEAD')).toBe(head);
    expect(existsSync(join(p.paths.ocamlSrc, 'Makefile.config'))).toBe(false);
    expect(existsSync(p.paths.install)).toBe(false);

    expect(await ensureTsanBuild({ paths: p.paths, config: p.config, jobs: 2 })).toMatchObject({ upToDate: true, ran: [], commit: first.commit });

    // A new patch: rebuilt and installed again.
    await commitPatch('Patch alpha again', 'a.src', 'alpha patched twice\n');
    const second = await ensureTsanBuild({ paths: p.paths, config: p.config, jobs: 2 });
    expect(second.ran).toEqual(['make', 'install']);
    expect(readFileSync(join(layout.prefix, 'a.out'), 'utf8')).toBe('alpha patched twice\n');
  });

  it('keeps each variant in its own tree, with its own flags, sharing the applied commit', async () => {
    const tsan = await ensureTsanBuild({ paths: p.paths, config: p.config, jobs: 2 });
    const off = await ensureCrossloadOffBuild({ paths: p.paths, config: p.config, jobs: 2 });
    expect(off.commit).toBe(tsan.commit);
    expect(off.srcDir).not.toBe(tsan.srcDir);
    expect(readFileSync(join(off.srcDir, 'Makefile.config'), 'utf8')).toContain(`PREFIX=${crossloadOffLayout(p.paths, p.config).prefix}`);
    expect(readFileSync(join(tsan.srcDir, 'Makefile.config'), 'utf8')).toContain(`PREFIX=${tsan.prefix}`);
    expect(existsSync(off.prefix)).toBe(false);
    expect((await ensureTsanBuild({ paths: p.paths, config: p.config, jobs: 2 })).upToDate).toBe(true);
  });

  it('gives the pipeline the same target for crossload-off as before the variants were shared', () => {
    const layout = crossloadOffLayout(p.paths, p.config);
    expect(crossloadOffTarget(p.paths, p.config, 2)).toEqual({
      label: 'crossload off',
      srcDir: layout.srcDir,
      prefix: layout.prefix,
      install: false,
      logDir: p.paths.crossloadOffBuildLogs,
      jobs: 2,
      extraConfigureFlags: ['--disable-crossload'],
    });
    expect(variantTarget({ label: 'x', what: 'x', dir: '/v', logDir: '/l', extraConfigureFlags: ['--x'], install: true }, p.config, undefined, ['p.patch'])).toEqual({
      label: 'x',
      srcDir: '/v/ocaml-5.3.0',
      prefix: '/v/_install',
      install: true,
      logDir: '/l',
      patches: ['p.patch'],
      extraConfigureFlags: ['--x'],
    });
  });
});
