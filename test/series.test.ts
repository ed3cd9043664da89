import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { gitIn } from '../harness/git.ts';
import { ensurePristineSource } from '../harness/pristine.ts';
import { ensureTarball } from '../harness/tarball.ts';
import { exportSeries } from '../harness/patch-export.ts';
import { applySeries } from '../harness/patch-apply.ts';
import { checkSeries } from '../harness/patch-check.ts';
import { readSeries } from '../harness/series-file.ts';
import { gitSync } from './helpers/git-sync.ts';
import { scratchProject, type ScratchProject } from './helpers/scratch-project.ts';

let p: ScratchProject;
const TAG = 'upstream/5.3.0';

async function freshSource(project: ScratchProject): Promise<void> {
  const { paths, config } = project;
  await ensurePristineSource(config, await ensureTarball(config, paths.cache), paths.ocamlSrc);
}
const apply = (force = false) =>
  applySeries({ srcDir: p.paths.ocamlSrc, patchesDir: p.paths.patches, baseRef: TAG, identity: p.config.gitIdentity, force });
const exportNow = () => exportSeries(gitIn(p.paths.ocamlSrc, p.config.gitIdentity), TAG, p.paths.patches);
const check = () => checkSeries({ srcDir: p.paths.ocamlSrc, patchesDir: p.paths.patches, baseRef: TAG, identity: p.config.gitIdentity });
const src = (f: string) => join(p.paths.ocamlSrc, f);

function commit(file: string, content: string, message: string): void {
  writeFileSync(src(file), content);
  gitSync(p.paths.ocamlSrc, 'add', file);
  gitSync(p.paths.ocamlSrc, 'commit', '-q', '-m', message);
}

function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).map((n) => [n, readFileSync(join(dir, n), 'latin1')]));
}

beforeEach(async () => {
  p = await scratchProject();
  await freshSource(p);
});

