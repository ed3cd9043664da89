import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { libraryArchives, libraryIncludes, parseLibraries, toplevelLibraryDirectives } from '../harness/crosstest/libraries.ts';
import { libraryLimits } from '../harness/crosstest/libraries.ts';
import type { TestCase } from '../harness/crosstest/mode.ts';
import { copyTestFiles, pluginSteps, testPluginSteps } from '../harness/crosstest/plugins.ts';
import { discoverOwnTests, expectedOutput } from '../harness/crosstest/test-case.ts';
import { programCommand, programEnv } from '../harness/crosstest/toolchain.ts';

/** A testsuite directory with one test `t` whose test.json is `json` (host main.ml, plugin plugin.ml). */
function suite(json: Record<string, unknown>): string {
  const root = mkdtempSync(join(tmpdir(), 'wb-testsuite-'));
  const dir = join(root, 't');
  mkdirSync(dir);
  writeFileSync(join(dir, 'main.ml'), '');
  writeFileSync(join(dir, 'plugin.ml'), '');
  writeFileSync(join(dir, 'test.json'), JSON.stringify({ description: 'd', host: ['main.ml'], plugins: ['plugin.ml'], ...json }));
  return root;
}

describe('test.json libraries', () => {
  it('carries the libraries, in order, to the host spec; none by default', () => {
    const [t] = discoverOwnTests(suite({ libraries: ['unix', 'threads'] }));
    expect(t!.host.libraries).toEqual(['unix', 'threads']);
    expect(discoverOwnTests(suite({}))[0]!.host.libraries).toBeUndefined();
    expect(discoverOwnTests(suite({ libraries: [] }))[0]!.host.libraries).toBeUndefined();
  });

  it('refuses what is not a list of distinct library names', () => {
    expect(() => discoverOwnTests(suite({ libraries: 'unix' }))).toThrow(/testsuite\/t\/test.json: "libraries" must be a list/);
    expect(() => discoverOwnTests(suite({ libraries: ['unix', 3] }))).toThrow(/names 3, which is not a library name/);
    expect(() => discoverOwnTests(suite({ libraries: ['+unix'] }))).toThrow(/not a library name/);
    expect(() => discoverOwnTests(suite({ libraries: ['unix', 'unix'] }))).toThrow(/lists "unix" twice/);
    expect(() => discoverOwnTests(suite({ libraries: ['dynlink'] }))).toThrow(/every host links it/);
  });

  it('refuses a library listed before one it needs (threads needs unix)', () => {
    expect(() => discoverOwnTests(suite({ libraries: ['threads'] }))).toThrow(/must list "unix" before "threads"/);
    expect(() => discoverOwnTests(suite({ libraries: ['threads', 'unix'] }))).toThrow(/must list "unix" before "threads"/);
    expect(parseLibraries(['unix', 'str', 'threads'], 'x')).toEqual(['unix', 'str', 'threads']);
  });

  it('gives the compiler flags, archives and toplevel directives of the libraries', () => {
    expect(libraryIncludes(['unix', 'threads'])).toEqual(['-I', '+unix', '-I', '+threads']);
    expect(libraryArchives(['unix', 'threads'], 'byte')).toEqual(['unix.cma', 'threads.cma']);
    expect(libraryArchives(['unix', 'threads'], 'native')).toEqual(['unix.cmxa', 'threads.cmxa']);
    const directories = ['#directory "+unix";;\n', '#directory "+threads";;\n'];
    expect(toplevelLibraryDirectives(['unix', 'threads'], 'cmo', () => true)).toEqual([...directories, '#load "unix.cma";;\n', '#load "threads.cma";;\n']);
    // With .cmxs plugins, a library's installed .cmxs (unix has one, threads has not).
    expect(toplevelLibraryDirectives(['unix', 'threads'], 'cmxs', (lib) => lib === 'unix')).toEqual([...directories, '#load "unix.cmxs";;\n', '#load "threads.cma";;\n']);
  });

  it('compiles plugins against the libraries, after the host directory', () => {
    expect(pluginSteps('p.ml', 'cmxs', '/h', false, ['unix', 'threads'])).toEqual([
      { tool: 'ocamlopt', args: ['-g', '-I', '/h', '-I', '+unix', '-I', '+threads', '-shared', '-o', 'p.cmxs', 'p.ml'] },
    ]);
    expect(pluginSteps('p.ml', 'cmo', '/h', false, ['unix'])).toEqual([{ tool: 'ocamlc', args: ['-g', '-I', '/h', '-I', '+unix', '-c', 'p.ml'] }]);
  });
});

