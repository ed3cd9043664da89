import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVAL_ARCHIVES, EVAL_MODE, evalFlagsEnv, evalHostSteps, evalIncludeEnv, evalLibrary } from '../harness/crosstest/eval-program.ts';
import { ALL_MODES, BASE_MODE_NAMES } from '../harness/crosstest/modes/index.ts';
import { expectedOutput } from '../harness/crosstest/test-case.ts';
import { toolchain } from '../harness/crosstest/toolchain.ts';
import { projectPaths } from '../harness/config.ts';

/** native+eval: a native host linked with the Eval library evaluates the plugins' sources (eval-program.ts). */

const mode = (name: string) => ALL_MODES.find((m) => m.name === name)!;

describe('crosstest native+eval', () => {
  it('is a base mode after native+cmo, with a GC-stress variant, held to the references of bytecode plugins in the program family', () => {
    expect(EVAL_MODE).toBe('native+eval');
    expect(BASE_MODE_NAMES.indexOf('native+eval')).toBe(BASE_MODE_NAMES.indexOf('native+cmo') + 1);
    const m = mode('native+eval');
    expect(m).toMatchObject({ compiler: 'patched', pluginFormat: 'cmo', family: 'program', buildKey: 'native+eval' });
    expect(mode('native+eval/gc-stress')).toMatchObject({ baseName: 'native+eval', buildKey: 'native+eval', pluginFormat: 'cmo', family: 'program' });
    // Its own build, not native+cmo's (which compiles .cmo plugins).
    expect(m.buildKey).not.toBe(mode('native+cmo').buildKey);
  });

  it("reads the same reference files as native+cmo, a test's .cmo-specific ones included", () => {
    const dir = mkdtempSync(join(tmpdir(), 'wb-eval-'));
    for (const f of ['expected.stdout', 'expected.cmo.stdout', 'expected.cmxs.stdout', 'expected.toplevel.stdout']) writeFileSync(join(dir, f), f);
    const test = { name: 'own/x', dir, description: '', host: { key: 'x', dir, sources: ['main.ml'] }, plugins: [], env: {}, status: 0, output: 'separate' as const };
    for (const stream of ['stdout', 'stderr'] as const) expect(expectedOutput(test, stream, mode('native+eval'))).toEqual(expectedOutput(test, stream, mode('native+cmo')));
    expect(expectedOutput(test, 'stdout', mode('native+eval')).text).toBe('expected.cmo.stdout');
  });

  it('links the host as the Eval library says, with only the support compiled against compiler-libs', () => {
    const steps = evalHostSteps(['crosstest.mli', 'crosstest.ml', 'api.ml', 'main.ml'], ['unix'], ['-runtime-variant', 'd']);
    expect(steps.map((s) => s.tool)).toEqual(['ocamlopt', 'ocamlopt', 'ocamlopt', 'ocamlopt', 'ocamlopt']);
    expect(steps[1]!.args).toEqual(['-g', '-I', '+dynlink', '-I', '+unix', '-I', '+compiler-libs', '-c', 'crosstest.ml']);
    expect(steps[3]!.args).toEqual(['-g', '-I', '+dynlink', '-I', '+unix', '-c', 'main.ml']);
    expect(steps[4]!.args).toEqual([
      '-g', '-I', '+dynlink', '-I', '+unix', '-I', '+compiler-libs', '-runtime-variant', 'd', '-linkall',
      'unix.cmxa', 'ocamlcommon.cmxa', 'ocamlbytecomp.cmxa', 'dynlink.cmxa', 'dynlink_guest.cmxa', 'ocamleval.cmxa',
      'crosstest.cmx', 'api.cmx', 'main.cmx', '-o', 'host.exe',
    ]);
    expect(EVAL_ARCHIVES.at(-1)).toBe('ocamleval.cmxa');
  });

  it("gives the host its load path and the test's ocamlc flags through the environment, refusing what cannot be passed", () => {
    expect(evalIncludeEnv('/w/hosts/native+eval/own-x', ['unix', 'threads'])).toBe('/w/hosts/native+eval/own-x:+unix:+threads');
    expect(() => evalIncludeEnv('/a:b', [])).toThrow(/':'-separated/);
    expect(evalFlagsEnv({ all: ['-rectypes'], cmo: ['-w', '+a'], cmxs: ['-O3'] })).toBe('-rectypes -w +a');
    expect(evalFlagsEnv()).toBe('');
    expect(() => evalFlagsEnv({ all: ['-w a'] })).toThrow(/space-separated/);
  });

  it('is skipped, saying so, where the prefix has no Eval library', async () => {
    const prefix = mkdtempSync(join(tmpdir(), 'wb-prefix-'));
    mkdirSync(join(prefix, 'bin'));
    mkdirSync(join(prefix, 'lib', 'ocaml', 'compiler-libs'), { recursive: true });
    writeFileSync(join(prefix, 'bin', 'ocamlopt'), '');
    const tc = toolchain(prefix);
    expect(await mode('native+eval').unavailable(tc)).toBe(`no Eval library: ${evalLibrary(tc)} is not installed`);
    expect(await mode('native+eval').unavailable(toolchain(mkdtempSync(join(tmpdir(), 'wb-prefix-'))))).toMatch(/^no ocamlopt in /);
  });

  it("has an Eval flavour of the support that implements crosstest.mli and fails loudly on what does not load", () => {
    const support = readFileSync(join(projectPaths().crosstestSupport, 'eval', 'crosstest.ml'), 'utf8');
    expect(support).toMatch(/#mod_use %S/);
    expect(support).toMatch(/Library's_module_initializers_failed exn/);
    expect(support).toMatch(/failwith/);
    for (const v of ['plugin_ext', 'load', 'allow_unsafe']) expect(support).toMatch(new RegExp(`^let ${v}\\b`, 'm'));
  });
});
