import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { ocamltestTestKeys, selectedOcamltestKeys, testFilesBeforeBuild } from '../harness/ocaml-testsuite/selection-check.ts';

/**
 * The command line of every script in scripts/, driven as a user drives it: each run here must end in seconds,
 * before any build or test run (parsing and the filter checks come first in each script).
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const SCRIPTS = readdirSync(join(ROOT, 'scripts'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3))
  .sort();
const source = (script: string): string => readFileSync(join(ROOT, 'scripts', `${script}.ts`), 'utf8');

interface Outcome {
  exitCode: number | undefined;
  stdout: string;
  /** stderr's non-empty lines, colours removed. */
  stderr: string[];
}

/** Whether the script parses its command line with parseCommandLine, itself or in a harness module it imports. */
function parsesCommandLine(script: string): boolean {
  const text = source(script);
  const imported = [...text.matchAll(/from '\.\.\/(harness\/[^']+\.ts)'/g)].map((m) => readFileSync(join(ROOT, m[1]!), 'utf8'));
  return [text, ...imported].some((t) => t.includes('parseCommandLine('));
}

async function run(script: string, args: string[]): Promise<Outcome> {
  // A script that does not parse its command line would ignore the arguments and start its whole job (npm test
  // would even run this file again): refuse to start it.
  if (!parsesCommandLine(script)) throw new Error(`scripts/${script}.ts does not call parseCommandLine`);
  const r = await execa(TSX, [join('scripts', `${script}.ts`), ...args], { cwd: ROOT, reject: false, timeout: 45_000, stdin: 'ignore' });
  if (r.timedOut) throw new Error(`scripts/${script}.ts ${args.join(' ')} was still running after 45s`);
  return { exitCode: r.exitCode, stdout: stripVTControlCharacters(r.stdout), stderr: stripVTControlCharacters(r.stderr).split('\n').filter((l) => l.trim() !== '') };
}

/** How package.json runs each script: `npm run crosstest --`, `npm test --`. */
function npmCommand(script: string): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const name = Object.entries(pkg.scripts).find(([, cmd]) => cmd === `tsx scripts/${script}.ts`)?.[0];
  if (name === undefined) throw new Error(`no npm script runs scripts/${script}.ts`);
  return name === 'test' ? 'npm test' : `npm run ${name}`;
}

describe('scripts/', () => {
  it('holds the scripts of package.json, each behind one npm script', () => {
    expect(SCRIPTS).toEqual(
      expect.arrayContaining(['bench', 'build-ocaml', 'crosstest', 'ocaml-testsuite', 'patches-apply', 'patches-check', 'patches-export', 'patches-lint', 'test']),
    );
    for (const s of SCRIPTS) expect(() => npmCommand(s)).not.toThrow();
  });
});