describe('test.json skips', () => {
  it('carries skipModes and skipFamilies with their reasons', () => {
    const [t] = discoverOwnTests(suite({ skipModes: { 'byte+cmxs': 'why' }, skipFamilies: { toplevel: 'because' } }));
    expect(t!.skipModes).toEqual({ 'byte+cmxs': 'why' });
    expect(t!.skipFamilies).toEqual({ toplevel: 'because' });
  });

  it('refuses an unknown mode or family, and a skip without a reason', () => {
    expect(() => discoverOwnTests(suite({ skipModes: { 'byte+cmxs/gc-stress': 'why' } }))).toThrow(/"skipModes" names byte\+cmxs\/gc-stress, which is none of byte, native/);
    expect(() => discoverOwnTests(suite({ skipModes: { bytecode: 'why' } }), ['byte'])).toThrow(/none of byte$/);
    expect(() => discoverOwnTests(suite({ skipFamilies: { programs: 'why' } }))).toThrow(/"skipFamilies" names programs, which is none of program, toplevel/);
    expect(() => discoverOwnTests(suite({ skipModes: { byte: '' } }))).toThrow(/must give a reason for byte/);
    expect(() => discoverOwnTests(suite({ skipModes: ['byte'] }))).toThrow(/"skipModes" must map names/);
  });

  it('carries skipUnderTsan with its reason, and refuses it without one', () => {
    const [t] = discoverOwnTests(suite({ skipUnderTsan: 'too deep for TSan' }));
    expect(t!.skipUnderTsan).toBe('too deep for TSan');
    const [u] = discoverOwnTests(suite({}));
    expect(u!.skipUnderTsan).toBeUndefined();
    expect(() => discoverOwnTests(suite({ skipUnderTsan: ' ' }))).toThrow(/"skipUnderTsan" must give the reason/);
    expect(() => discoverOwnTests(suite({ skipUnderTsan: true }))).toThrow(/"skipUnderTsan" must give the reason/);
  });
});

/** An OCaml test `t` in a fresh directory: `p.ml`, maybe `p.reference`. */
function ocamlTest(fields: Partial<TestCase> = {}, reference?: string): TestCase {
  const dir = mkdtempSync(join(tmpdir(), 'wb-ocaml-test-'));
  writeFileSync(join(dir, 'p.ml'), '');
  if (reference !== undefined) writeFileSync(join(dir, 'p.reference'), reference);
  const ref = join(dir, 'p.reference');
  return {
    name: 'ocaml/t/p',
    dir,
    description: 'd',
    host: { key: 'k', dir: '/h', sources: ['h.ml'] },
    plugins: ['p.ml'],
    env: {},
    status: 0,
    output: 'merged',
    referenceFiles: { cmo: ref, cmxs: ref },
    ...fields,
  };
}

