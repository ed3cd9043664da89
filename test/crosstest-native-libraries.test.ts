import { describe, expect, it } from 'vitest';
import { LOADER, loaderEnv, nativeLibrariesHost } from '../harness/crosstest/native-libraries.ts';

describe('crosstest byte+cmxs host (native libraries)', () => {
  it('builds every source but the last as a .cmxs (an .mli as a .cmi), the last as a .cmo, and links the loader', () => {
    const plan = nativeLibrariesHost(['crosstest.mli', 'crosstest.ml', 'api.mli', 'api.ml', 'main.ml'], ['-crossload']);
    expect(plan.steps).toEqual([
      { tool: 'ocamlc', args: ['-g', '-I', '+dynlink', '-c', 'crosstest.mli'] },
      { tool: 'ocamlopt', args: ['-g', '-I', '+dynlink', '-shared', '-o', 'crosstest.cmxs', 'crosstest.ml'] },
      { tool: 'ocamlc', args: ['-g', '-I', '+dynlink', '-c', 'api.mli'] },
      { tool: 'ocamlopt', args: ['-g', '-I', '+dynlink', '-shared', '-o', 'api.cmxs', 'api.ml'] },
      { tool: 'ocamlc', args: ['-g', '-I', '+dynlink', '-c', 'main.ml'] },
      { tool: 'ocamlc', args: ['-g', '-I', '+dynlink', '-crossload', '-linkall', 'dynlink.cma', LOADER, '-o', 'host.exe'] },
    ]);
    expect(plan.load).toEqual(['crosstest.cmxs', 'api.cmxs', 'main.cmo']);
  });

  it('compiles every unit against the test\'s libraries and links their bytecode archives into the loader', () => {
    const plan = nativeLibrariesHost(['api.ml', 'main.ml'], ['-crossload'], ['unix', 'threads']);
    const common = ['-g', '-I', '+dynlink', '-I', '+unix', '-I', '+threads'];
    expect(plan.steps).toEqual([
      { tool: 'ocamlopt', args: [...common, '-shared', '-o', 'api.cmxs', 'api.ml'] },
      { tool: 'ocamlc', args: [...common, '-c', 'main.ml'] },
      { tool: 'ocamlc', args: [...common, '-crossload', '-linkall', 'unix.cma', 'threads.cma', 'dynlink.cma', LOADER, '-o', 'host.exe'] },
    ]);
    expect(plan.load).toEqual(['api.cmxs', 'main.cmo']);
  });

  it('loads the libraries as their installed .cmxs first, when every one has one, instead of linking their .cma', () => {
    const cmxs = (lib: string) => (lib === 'threads' ? undefined : `/lib/ocaml/${lib}/${lib}.cmxs`);
    const plan = nativeLibrariesHost(['api.ml', 'main.ml'], ['-crossload'], ['unix', 'str'], cmxs);
    expect(plan.load).toEqual(['/lib/ocaml/unix/unix.cmxs', '/lib/ocaml/str/str.cmxs', 'api.cmxs', 'main.cmo']);
    // The loader skips those the program already links natively (ocamlrun.crossload links unix and threads).
    expect(plan.libraries).toEqual(['/lib/ocaml/unix/unix.cmxs', '/lib/ocaml/str/str.cmxs']);
    expect(plan.steps.at(-1)!.args).toEqual(['-g', '-I', '+dynlink', '-I', '+unix', '-I', '+str', '-crossload', '-linkall', 'dynlink.cma', LOADER, '-o', 'host.exe']);
    const mixed = nativeLibrariesHost(['main.ml'], [], ['unix', 'threads'], cmxs);
    expect(mixed.load).toEqual(['main.cmo']);
    expect(mixed.libraries).toEqual([]);
    expect(mixed.steps.at(-1)!.args).toContain('threads.cma');
    expect(mixed.steps.at(-1)!.args).toContain('unix.cma');
  });

  it('loads only the main unit when the host has no library', () => {
    expect(nativeLibrariesHost(['main.ml'], []).load).toEqual(['main.cmo']);
  });

  it('refuses a host whose last source is not an .ml', () => {
    expect(() => nativeLibrariesHost(['api.mli'], [])).toThrow(/main \.ml/);
    expect(() => nativeLibrariesHost([], [])).toThrow(/nothing/);
  });

  it("gives the loader absolute paths, ':'-separated, and refuses a path with a ':'", () => {
    expect(loaderEnv('/h/x', ['a.cmxs', 'main.cmo'])).toBe('/h/x/a.cmxs:/h/x/main.cmo');
    expect(loaderEnv('/h/x', ['/lib/unix.cmxs', 'main.cmo'])).toBe('/lib/unix.cmxs:/h/x/main.cmo');
    expect(() => loaderEnv('/h:x', ['main.cmo'])).toThrow(/cannot name/);
  });
});
