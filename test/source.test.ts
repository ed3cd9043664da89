import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ensurePristineSource } from '../harness/pristine.ts';
import { cachedTarballPath, ensureTarball } from '../harness/tarball.ts';
import { WorkbenchError } from '../harness/errors.ts';
import { gitSync } from './helpers/git-sync.ts';
import { scratchProject } from './helpers/scratch-project.ts';

describe('pinned source', () => {
  it('unpacks a verified tarball into a git repository whose first commit is the pristine tree, tagged', async () => {
    const { paths, config } = await scratchProject();
    const tarball = await ensureTarball(config, paths.cache);
    expect(await ensurePristineSource(config, tarball, paths.ocamlSrc)).toBe('created');
    expect(gitSync(paths.ocamlSrc, 'rev-list', '--count', 'HEAD').trim()).toBe('1');
    expect(gitSync(paths.ocamlSrc, 'describe', '--tags', '--exact-match').trim()).toBe('upstream/5.3.0');
    // CRLF content survives (core.autocrlf=false).
    expect(gitSync(paths.ocamlSrc, 'show', 'HEAD:b.src')).toBe('beta 1\r\nbeta 2\r\n');
    expect(await ensurePristineSource(config, tarball, paths.ocamlSrc)).toBe('existing');
  });

  it('makes the same pristine commit on every run (fixed identity and date)', async () => {
    const a = await scratchProject();
    const b = await scratchProject();
    await ensurePristineSource(a.config, await ensureTarball(a.config, a.paths.cache), a.paths.ocamlSrc);
    await ensurePristineSource(b.config, await ensureTarball(b.config, b.paths.cache), b.paths.ocamlSrc);
    expect(gitSync(a.paths.ocamlSrc, 'rev-parse', 'HEAD')).toBe(gitSync(b.paths.ocamlSrc, 'rev-parse', 'HEAD'));
  });

  it('refuses a tarball whose integrity does not match, and unpacks nothing', async () => {
    const { paths, config } = await scratchProject();
    const tarball = cachedTarballPath(config, paths.cache);
    const wrong = { ...config, ocaml: { ...config.ocaml, integrity: 'sha512-AAAA' } };
    await expect(ensurePristineSource(wrong, tarball, paths.ocamlSrc)).rejects.toThrow(/does not match the pinned integrity/);
    expect(existsSync(paths.ocamlSrc)).toBe(false);
    expect(existsSync(`${paths.ocamlSrc}.partial`)).toBe(false);
  });

  it('moves a corrupt cached tarball aside, downloads again, and refuses a download that does not verify', async () => {
    const { paths, config } = await scratchProject();
    const tarball = cachedTarballPath(config, paths.cache);
    const good = readFileSync(tarball);
    writeFileSync(tarball, 'not a tarball');
    let downloads = 0;
    const goodDownload = async () => {
      downloads++;
      writeFileSync(tarball, good);
    };
    expect(await ensureTarball(config, paths.cache, undefined, goodDownload)).toBe(tarball);
    expect(downloads).toBe(1);
    expect(readdirSync(paths.cache).some((n) => n.includes('.corrupt-'))).toBe(true);
    // Cached and verified: no second download (works offline).
    await ensureTarball(config, paths.cache, undefined, goodDownload);
    expect(downloads).toBe(1);

    rmSync(tarball);
    const badDownload = async () => writeFileSync(tarball, 'tampered');
    await expect(ensureTarball(config, paths.cache, undefined, badDownload)).rejects.toBeInstanceOf(WorkbenchError);
    expect(existsSync(tarball)).toBe(false);
    expect(existsSync(paths.ocamlSrc)).toBe(false);
  });

  it('never takes over an ocaml-src/ it did not make', async () => {
    const { paths, config } = await scratchProject();
    const tarball = await ensureTarball(config, paths.cache);
    await ensurePristineSource(config, tarball, paths.ocamlSrc);
    gitSync(paths.ocamlSrc, 'config', 'workbench.sourceintegrity', 'sha512-other');
    await expect(ensurePristineSource(config, tarball, paths.ocamlSrc)).rejects.toThrow(/not made from the pinned source/);
  });
});