describe("OCaml's tests: setups of their TEST headers", () => {
  it('compiles every source with the flags of both compilers, then those of its own, and interfaces with the common ones', () => {
    const test = ocamlTest({ plugins: ['a.mli', 'a.ml', 'p.ml'], compileFlags: { all: ['-rectypes'], cmo: ['-g'], cmxs: ['-O3'] }, host: { key: 'k', dir: '/h', sources: [], libraries: ['unix'] } });
    const include = ['-g', '-I', '/h', '-I', '+unix', '-rectypes'];
    expect(testPluginSteps(test, 'cmxs', '/h')).toEqual([
      { tool: 'ocamlc', args: [...include, '-c', 'a.mli'] },
      { tool: 'ocamlopt', args: [...include, '-O3', '-shared', '-o', 'a.cmxs', 'a.ml'] },
      { tool: 'ocamlopt', args: [...include, '-O3', '-shared', '-o', 'p.cmxs', 'p.ml'] },
    ]);
    expect(testPluginSteps(test, 'cmo', '/h').map((s) => s.args)).toEqual([
      [...include, '-c', 'a.mli'],
      [...include, '-g', '-c', 'a.ml'],
      [...include, '-g', '-c', 'p.ml'],
    ]);
  });

  it('expects the reference of the plugin format, and no output where there is no reference (as ocamltest)', () => {
    const test = ocamlTest({}, 'ok\n');
    expect(expectedOutput(test, 'stdout', { family: 'program', pluginFormat: 'cmo' }).text).toBe('ok\n');
    expect(expectedOutput(test, 'stderr', { family: 'program', pluginFormat: 'cmo' }).text).toBe('');
    const perFormat = ocamlTest({}, 'ok\n');
    writeFileSync(join(perFormat.dir, 'p.opt.reference'), 'native\n');
    const native = { ...perFormat, referenceFiles: { cmo: join(perFormat.dir, 'p.reference'), cmxs: join(perFormat.dir, 'p.opt.reference') } };
    expect(expectedOutput(native, 'stdout', { family: 'toplevel', pluginFormat: 'cmxs' }).text).toBe('native\n');
    const silent = expectedOutput(ocamlTest(), 'stdout', { family: 'program', pluginFormat: 'cmxs' });
    expect(silent.text).toBe('');
    expect(silent.file).toMatch(/p\.reference \(absent: no output expected\)$/);
  });

  it('copies the plugin sources and the data files into the work directory', () => {
    const test = ocamlTest({ dataFiles: ['input.txt'] });
    writeFileSync(join(test.dir, 'input.txt'), 'data');
    const work = join(test.dir, 'work');
    copyTestFiles(test, work);
    expect([existsSync(join(work, 'p.ml')), readFileSync(join(work, 'input.txt'), 'utf8')]).toEqual([true, 'data']);
  });

  it("runs the program with the test's arguments, environment and OCAMLRUNPARAM after the mode's, without the unset variables", () => {
    const env = programEnv({ env: { FOO: '1' }, runParams: ',b=1' }, 's=4k,o=20', { X: 'y' });
    expect(env).toMatchObject({ FOO: '1', X: 'y', OCAMLRUNPARAM: 's=4k,o=20,b=1', LC_ALL: 'C' });
    expect(programEnv({ env: {} }, '', {}).OCAMLRUNPARAM).toBe('');
    expect(programEnv({ env: {}, runParams: 'l=100000' }, '', {}).OCAMLRUNPARAM).toBe('l=100000');
    expect(programCommand({ arguments: ['a', 'b'] }, '/h/host.exe', [])).toEqual(['/h/host.exe', ['a', 'b']]);
    expect(programCommand({ unsetEnv: ['FOO'], arguments: ['a'] }, 'ocaml', ['-noinit', 's.ml'])).toEqual(['env', ['-u', 'FOO', 'ocaml', '-noinit', 's.ml', 'a']]);
  });

  it('skips the modes a library cannot run in: threads not in byte+cmxs (the toplevels of the series bind threads.cma to their native threads, patch 0023)', () => {
    expect(libraryLimits(['unix', 'str'])).toEqual({ modes: {}, families: {} });
    const threads = libraryLimits(['unix', 'threads']);
    expect(Object.keys(threads.modes).sort()).toEqual(['byte+cmxs']);
    expect(threads.modes['toplevel.stock']).toBeUndefined();
    expect(threads.families).toEqual({});
  });
});
