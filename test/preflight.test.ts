import { chmodSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { ALL_TOOLS, AWK_INTERVAL_TEST, checkBuildTools, checkLintTools, checkTools } from '../harness/preflight.ts';
import { PROJECT_ROOT } from '../harness/config.ts';

const savedPath = process.env.PATH;
afterEach(() => {
  process.env.PATH = savedPath;
});

/** A PATH holding only the given commands, each a link to the machine's own. */
async function pathWith(commands: string[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'wb-path-'));
  for (const c of commands) {
    const r = await execa('/bin/sh', ['-c', 'command -v "$1"', 'sh', c]);
    symlinkSync(r.stdout.trim(), join(dir, c));
  }
  return dir;
}

describe('preflight', () => {
  it('passes on this machine', async () => {
    await expect(checkBuildTools()).resolves.toBeUndefined();
    await expect(checkLintTools()).resolves.toBeUndefined();
  });

  it('names every missing tool and the Debian packages to install', async () => {
    process.env.PATH = mkdtempSync(join(tmpdir(), 'wb-empty-path-'));
    const err = await checkBuildTools().catch((e: Error & { hint?: string }) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/missing tools: git .*, make .*, cc .*, as .*, ld /);
    expect((err as { hint?: string }).hint).toContain('apt-get install git make gcc binutils');
  });

  it('refuses an awk without interval expressions (as mawk) and names gawk', async () => {
    // A fake awk that fails check-typo's own test as mawk 1.3.4 does: its /a{1}$/ matches the literal "a{1}", so it exits 1.
    const dir = await pathWith([]);
    writeFileSync(join(dir, 'awk'), '#!/bin/sh\nexit 1\n');
    chmodSync(join(dir, 'awk'), 0o755);
    process.env.PATH = `${dir}:${savedPath}`;
    const err = await checkLintTools().catch((e: Error & { hint?: string }) => e);
    expect((err as Error).message).toMatch(/awk has no interval expressions/);
    expect((err as { hint?: string }).hint).toContain('apt-get install gawk');
  });

  it('uses the very test of tools/check-typo', () => {
    const checkTypo = join(PROJECT_ROOT, 'ocaml-src', 'tools', 'check-typo');
    let text: string;
    try {
      text = readFileSync(checkTypo, 'utf8');
    } catch {
      return; // no OCaml tree yet (vitest runs before build-ocaml in npm test): nothing to compare with
    }
    expect(text).toContain(`TEST_AWK='${AWK_INTERVAL_TEST}'`);
  });

  it('checks every tool the README lists as a prerequisite, and the README lists every tool checked', () => {
    const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
    const section = /## Prerequisites\n([\s\S]*?)\n## /.exec(readme)?.[1];
    expect(section, 'README has a "## Prerequisites" section').toBeDefined();
    for (const t of ALL_TOOLS) expect(section).toContain(`\`${t.debianPackage}\``);
    const listed = [...section!.matchAll(/apt-get install ([a-z0-9 .+-]+)/g)].flatMap((m) => m[1]!.trim().split(/\s+/));
    expect(new Set(listed)).toEqual(new Set(ALL_TOOLS.map((t) => t.debianPackage)));
  });

  it('passes a PATH with every tool', async () => {
    await expect(checkTools(ALL_TOOLS)).resolves.toBeUndefined();
  });
});
