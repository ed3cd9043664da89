import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { libraryArchives, libraryIncludes, parseLibraries, toplevelLibraryDirectives } from '../harness/crosstest/libraries.ts';
import { pluginSteps } from '../harness/crosstest/plugins.ts';
import { discoverOwnTests } from '../harness/crosstest/test-case.ts';

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
});
