import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { buildOcaml } from '../harness/build-ocaml.ts';
import { gitIn } from '../harness/git.ts';
import { exportSeries } from '../harness/patch-export.ts';
import { readManifest } from '../harness/manifest.ts';
import { gitSync } from './helpers/git-sync.ts';
import { scratchProject, type ScratchProject } from './helpers/scratch-project.ts';

let p: ScratchProject;
const build = () => buildOcaml({ paths: p.paths, config: p.config, jobs: 2, silent: true });
const src = (f: string) => join(p.paths.ocamlSrc, f);
const makeLog = () => readFileSync(join(p.paths.logs, 'build-ocaml', 'make.log'), 'utf8');

beforeEach(async () => {
  p = await scratchProject();
});

describe('build-ocaml', () => {
  it('builds, installs and writes a manifest; a second run is up to date and runs nothing', async () => {
    const first = await build();
    expect(first.upToDate).toBe(false);
    expect(first.ran).toEqual(['configure', 'make', 'install']);
    expect(readFileSync(join(p.paths.install, 'a.out'), 'utf8')).toBe('alpha 1\nalpha 2\nalpha 3\n');
    const manifest = readManifest(p.paths.install)!;
    expect(manifest).toMatchObject({
      compilerVersion: '5.3.0-fake',
      tarballIntegrity: p.config.ocaml.integrity,
      configureFlags: ['--enable-fake', `--prefix=${p.paths.install}`],
      patchedTree: gitSync(p.paths.ocamlSrc, 'rev-parse', 'HEAD^{tree}').trim(),
    });
    const makeLogBefore = makeLog();
    const second = await build();
    expect(second.upToDate).toBe(true);
    expect(second.ran).toEqual([]);
    expect(makeLog()).toBe(makeLogBefore);
  });

  it('after one patch changes, rebuilds only what it touches, without reconfiguring', async () => {
    await build();
    const bOut = statSync(src('b.out')).mtimeMs;
    const configLog = readFileSync(join(p.paths.logs, 'build-ocaml', 'configure.log'), 'utf8');
    writeFileSync(src('a.src'), 'alpha patched\n');
    gitSync(p.paths.ocamlSrc, 'commit', '-qam', 'Patch alpha');
    await exportSeries(gitIn(p.paths.ocamlSrc, p.config.gitIdentity), 'upstream/5.3.0', p.paths.patches);
    const result = await build();
    expect(result.upToDate).toBe(false);
    expect(result.ran).toEqual(['make', 'install']);
    expect(readFileSync(join(p.paths.install, 'a.out'), 'utf8')).toBe('alpha patched\n');
    expect(makeLog()).toMatch(/cp a\.src a\.out/);
    expect(makeLog()).not.toMatch(/cp b\.src b\.out/);
    expect(statSync(src('b.out')).mtimeMs).toBe(bOut);
    expect(readFileSync(join(p.paths.logs, 'build-ocaml', 'configure.log'), 'utf8')).toBe(configLog);
    expect(readManifest(p.paths.install)!.patches).toEqual(['0001-Patch-alpha.patch']);
  });

  it('recovers from a build killed mid-make: half-written outputs are not trusted', async () => {
    const flag = join(p.paths.root, 'kill-make');
    writeFileSync(flag, '');
    process.env.WB_FAKE_KILL_FLAG = flag;
    try {
      await expect(build()).rejects.toThrow(/make failed/);
      expect(readFileSync(src('slow.out'), 'utf8')).toBe('partial\n');
      expect(readManifest(p.paths.install)).toBeUndefined();
      const result = await build();
      expect(result.notes.join('\n')).toMatch(/killed during make/);
      expect(readFileSync(join(p.paths.install, 'slow.out'), 'utf8')).toBe('complete\n');
      expect((await build()).upToDate).toBe(true);
    } finally {
      delete process.env.WB_FAKE_KILL_FLAG;
    }
  });

  it('installs again when the install was damaged (the tree is built: no make), rebuilds when the prefix changes', async () => {
    await build();
    writeFileSync(join(p.paths.install, 'bin', 'ocamlc'), '#!/bin/sh\nexit 3\n');
    const repaired = await build();
    expect(repaired.upToDate).toBe(false);
    expect(repaired.ran).toEqual(['install']);
    expect((await build()).upToDate).toBe(true);
    const other = join(p.paths.root, 'other-prefix');
    const r = await buildOcaml({ paths: p.paths, config: p.config, jobs: 2, silent: true, prefix: other });
    expect(r.upToDate).toBe(false);
    // The prefix is compiled into OCaml (the standard library's path): configure and make again.
    expect(r.ran).toEqual(['configure', 'make', 'install']);
    expect(existsSync(join(other, 'bin', 'ocamlc'))).toBe(true);
    expect(readManifest(other)!.prefix).toBe(other);
  });
});

