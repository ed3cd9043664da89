import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeDir, ocamltestEnv, rerunTest, runSuite } from '../harness/ocaml-testsuite/runner.ts';

/**
 * A stand-in OCaml tree: ocamltest is a shell script that answers
 * -find-test-dirs and -list-tests like the real one, and "runs" a test by
 * printing the result its first line asks for.
 */
function fakeTree(): string {
  const src = mkdtempSync(join(tmpdir(), 'wb-suite-'));
  mkdirSync(join(src, 'ocamltest'));
  writeFileSync(
    join(src, 'ocamltest', 'ocamltest'),
    `#!/bin/sh
case "$1" in
  -find-test-dirs) find "$2" -name '*.ml' | xargs -n1 dirname | sort -u ;;
  -list-tests) ls "$2" | grep '\\.ml$' | sort ;;
  -timeout)
    f="$3"; b=$(basename "$f")
    # As ocamltest, which makes _ocamltest/DIR/TEST parent by parent and dies when one appears meanwhile: here the
    # parents must be there already (the runner makes them), the test's own directory is made.
    [ -d "_ocamltest/$(dirname "$f")" ] || { echo "Fatal error: exception Sys_error(\"Failed to create _ocamltest/$f: File exists\")" >&2; exit 2; }
    mkdir -p "_ocamltest/\${f%.ml}" || exit 2
    [ "$TERM" = dumb ] && [ "$MAKE" = make ] || { echo " ... testing '$b' => failed (environment not as make gives it)"; exit 0; }
    case "$(head -n1 "$f")" in
      pass) echo " ... testing '$b' => passed" ;;
      skip) echo " ... testing '$b' => skipped" ;;
      fail) echo " ... testing '$b' => failed"; echo " ... testing '$b' with line 1 (native) => failed (boom)"; echo "> the test's log" >&2 ;;
      crash) echo "Fatal error: exception Not_found" >&2; exit 2 ;;
      debug) [ "$USE_RUNTIME" = d ] && [ -n "$OCAMLRUNPARAM" ] && echo " ... testing '$b' => passed" || echo " ... testing '$b' => failed (USE_RUNTIME='$USE_RUNTIME' OCAMLRUNPARAM='$OCAMLRUNPARAM')" ;;
    esac ;;
esac
`,
  );
  chmodSync(join(src, 'ocamltest', 'ocamltest'), 0o755);
  const test = (rel: string, what: string) => {
    mkdirSync(join(src, 'testsuite', rel, '..'), { recursive: true });
    writeFileSync(join(src, 'testsuite', rel), `${what}\n`);
  };
  test('tests/a/one.ml', 'pass');
  test('tests/a/two.ml', 'fail');
  test('tests/b/three.ml', 'skip');
  test('tests/b/sub/four.ml', 'crash');
  test('tests/c/five.ml', 'pass');
  return src;
}

