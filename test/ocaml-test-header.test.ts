import { describe, expect, it } from 'vitest';
import {
  compilerPredicates,
  interpretTestHeader,
  parseOcamltestConfig,
  parseTestHeader,
  TestHeaderError,
  type TestTree,
} from '../harness/crosstest/ocaml-test-header.ts';

/** ocamltest's configuration of a Linux amd64 compiler without flambda or tsan (ocamltest_config.ml, abridged). */
const CONFIG = `
let arch = {|amd64|}
let afl_instrument = false
let ccomptype = {|cc|}
let shared_libraries = true
let libunix = Some true
let systhreads = true
let str = true
let system = {|linux|}
let flambda = false
let flat_float_array = true
let ocamldebug = true
let native_compiler = true
let native_dynlink = true
let csc = {||}
let windows_unicode = 0 != 0
let function_sections = true
let instrumented_runtime = true
let frame_pointers = false
let tsan = false
`;
const PREDICATES = compilerPredicates(parseOcamltestConfig(CONFIG));

function plan(header: string) {
  const tree = parseTestHeader(`(* TEST\n${header}\n*)\nlet () = ()\n`);
  return interpretTestHeader(tree!, PREDICATES);
}

describe('parseTestHeader', () => {
  it('reads statements and blocks as the grammar of tsl_parser.mly', () => {
    const tree = parseTestHeader(`(* TEST
 flags = "-w +A";
 set FOO = "1";
 ocamlrunparam += ",b=1";
 unset BAR;
 include unix;
 { bytecode; }
 { script with unix, str; native; }
*)`);
    expect(tree).toEqual<TestTree>({
      statements: [
        { kind: 'assign', variable: 'flags', value: '-w +A', declare: false, line: 2 },
        { kind: 'assign', variable: 'FOO', value: '1', declare: true, line: 3 },
        { kind: 'append', variable: 'ocamlrunparam', value: ',b=1', line: 4 },
        { kind: 'unset', variable: 'BAR', line: 5 },
        { kind: 'include', name: 'unix', line: 6 },
      ],
      branches: [
        { statements: [{ kind: 'action', name: 'bytecode', with: [], line: 7 }], branches: [] },
        {
          statements: [
            { kind: 'action', name: 'script', with: ['unix', 'str'], line: 8 },
            { kind: 'action', name: 'native', with: [], line: 8 },
          ],
          branches: [],
        },
      ],
    });
  });

  it('skips nested comments, and reads action names with dots and dashes', () => {
    const tree = parseTestHeader('(* TEST (* a (* nested *) comment; *)\n setup-ocamlc.byte-build-env; ocamlc.byte; *)');
    expect(tree!.statements.map((s) => (s.kind === 'action' ? s.name : s.kind))).toEqual(['setup-ocamlc.byte-build-env', 'ocamlc.byte']);
  });

  it('continues a string after a backslash-newline, dropping the next line\'s indentation but one escaped blank', () => {
    const tree = parseTestHeader('(* TEST\n readonly_files = "a.ml \\\n      b.ml";\n script = "dir\\\\\n   \\ foo";\n*)');
    expect(tree!.statements).toMatchObject([{ value: 'a.ml b.ml' }, { value: 'dir\\ foo' }]);
  });

  it('finds the block at the bottom of a TEST_BELOW file', () => {
    const tree = parseTestHeader('(* TEST_BELOW\n(* Blank lines added here to preserve locations. *)\n*)\nlet x = 1\n(* TEST\n flags = "-g";\n native;\n*)\n');
    expect(tree).toEqual({
      statements: [
        { kind: 'assign', variable: 'flags', value: '-g', declare: false, line: 6 },
        { kind: 'action', name: 'native', with: [], line: 7 },
      ],
      branches: [],
    });
  });

  it('sees no test in a file whose first thing is not the TEST block (ocamltest\'s is_test)', () => {
    expect(parseTestHeader('let x = 1\n(* TEST *)\n')).toBeUndefined();
    expect(parseTestHeader('(* a helper *)\n(* TEST *)\n')).toBeUndefined();
    expect(parseTestHeader('\n  (* TEST *)')).toEqual({ statements: [], branches: [] });
  });

  it('refuses what ocamltest refuses, with the line', () => {
    expect(() => parseTestHeader('(* TEST\n flags = "-g"\n native;\n*)')).toThrow(TestHeaderError);
    expect(() => parseTestHeader('(* TEST\n flags = "-g"\n native;\n*)')).toThrow(/line 3: expected ;/);
    expect(() => parseTestHeader('(* TEST\n { native;\n*)')).toThrow(/expected \}/);
    expect(() => parseTestHeader('(* TEST\n native; bytecode\n*)')).toThrow(/line 3: expected ;/);
    expect(() => parseTestHeader('(* TEST\n flags = -g;\n*)')).toThrow(/unexpected character "-"|expected a string/);
    expect(() => parseTestHeader('(* TEST\n flags = "-g;\n')).toThrow(/unterminated string/);
    expect(() => parseTestHeader('(* TEST_BELOW *)\nlet x = 1\n')).toThrow(/TEST_BELOW without/);
  });
});