describe('patch series', () => {
  it('exports one patch per commit, and apply then export is byte-stable', async () => {
    commit('a.src', 'alpha 1\nalpha two\nalpha 3\n', 'Change alpha\n\nBecause the second line was wrong.');
    commit('b.src', 'beta 1\r\nbeta 2\r\nbeta 3\r\n', 'Add a CRLF line');
    expect(await exportNow()).toEqual(['0001-Change-alpha.patch', '0002-Add-a-CRLF-line.patch']);
    const first = snapshot(p.paths.patches);
    expect(readSeries(p.paths.patches)).toEqual(['0001-Change-alpha.patch', '0002-Add-a-CRLF-line.patch']);
    expect(first['0001-Change-alpha.patch']).toMatch(/^From 0{40} /);

    // A new clone: the same series applied to a fresh pristine tree.
    rmSync(p.paths.ocamlSrc, { recursive: true, force: true });
    await freshSource(p);
    expect((await apply()).kind).toBe('applied');
    expect(readFileSync(src('b.src'), 'latin1')).toBe('beta 1\r\nbeta 2\r\nbeta 3\r\n');
    expect(await exportNow()).toEqual([]);
    expect(snapshot(p.paths.patches)).toEqual(first);
    expect(await check()).toEqual([]);
    expect((await apply()).kind).toBe('up-to-date');
  });

  it('gives the same commit ids for the same series (fixed committer identity and date)', async () => {
    commit('a.src', 'alpha changed\n', 'Change alpha');
    await exportNow();
    const other = await scratchProject();
    await freshSource(other);
    cpSync(p.paths.patches, other.paths.patches, { recursive: true });
    rmSync(p.paths.ocamlSrc, { recursive: true, force: true });
    await freshSource(p);
    await apply();
    await applySeries({ srcDir: other.paths.ocamlSrc, patchesDir: other.paths.patches, baseRef: TAG, identity: other.config.gitIdentity });
    expect(gitSync(p.paths.ocamlSrc, 'rev-parse', 'HEAD')).toBe(gitSync(other.paths.ocamlSrc, 'rev-parse', 'HEAD'));
  });

  it('rewrites only the files a changed patch touches', async () => {
    commit('a.src', 'alpha v1\n', 'Change alpha');
    commit('b.src', 'beta v1\n', 'Change beta');
    await exportNow();
    const bBefore = readFileSync(src('b.src'));
    const bMtime = (await import('node:fs')).statSync(src('b.src')).mtimeMs;
    // Change the first patch in patches/ only (as a `git pull` of the project would).
    const patch = join(p.paths.patches, '0001-Change-alpha.patch');
    writeFileSync(patch, readFileSync(patch, 'utf8').replace('+alpha v1', '+alpha v2'));
    await new Promise((r) => setTimeout(r, 20));
    const outcome = await apply();
    expect(outcome).toMatchObject({ kind: 'applied', changed: ['0001-Change-alpha.patch'] });
    expect(readFileSync(src('a.src'), 'utf8')).toBe('alpha v2\n');
    expect(readFileSync(src('b.src'))).toEqual(bBefore);
    expect((await import('node:fs')).statSync(src('b.src')).mtimeMs).toBe(bMtime);
  });

  it('names the conflicting patch and its files, and leaves ocaml-src/ stopped in git am', async () => {
    commit('a.src', 'alpha 1\nalpha X\nalpha 3\n', 'Make it X');
    await exportNow();
    // A second patch written against the pristine tree, touching the same line.
    gitSync(p.paths.ocamlSrc, 'reset', '-q', '--hard', TAG);
    commit('a.src', 'alpha 1\nalpha Y\nalpha 3\n', 'Make it Y');
    const out = mkdtempSync(join(tmpdir(), 'wb-y-'));
    gitSync(p.paths.ocamlSrc, 'format-patch', '-q', '--zero-commit', '--full-index', '-k', '-o', out, `${TAG}..HEAD`);
    cpSync(join(out, '0001-Make-it-Y.patch'), join(p.paths.patches, '0002-Make-it-Y.patch'));
    writeFileSync(p.paths.series, '0001-Make-it-X.patch\n0002-Make-it-Y.patch\n');
    gitSync(p.paths.ocamlSrc, 'reset', '-q', '--hard', TAG);

    await expect(apply()).rejects.toThrow(/patch 0002-Make-it-Y\.patch \(number 2 of 2\) does not apply; conflicting files:\n\s+a\.src/);
    expect(existsSync(join(p.paths.ocamlSrc, '.git', 'rebase-apply'))).toBe(true);
    expect(gitSync(p.paths.ocamlSrc, 'log', '-1', '--format=%s')).toBe('Make it X\n');
    expect(readFileSync(src('a.src'), 'utf8')).toContain('<<<<<<<');
    // The user is in control: another apply refuses until the am is resolved or aborted.
    await expect(apply()).rejects.toThrow(/in the middle of a `git am`/);
    expect((await check()).join('\n')).toMatch(/0002-Make-it-Y\.patch does not apply/);
  });

  it('refuses to overwrite uncommitted or unexported work, listing it; --force sets it aside', async () => {
    commit('a.src', 'exported\n', 'Exported change');
    await exportNow();
    writeFileSync(src('b.src'), 'uncommitted edit\n');
    await expect(apply()).rejects.toThrow(/uncommitted:  M b\.src/);
    gitSync(p.paths.ocamlSrc, 'checkout', 'b.src');

    commit('a.src', 'not exported\n', 'Unexported change');
    await expect(apply()).rejects.toThrow(/not in patches\/: [0-9a-f]+ Unexported change/);
    expect(readFileSync(src('a.src'), 'utf8')).toBe('not exported\n');
    expect((await check()).join('\n')).toMatch(/not exported to patches\/: [0-9a-f]+ Unexported change/);

    writeFileSync(src('b.src'), 'uncommitted edit\n');
    const outcome = await apply(true);
    expect(outcome.saved.join('\n')).toMatch(/stash/);
    expect(readFileSync(src('a.src'), 'utf8')).toBe('exported\n');
    const backups = gitSync(p.paths.ocamlSrc, 'for-each-ref', '--format=%(objectname)', 'refs/workbench/backup/');
    expect(gitSync(p.paths.ocamlSrc, 'log', '--format=%s', '-1', backups.trim().split('\n')[0]!)).toBe('Unexported change\n');
    expect(gitSync(p.paths.ocamlSrc, 'stash', 'show', '-p')).toMatch(/\+uncommitted edit/);
  });

  it('keeps build outputs out of exported patches', async () => {
    writeFileSync(src('runtime.o'), 'object code');
    gitSync(p.paths.ocamlSrc, 'add', '-f', 'runtime.o');
    gitSync(p.paths.ocamlSrc, 'commit', '-q', '-m', 'Oops, an object file');
    await expect(exportNow()).rejects.toThrow(/adds build outputs: runtime\.o/);
    expect(readSeries(p.paths.patches)).toEqual([]);
  });

  it('refuses to export unsquashed fixup commits', async () => {
    commit('a.src', 'one\n', 'Change alpha');
    commit('a.src', 'two\n', 'fixup! Change alpha');
    await expect(exportNow()).rejects.toThrow(/unsquashed commits: fixup! Change alpha/);
  });
});