describe('build-ocaml after a patch that moves a file', () => {
  it('rebuilds from clean when stale outputs break the incremental build', async () => {
    p = await scratchProject();
    await build();
    expect(readFileSync(src('old.out'), 'utf8')).toBe('old\n');
    gitSync(p.paths.ocamlSrc, 'mv', 'old.src', 'moved.src');
    gitSync(p.paths.ocamlSrc, 'commit', '-qm', 'Move old.src');
    await exportSeries(gitIn(p.paths.ocamlSrc, p.config.gitIdentity), 'upstream/5.3.0', p.paths.patches);
    const result = await build();
    expect(result.notes.join('\n')).toMatch(/rebuilt from clean/);
    expect(existsSync(src('old.out'))).toBe(false);
    expect(readFileSync(join(p.paths.logs, 'build-ocaml', 'make-incremental.log'), 'utf8')).toMatch(/stale old\.out/);
    expect((await build()).upToDate).toBe(true);
  });
});

describe('build-ocaml lock', () => {
  it('refuses a second build of the same tree while one runs, and takes over a stale lock', async () => {
    p = await scratchProject();
    const { mkdirSync, writeFileSync: write } = await import('node:fs');
    mkdirSync(p.paths.cache, { recursive: true });
    const lock = join(p.paths.cache, 'build-ocaml.lock');
    write(lock, String(process.ppid)); // a live process that is not us
    await expect(build()).rejects.toThrow(/already running \(process \d+\)/);
    write(lock, '999999999'); // no such process: a killed build's lock
    expect((await build()).upToDate).toBe(false);
    expect(existsSync(lock)).toBe(false);
  });
});

describe('build-ocaml configure inputs', () => {
  it('reconfigures when a patch changes a *.in template, not otherwise', async () => {
    p = await scratchProject();
    await build();
    writeFileSync(src('version.txt.in'), 'v1\n');
    gitSync(p.paths.ocamlSrc, 'add', 'version.txt.in');
    gitSync(p.paths.ocamlSrc, 'commit', '-qm', 'Add a template');
    await exportSeries(gitIn(p.paths.ocamlSrc, p.config.gitIdentity), 'upstream/5.3.0', p.paths.patches);
    await build();
    const configureLog = () => readFileSync(join(p.paths.logs, 'build-ocaml', 'configure.log'), 'utf8');
    const first = configureLog();
    writeFileSync(src('a.src'), 'alpha changed\n');
    gitSync(p.paths.ocamlSrc, 'commit', '-qam', 'Change a source');
    await exportSeries(gitIn(p.paths.ocamlSrc, p.config.gitIdentity), 'upstream/5.3.0', p.paths.patches);
    await build();
    expect(configureLog()).toBe(first);
    writeFileSync(src('version.txt.in'), 'v2\n');
    gitSync(p.paths.ocamlSrc, 'commit', '-qam', 'Change the template');
    await exportSeries(gitIn(p.paths.ocamlSrc, p.config.gitIdentity), 'upstream/5.3.0', p.paths.patches);
    rmSync(join(p.paths.logs, 'build-ocaml', 'configure.log'));
    await build();
    expect(existsSync(join(p.paths.logs, 'build-ocaml', 'configure.log'))).toBe(true);
  });
});

describe('native programs left stale by a runtime-only change', () => {
  it('lists the *.opt tools, ocamlnat, ocamlrun.crossload and ocamlrund.crossload older than runtime/libasmrun.a, and nothing else', async () => {
    const { mkdtempSync, mkdirSync, utimesSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { staleNativePrograms } = await import('../harness/build-steps.ts');
    const dir = mkdtempSync(join(tmpdir(), 'stale-'));
    for (const d of ['runtime', 'tools', 'otherlibs/dynlink', 'testsuite/tests/x']) mkdirSync(join(dir, d), { recursive: true });
    const files = ['ocamlc.opt', 'ocamlnat', 'ocaml', 'tools/ocamldep.opt', 'otherlibs/dynlink/ocamlrun.crossload', 'otherlibs/dynlink/ocamlrund.crossload', 'testsuite/tests/x/a.opt', 'ocamlopt.opt'];
    for (const f of files) writeFileSync(join(dir, f), '');
    const old = new Date(Date.now() - 60_000);
    for (const f of files.filter((x) => x !== 'ocamlopt.opt')) utimesSync(join(dir, f), old, old);
    expect(staleNativePrograms(dir)).toEqual([]); // no runtime library yet: nothing to compare with
    writeFileSync(join(dir, 'runtime', 'libasmrun.a'), '');
    utimesSync(join(dir, 'ocamlopt.opt'), new Date(Date.now() + 60_000), new Date(Date.now() + 60_000));
    expect(staleNativePrograms(dir).sort()).toEqual(['ocamlc.opt', 'ocamlnat', 'otherlibs/dynlink/ocamlrun.crossload', 'otherlibs/dynlink/ocamlrund.crossload', 'tools/ocamldep.opt']);
    rmSync(dir, { recursive: true, force: true });
  });
});