describe('testsuite runner', () => {
  it('runs every test directory, two at a time, and writes a log in directory order', async () => {
    const src = fakeTree();
    const logFile = join(src, 'out', 'run.log');
    const seen: string[] = [];
    const run = await runSuite({ srcDir: src, selection: {}, jobs: 2, logFile, dirCostMs: { 'tests/c': 5 }, onDir: (d) => seen.push(d) });
    expect(Object.fromEntries(run.tests.map((t) => [t.key, t.outcome]))).toEqual({
      'tests/a/one.ml': 'passed',
      'tests/a/two.ml': 'failed',
      'tests/b/three.ml': 'skipped',
      'tests/b/sub/four.ml': 'failed',
      'tests/c/five.ml': 'passed',
    });
    expect(run.tests.find((t) => t.file === 'two.ml')!.messages).toEqual(["... testing 'two.ml' with line 1 (native) => failed (boom)", "> the test's log"]);
    expect(run.tests.find((t) => t.file === 'four.ml')!.detail).toBe('unexpected error');
    // The costliest directory starts first (with one worker, so it also ends first: with two, a loaded machine may
    // finish a cheaper one before it).
    const order: string[] = [];
    await runSuite({ srcDir: src, selection: {}, jobs: 1, logFile: join(src, 'out', 'one.log'), dirCostMs: { 'tests/c': 5 }, onDir: (d) => order.push(d) });
    expect(order[0]).toBe('tests/c');
    expect(seen.sort()).toEqual(['tests/a', 'tests/b', 'tests/b/sub', 'tests/c']);
    const log = readFileSync(logFile, 'utf8');
    expect(log.match(/Running tests from '[^']*'/g)).toEqual(["Running tests from 'tests/a'", "Running tests from 'tests/b'", "Running tests from 'tests/b/sub'", "Running tests from 'tests/c'"]);
    expect(existsSync(`${logFile}.partial`)).toBe(false);
    expect(Object.keys(run.dirDurationsMs).sort()).toEqual(['tests/a', 'tests/b', 'tests/b/sub', 'tests/c']);
  });

  it('--dir and --only run a part', async () => {
    const src = fakeTree();
    const dir = await runSuite({ srcDir: src, selection: { dir: normalizeDir('b') }, jobs: 2, logFile: join(src, 'd.log') });
    expect(dir.tests.map((t) => t.key).sort()).toEqual(['tests/b/sub/four.ml', 'tests/b/three.ml']);
    const only = await runSuite({ srcDir: src, selection: { only: 'one' }, jobs: 2, logFile: join(src, 'o.log') });
    expect(only.tests.map((t) => t.key)).toEqual(['tests/a/one.ml']);
    const rest = await runSuite({ srcDir: src, selection: {}, jobs: 2, logFile: join(src, 'r.log'), skipDirs: new Set(['tests/a', 'tests/b']) });
    expect(rest.tests.map((t) => t.key).sort()).toEqual(['tests/b/sub/four.ml', 'tests/c/five.ml']);
    await expect(runSuite({ srcDir: src, selection: { dir: 'tests/nope' }, jobs: 1, logFile: join(src, 'n.log') })).rejects.toThrow(/no directory tests\/nope/);
  });

  it('runs the tests named one by one (--series) in their directories only', async () => {
    const src = fakeTree();
    const seen: string[] = [];
    const keys = ['tests/b/three.ml', 'tests/c/five.ml', 'tests/c/gone.ml'];
    const run = await runSuite({ srcDir: src, selection: { keys }, jobs: 2, logFile: join(src, 'k.log'), onDir: (d) => seen.push(d) });
    expect(run.tests.map((t) => t.key).sort()).toEqual(['tests/b/three.ml', 'tests/c/five.ml']);
    expect(seen.sort()).toEqual(['tests/b', 'tests/c']);
    expect(run.command).toContain('one of the 3 selected tests');
  });

  // OCAMLRUNPARAM's value (v=0 unless the user's) is the next test's: here it is only checked to be set.
  it('gives ocamltest USE_RUNTIME=d and OCAMLRUNPARAM for the debug runtime, in a run and in a rerun', async () => {
    const src = fakeTree();
    writeFileSync(join(src, 'testsuite', 'tests', 'a', 'debug.ml'), 'debug\n');
    const normal = await runSuite({ srcDir: src, selection: { only: 'debug' }, jobs: 1, logFile: join(src, 'n.log') });
    expect(normal.tests.map((t) => [t.key, t.outcome])).toEqual([['tests/a/debug.ml', 'failed']]);
    const debug = await runSuite({ srcDir: src, selection: { only: 'debug' }, jobs: 1, logFile: join(src, 'd.log'), runtime: 'd' });
    expect(debug.tests.map((t) => [t.key, t.outcome])).toEqual([['tests/a/debug.ml', 'passed']]);
    expect(debug.command).toContain('USE_RUNTIME=d');
    expect((await rerunTest(src, 'tests/a/debug.ml', 10))?.outcome).toBe('failed');
    expect((await rerunTest(src, 'tests/a/debug.ml', 10, 'd'))?.outcome).toBe('passed');
  });

  it("sets ocamltest's environment as testsuite/Makefile does, keeping an OCAMLRUNPARAM the user set", () => {
    expect(ocamltestEnv(undefined, {})).toEqual({ TERM: 'dumb', SORT: 'sort', MAKE: 'make' });
    expect(ocamltestEnv('d', {})).toEqual({ TERM: 'dumb', SORT: 'sort', MAKE: 'make', USE_RUNTIME: 'd', OCAMLRUNPARAM: 'v=0' });
    expect(ocamltestEnv('d', { OCAMLRUNPARAM: 'b' })).toEqual({ TERM: 'dumb', SORT: 'sort', MAKE: 'make', USE_RUNTIME: 'd' });
  });

  it('normalizes --dir as users type it', () => {
    expect(normalizeDir('lib-dynlink-native')).toBe('tests/lib-dynlink-native');
    expect(normalizeDir('testsuite/tests/lib-dynlink-native/')).toBe('tests/lib-dynlink-native');
    expect(normalizeDir('tests/basic')).toBe('tests/basic');
  });
});