describe('interpretTestHeader', () => {
  it('runs the default tests, bytecode then native, when the header has only assignments', () => {
    const p = plan('flags = "-unsafe";');
    expect(p.runs.map((r) => r.backend)).toEqual(['bytecode', 'native']);
    expect(p.runs.every((r) => r.variables.get('flags') === '-unsafe')).toBe(true);
    expect(plan('').runs.map((r) => r.backend)).toEqual(['bytecode', 'native']);
  });

  it('runs only what the header names, with the environment of its branch', () => {
    const p = plan('include systhreads; hassysthreads; { bytecode; } { ocamlopt_flags = "-O3"; native; }');
    expect(p.runs.map((r) => [r.backend, r.variables.get('ocamlopt_flags'), r.includes])).toEqual([
      ['bytecode', undefined, ['systhreads']],
      ['native', '-O3', ['systhreads']],
    ]);
    expect(plan('native;').runs.map((r) => r.backend)).toEqual(['native']);
    expect(plan('native with unix;').runs[0]!.includes).toEqual(['unix']);
  });

  it('appends without a space, unsets, and records which variables were declared by set', () => {
    const [run] = plan('ocamlrunparam += ",b=1"; ocamlrunparam += ",l=9"; set FOO = "1"; unset BAR; native;').runs;
    expect(run!.variables.get('ocamlrunparam')).toBe(',b=1,l=9');
    expect(run!.variables.get('BAR')).toBeUndefined();
    expect(run!.variables.has('BAR')).toBe(true);
    expect([...run!.declared]).toEqual(['FOO']);
  });

  it('decides predicates for the configured machine: a false one ends its branch, a true one passes', () => {
    const p = plan('{ flambda; native; } { arch64; no-flambda; no-tsan; not-windows; hasunix; arch_amd64; bytecode; } { arch_power; native; }');
    expect(p.runs.map((r) => r.backend)).toEqual(['bytecode']);
    expect(p.stopped).toEqual(['flambda', 'arch_power']);
    expect(p.otherActions).toEqual([]);
  });

  it('ends a branch at skip, with the header\'s reason', () => {
    const p = plan('{ include systhreads; hassysthreads; } { reason = "flaky"; skip; { bytecode; } { native; } }');
    expect(p.runs).toEqual([]);
    expect(p.stopped).toEqual(['skip (flaky)']);
  });

  it('reports the other actions of the branches that run, and the actions before each run', () => {
    const p = plan('setup-ocamlc.byte-build-env; ocamlc.byte; check-ocamlc.byte-output; { bytecode; } { arch_power; script; }');
    expect(p.otherActions).toEqual(['setup-ocamlc.byte-build-env', 'ocamlc.byte', 'check-ocamlc.byte-output']);
    expect(p.runs[0]!.actionsBefore).toEqual(['setup-ocamlc.byte-build-env', 'ocamlc.byte', 'check-ocamlc.byte-output']);
  });
});

describe('compilerPredicates', () => {
  it('decides each predicate from the configuration', () => {
    const yes = ['arch64', 'arch_amd64', 'hasunix', 'libunix', 'hassysthreads', 'hasstr', 'not-windows', 'not-bsd', 'no-flambda', 'no-tsan', 'native-dynlink', 'shared-libraries'];
    const no = ['arch32', 'arch_arm64', 'libwin32unix', 'windows', 'macos', 'flambda', 'tsan', 'frame_pointers', 'no-flat-float-array', 'windows-unicode', 'csharp-compiler'];
    for (const p of yes) expect([p, PREDICATES.get(p)]).toEqual([p, true]);
    for (const p of no) expect([p, PREDICATES.get(p)]).toEqual([p, false]);
    const other = compilerPredicates(parseOcamltestConfig(CONFIG.replace('{|amd64|}', '{|arm64|}').replace('flambda = false', 'flambda = true').replace('Some true', 'Some false')));
    expect([other.get('arch_arm64'), other.get('arch_amd64'), other.get('flambda'), other.get('no-flambda'), other.get('libunix'), other.get('libwin32unix')]).toEqual([
      true,
      false,
      true,
      false,
      false,
      true,
    ]);
  });

  it('refuses a configuration that lacks an entry', () => {
    expect(() => compilerPredicates(parseOcamltestConfig(CONFIG.replace(/^let tsan.*$/m, '')))).toThrow(/no "tsan"/);
  });
});