// Each run starts node and loads a script (about 2 s of CPU): all of them run side by side.
describe.concurrent('the command line of each script', () => {
  describe.each(SCRIPTS)('scripts/%s.ts', (script) => {
    it('prints its help on --help and exits 0: the npm command, and every option its header comment names', async ({ expect }) => {
      const r = await run(script, ['--help']);
      expect(r.exitCode).toBe(0);
      expect(r.stderr).toEqual([]);
      expect(r.stdout).toMatch(new RegExp(`^usage: ${npmCommand(script).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `));
      const lines = source(script).split('\n');
      const header = lines.slice(0, lines.findIndex((l) => !l.startsWith('//'))).join('\n');
      for (const option of new Set(header.match(/--[a-z][a-z-]*/g) ?? [])) expect(r.stdout, `${option} of the header comment`).toContain(option);
    });

    it('rejects an unknown option with one line on stderr and exit status 2', async ({ expect }) => {
      const r = await run(script, ['--no-such-option']);
      expect(r).toMatchObject({ exitCode: 2, stdout: '' });
      expect(r.stderr).toHaveLength(1);
      expect(r.stderr[0]).toContain('--no-such-option');
      expect(r.stderr[0]).toContain('--help');
    });

    it('rejects a positional argument with one line on stderr and exit status 2', async ({ expect }) => {
      const r = await run(script, ['extra']);
      expect(r).toMatchObject({ exitCode: 2, stdout: '' });
      expect(r.stderr).toHaveLength(1);
      expect(r.stderr[0]).toContain('extra');
    });
  });

  describe('malformed values', () => {
    it.for([
      ['crosstest', ['--jobs', 'abc'], '--jobs'],
      ['crosstest', ['--timeout', '0'], '--timeout'],
      ['crosstest', ['--corpus', 'mine'], '--corpus'],
      ['crosstest', ['--modes', 'byte,no-such-mode'], 'no-such-mode'],
      ['ocaml-testsuite', ['--jobs', 'abc'], '--jobs'],
      ['ocaml-testsuite', ['--timeout', '1.5'], '--timeout'],
      ['ocaml-testsuite', ['--update-baseline', '--only', 'x'], '--update-baseline'],
      ['ocaml-testsuite', ['--update-baseline', '--crossload-off'], '--crossload-off'],
      ['ocaml-testsuite', ['--runtime', 'i'], '--runtime must be one of d'],
      ['ocaml-testsuite', ['--runtime'], '--runtime needs a value'],
      ['ocaml-testsuite', ['--series', '--dir', 'basic'], '--series'],
      ['ocaml-testsuite', ['--series', '--only', 'x'], '--series'],
      ['ocaml-testsuite', ['--series', '--update-baseline'], '--series'],
      ['ocaml-testsuite', ['--runtime', 'd', '--update-baseline'], '--runtime'],
      ['ocaml-testsuite', ['--runtime', 'd', '--crossload-off'], '--runtime'],
      ['ocaml-testsuite', ['--series', '--crossload-off'], '--series'],
      ['bench', ['--repeat', 'abc'], '--repeat'],
      ['build-ocaml', ['--jobs', 'abc'], '--jobs'],
      ['patches-lint', ['--each', '--from', '5', '--to', '3'], '--to 3'],
      ['patches-lint', ['--to', '3'], '--to'],
    ] as const)('%s %j exits 2 with one line naming %s', async ([script, args, named], { expect }) => {
      const r = await run(script, [...args]);
      expect(r).toMatchObject({ exitCode: 2, stdout: '' });
      expect(r.stderr).toHaveLength(1);
      expect(r.stderr[0]).toContain(named);
    });
  });

  describe('filters that select nothing', () => {
    it('crosstest --only no-such-test --corpus own --no-build exits 2, saying it selects nothing', async ({ expect }) => {
      const r = await run('crosstest', ['--only', 'no-such-test', '--corpus', 'own', '--no-build']);
      expect(r).toMatchObject({ exitCode: 2, stdout: '' });
      expect(r.stderr).toHaveLength(1);
      expect(r.stderr[0]).toContain('--only no-such-test selects nothing');
    });

    // The tree is there once build-ocaml or patches:apply has run (not yet on a fresh clone; the keys are tested below).
    it.skipIf(!existsSync(join(ROOT, 'ocaml-src', 'testsuite', 'tests')))('ocaml-testsuite --dir/--only of no test exit 2 before any build', async ({ expect }) => {
      for (const args of [['--only', 'no-such-test'], ['--dir', 'no-such-dir', '--no-build'], ['--dir', 'basic', '--only', 'lib-dynlink', '--no-build'], ['--crossload-off', '--only', 'no-such-test']]) {
        const r = await run('ocaml-testsuite', args);
        expect(r, args.join(' ')).toMatchObject({ exitCode: 2, stdout: '' });
        expect(r.stderr).toHaveLength(1);
        expect(r.stderr[0]).toContain(`${args.filter((a) => a !== '--no-build' && a !== '--crossload-off').join(' ')} selects nothing`);
      }
    }, 150_000);
  });
});

describe("OCaml's tests as a filter sees them before ocamltest runs", () => {
  const write = (root: string, file: string, text: string) => {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  };
  const testsuite = mkdtempSync(join(tmpdir(), 'wb-selection-'));
  write(testsuite, 'tests/basic/arrays.ml', '(* TEST *)\nlet () = ()\n');
  write(testsuite, 'tests/basic/arrays.reference', '(* TEST *)\n');
  write(testsuite, 'tests/basic/blank_first.ml', '\n\r\n \t(*TEST_BELOW*)\n');
  write(testsuite, 'tests/basic/helper.ml', 'let x = 1 (* TEST *)\n');
  write(testsuite, 'tests/basic/not_first.ml', '(* a comment *)\n(* TEST *)\n');
  write(testsuite, 'tests/basic/_skipped.ml', '(* TEST *)\n');
  write(testsuite, 'tests/basic/.hidden.ml', '(* TEST *)\n');
  write(testsuite, 'tests/basic/_ocamltest/arrays/arrays.ml', '(* TEST *)\n');
  write(testsuite, 'tests/lib-c/stubs.c', '/* TEST\n */\n');
  write(testsuite, 'tests/lib-c/deep/inner.mli', '(* TEST *)\n');

  it("finds the test files as ocamltest does: the header first, ignoring names that start with '_' or '.'", () => {
    expect(ocamltestTestKeys(testsuite)).toEqual(['tests/basic/arrays.ml', 'tests/basic/arrays.reference', 'tests/basic/blank_first.ml', 'tests/lib-c/deep/inner.mli', 'tests/lib-c/stubs.c']);
    expect(ocamltestTestKeys(testsuite, 'tests/lib-c/deep')).toEqual(['tests/lib-c/deep/inner.mli']);
    expect(ocamltestTestKeys(testsuite, 'tests/none')).toEqual([]);
  });

  it('selects with --dir as the user types it and --only as a part of the key', () => {
    expect(selectedOcamltestKeys(testsuite, { dir: 'lib-c' })).toEqual(['tests/lib-c/deep/inner.mli', 'tests/lib-c/stubs.c']);
    expect(selectedOcamltestKeys(testsuite, { dir: 'testsuite/tests/lib-c/', only: 'stubs' })).toEqual(['tests/lib-c/stubs.c']);
    expect(selectedOcamltestKeys(testsuite, { only: 'blank' })).toEqual(['tests/basic/blank_first.ml']);
    expect(selectedOcamltestKeys(testsuite, { dir: 'lib' })).toEqual([]);
    expect(selectedOcamltestKeys(testsuite, { dir: 'basic/arrays.ml' })).toEqual([]);
    expect(selectedOcamltestKeys(testsuite, { only: 'helper' })).toEqual([]);
  });

  it("counts, before the build, every file of the tree and every testsuite file that the series' patches add or rename", () => {
    const patches = mkdtempSync(join(tmpdir(), 'wb-selection-patches-'));
    write(patches, 'series', '0001-a.patch\n');
    write(patches, '0001-a.patch', '--- /dev/null\n+++ b/testsuite/tests/new-dir/t.ml\n@@ -0,0 +1 @@\n+(* TEST *)\n+++ b/stdlib/list.ml\nrename to testsuite/tests/moved/m.ml\n');
    write(patches, '0002-not-in-series.patch', '+++ b/testsuite/tests/unused/u.ml\n');
    const files = testFilesBeforeBuild(testsuite, patches);
    expect(files).toEqual(expect.arrayContaining(['tests/basic/helper.ml', 'tests/basic/_ocamltest/arrays/arrays.ml', 'tests/new-dir/t.ml', 'tests/moved/m.ml']));
    expect(files.filter((f) => !f.startsWith('tests/') || f.includes('unused'))).toEqual([]);
    expect(files).toHaveLength(12);
  });
});
