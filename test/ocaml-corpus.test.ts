import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionsRule, compileFlags, discoverOcamlTests, RULES, type Corpus } from '../harness/crosstest/ocaml-corpus.ts';
import { compilerPredicates, parseOcamltestConfig } from '../harness/crosstest/ocaml-test-header.ts';
import { ALL_MODES } from '../harness/crosstest/modes/index.ts';

const PREDICATES = compilerPredicates(
  parseOcamltestConfig(
    [
      'let arch = {|amd64|}',
      'let afl_instrument = false',
      'let ccomptype = {|cc|}',
      'let shared_libraries = true',
      'let libunix = Some true',
      'let systhreads = true',
      'let str = true',
      'let system = {|linux|}',
      'let flambda = false',
      'let flat_float_array = true',
      'let ocamldebug = true',
      'let native_compiler = true',
      'let native_dynlink = true',
      'let csc = {||}',
      'let windows_unicode = 0 != 0',
      'let function_sections = true',
      'let instrumented_runtime = true',
      'let frame_pointers = false',
      'let tsan = false',
    ].join('\n'),
  ),
);

/** A testsuite/tests tree made of `files` (path → contents), discovered with the predicates above. */
function corpus(files: Record<string, string>, takenUnits: string[] = [], asRoot = false): Corpus {
  const root = mkdtempSync(join(tmpdir(), 'wb-ocaml-tests-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return discoverOcamlTests({ testsDir: root, supportDir: '/support', testingLibDir: '/lib', takenUnits: new Set(takenUnits), predicates: PREDICATES, root: asRoot });
}

const test = (header: string, body = 'let () = print_endline "ok"\n') => `(* TEST\n${header}\n*)\n${body}`;
const rulesOf = (c: Corpus) => Object.fromEntries(c.excluded.map((e) => [e.test, e.rule.id]));
const CMO_MODES = ALL_MODES.filter((m) => !m.baseName && m.pluginFormat === 'cmo').map((m) => m.name);
const CMXS_MODES = ALL_MODES.filter((m) => !m.baseName && m.pluginFormat === 'cmxs').map((m) => m.name);

describe("discoverOcamlTests: OCaml's tests as their headers say", () => {
  it('takes every file with a TEST block, with or without a reference (none means no output, as in ocamltest)', () => {
    const c = corpus({ 'a/p.ml': test(''), 'a/p.reference': 'ok\n', 'a/q.ml': test(''), 'a/helper.ml': 'let x = 1\n', 'a/helper.reference': '' });
    expect(c.tests.map((t) => t.name)).toEqual(['ocaml/a/p', 'ocaml/a/q']);
    expect(c.excluded).toEqual([]);
    const [p] = c.tests;
    expect(p).toMatchObject({ plugins: ['p.ml'], env: { CROSSTEST_PLUGIN: 'p' }, status: 0, output: 'merged', host: { key: 'ocaml-generic', sources: ['crosstest_host.ml'] } });
    expect(p!.referenceFiles).toEqual({ cmo: join(p!.dir, 'p.reference'), cmxs: join(p!.dir, 'p.reference') });
    expect(p!.skipModes).toBeUndefined();
  });

  it('gives the plugins the flags of both compilers and of each, and compiles the modules first, in order', () => {
    const c = corpus({
      'm/main.ml': test('flags = "-w +A -rectypes"; ocamlc_flags = "-g"; ocamlopt_flags = "-O3 -inline 20"; modules = "b.mli b.ml a.ml";'),
      'm/a.ml': '',
      'm/b.ml': '',
      'm/b.mli': '',
    });
    const [t] = c.tests;
    expect(t!.plugins).toEqual(['b.mli', 'b.ml', 'a.ml', 'main.ml']);
    expect(t!.env.CROSSTEST_PLUGIN).toBe('b a main');
    expect(t!.compileFlags).toEqual({ all: ['-w', '+A', '-rectypes'], cmo: ['-g'], cmxs: ['-O3', '-inline', '20'] });
  });

  it('links the included libraries (systhreads is unix then threads), and skips the modes threads cannot run in', () => {
    const c = corpus({ 't/p.ml': test('include systhreads; include unix; hassysthreads; { bytecode; } { native; }'), 's/p.ml': test('include str; include testing;') });
    const [s, t] = c.tests;
    expect(t!.host).toMatchObject({ key: 'ocaml-generic+unix+threads', libraries: ['unix', 'threads'] });
    expect(t!.skipModes).toHaveProperty('byte+cmxs');
    // The toplevels of the series bind threads.cma to the native threads library (patch 0023), as stock ocaml loads it.
    expect(t!.skipModes).not.toHaveProperty('toplevel.opt');
    expect(t!.skipModes).not.toHaveProperty('toplevel.stock');
    expect(s!.host).toEqual({ key: 'ocaml-generic-testing+str', dir: '/support', sources: ['/lib/testing.mli', '/lib/testing.ml', 'crosstest_host.ml'], libraries: ['str'] });
    expect(s!.skipModes).toBeUndefined();
  });

  it('runs a program that calls the Dynlink API itself (include dynlink) in the program modes only, with the host\'s Dynlink', () => {
    const [t] = corpus({ 'd/p.ml': test('include dynlink;', 'let () = assert (Dynlink.all_units () <> [])\n') }).tests;
    expect(t!.host.libraries).toBeUndefined();
    expect(t!.skipFamilies?.toplevel).toMatch(/Dynlink API/);
    expect(t!.skipModes).toBeUndefined();
  });

  it('runs a native-only test in the .cmxs modes only, a bytecode-only one in the .cmo modes only, with the reason', () => {
    const c = corpus({ 'n/p.ml': test('native;'), 'b/p.ml': test('{ flambda; native; } { bytecode; }') });
    const [b, n] = c.tests;
    expect(Object.keys(n!.skipModes!).sort()).toEqual([...CMO_MODES].sort());
    expect(Object.values(n!.skipModes!)[0]).toMatch(/only as native code/);
    expect(Object.keys(b!.skipModes!).sort()).toEqual([...CMXS_MODES].sort());
    expect(Object.values(b!.skipModes!)[0]).toMatch(/only as bytecode/);
  });

  it('honours the run parameters, arguments, data files, environment and references of the header', () => {
    const c = corpus({
      'r/p.ml': test(
        'ocamlrunparam += ",b=1"; arguments = "x y"; readonly_files = "data.txt"; set FOO = "1"; unset BAR; { reference = "${test_source_directory}/p.byte.reference"; bytecode; } { reference = "${test_source_directory}/p.opt.reference"; native; }',
      ),
      'r/data.txt': 'data',
    });
    const [t] = c.tests;
    expect(t).toMatchObject({ runParams: ',b=1', arguments: ['x', 'y'], dataFiles: ['data.txt'], unsetEnv: ['BAR'], env: { FOO: '1', CROSSTEST_PLUGIN: 'p' } });
    expect(t!.referenceFiles).toEqual({ cmo: join(t!.dir, 'p.byte.reference'), cmxs: join(t!.dir, 'p.opt.reference') });
  });

  it('excludes each kind of setup a plugin host cannot give, with its own rule', () => {
    const c = corpus({
      'x/expect.ml': test('expect;'),
      'x/top.ml': test('toplevel;'),
      'x/steps.ml': test('setup-ocamlc.byte-build-env; ocamlc.byte; run; check-program-output;'),
      'x/cout.ml': test('setup-ocamlc.byte-build-env; ocamlc.byte; check-ocamlc.byte-output;'),
      'x/script.ml': test('script = "sh x.sh"; script; { bytecode; }'),
      'x/exit.ml': test('exit_status = "2";'),
      'x/cstub.ml': test('modules = "stub.c";'),
      'x/lex.ml': test('modules = "l.mll";'),
      'x/clibs.ml': test('include ocamlcommon;'),
      'x/link.ml': test('flags = "-runtime-variant=i";'),
      'x/srcdir.ml': test('flags = "-I ${ocamlsrcdir}/parsing";'),
      'x/var.ml': test('arguments = "${test_build_directory}/f";'),
      'x/stdin.ml': test('stdin = "in.txt";'),
      'x/two.ml': test('{ native; } { ocamlopt_flags = "-compact"; native; }'),
      'x/other.ml': test('{ modules = "a.ml"; bytecode; } { native; }'),
      'x/flambda.ml': test('flambda; native;'),
      'x/skipped.ml': test('reason = "broken"; skip;'),
      'x/hooked.ml': test(''),
      'x/hooked.run': '#!/bin/sh\n',
      'x/alloc.ml': test('', 'let () = ignore (Gc.minor_words ())\n'),
      'x/list.ml': test(''),
      'x/broken.ml': test('flags = "-g"'),
      'x/missing.ml': test('modules = "nowhere.ml";'),
      'x/a.ml': '',
      'x/callstack.ml': test('', 'let () = Printexc.(print_raw_backtrace stdout (get_callstack 10))\n'),
      'x/callstack.reference': 'Raised at f\nCalled from Callstack in file "callstack.ml", line 1\n',
      'x/unreadable.ml': test('include unix;', 'let () = Unix.chmod "f" 0o000\n'),
      'x/spin.ml': test('modules = "barrier.ml";'),
      'x/unknown.ml': test('skip_header_lines = "1";'),
      'x/lexflags.ml': test('ocamllex_flags = "-q";'),
      'x/barrier.ml': 'let wait t i = while Atomic.get t.(i) != 1 do\n  Domain.cpu_relax ()\ndone\n',
    }, ['list'], true);
    expect(c.tests).toEqual([]);
    expect(rulesOf(c)).toEqual({
      'ocaml/x/alloc': RULES.allocationCounts.id,
      'ocaml/x/callstack': RULES.callStackToToplevel.id,
      'ocaml/x/spin': RULES.spinWait.id,
      'ocaml/x/unknown': RULES.unhandledVariable.id,
      'ocaml/x/lexflags': RULES.generatedSources.id,
      'ocaml/x/unreadable': RULES.unreadableAsRoot.id,
      'ocaml/x/broken': RULES.unparsableHeader.id,
      'ocaml/x/clibs': RULES.compilerLibs.id,
      'ocaml/x/cout': RULES.compilerOutput.id,
      'ocaml/x/cstub': RULES.cStubs.id,
      'ocaml/x/exit': RULES.expectedExitStatus.id,
      'ocaml/x/expect': RULES.expectTest.id,
      'ocaml/x/flambda': RULES.notOnThisMachine.id,
      'ocaml/x/hooked': RULES.hookScript.id,
      'ocaml/x/lex': RULES.generatedSources.id,
      'ocaml/x/link': RULES.unsupportedFlags.id,
      'ocaml/x/list': RULES.unitClash.id,
      'ocaml/x/missing': RULES.moduleElsewhere.id,
      'ocaml/x/other': RULES.severalSetups.id,
      'ocaml/x/script': RULES.script.id,
      'ocaml/x/skipped': RULES.notOnThisMachine.id,
      'ocaml/x/srcdir': RULES.ocamltestVariables.id,
      'ocaml/x/stdin': RULES.redirectedStreams.id,
      'ocaml/x/steps': RULES.explicitBuildSteps.id,
      'ocaml/x/top': RULES.toplevelTest.id,
      'ocaml/x/two': RULES.severalSetups.id,
      'ocaml/x/var': RULES.ocamltestVariables.id,
    });
  });

  it('keeps what only the machine or the depth of the stack rules out elsewhere', () => {
    const c = corpus({
      'k/callstack.ml': test('', 'let () = Printexc.(print_raw_backtrace stdout (get_callstack 10))\n'),
      'k/callstack.reference': 'Raised at f\nCalled from Callstack.f in file "callstack.ml", line 1\n',
      'k/unreadable.ml': test('include unix;', 'let () = Unix.chmod "f" 0o000\n'),
    });
    expect(c.tests.map((t) => t.name)).toEqual(['ocaml/k/callstack', 'ocaml/k/unreadable']);
  });

  it('runs a unit whose name is no ASCII identifier in the .cmo modes only, with the reason', () => {
    const c = corpus({ 'u/0001-test.ml': test(''), 'u/ok.ml': test('') });
    const [bad, ok] = c.tests;
    expect(Object.keys(bad!.skipModes!).sort()).toEqual([...CMXS_MODES].sort());
    expect(Object.values(bad!.skipModes!)[0]).toMatch(/Missing frametable/);
    expect(ok!.skipModes).toBeUndefined();
  });

  it('runs a program that compacts the heap in a loop of thousands of rounds as a program only, not in the toplevels nor in native+eval (whose heaps hold the compiler)', () => {
    const c = corpus({
      'g/many.ml': test('', 'let () = for i = 0 to 25_000 do Gc.compact () done\n'),
      'g/few.ml': test('', 'let () = for i = 0 to 2 do Gc.compact () done\n'),
    });
    const [few, many] = c.tests;
    expect(many!.skipFamilies?.toplevel).toMatch(/compacts the heap/);
    expect(many!.skipModes).toEqual({ 'native+eval': expect.stringMatching(/compacts the heap.*in native\+eval the heap holds the compiler/) });
    expect(few!.skipFamilies).toBeUndefined();
    expect(few!.skipModes).toBeUndefined();
  });

  it('skips the GC-stress modes for a program that spawns domains, in any of its modules, or observes the runtime\'s events', () => {
    const c = corpus({
      'd/p.ml': test('modules = "w.ml";'),
      'd/w.ml': 'let _ = Domain.spawn ignore\n',
      'e/p.ml': test('include runtime_events;', 'let () = Runtime_events.start ()\n'),
      'f/p.ml': test(''),
    });
    expect(c.tests.map((t) => t.skipUnderGcStress)).toEqual([expect.stringMatching(/spawns domains/), expect.stringMatching(/Runtime_events/), undefined]);
  });

  it('runs a program that spawns domains, in any of its modules, with no other job beside it', () => {
    const c = corpus({
      'd/p.ml': test('modules = "w.ml";'),
      'd/w.ml': 'let _ = Domain.spawn ignore\n',
      'f/p.ml': test(''),
    });
    expect(c.tests.map((t) => t.runsAlone)).toEqual([expect.stringMatching(/spawns domains.*pingpong/), undefined]);
  });
});

describe('compileFlags', () => {
  it('takes compile flags with their arguments, and nothing a plugin cannot be compiled with', () => {
    expect(compileFlags(' -w +A-70 -warn-error +A -unsafe ')).toEqual(['-w', '+A-70', '-warn-error', '+A', '-unsafe']);
    expect(compileFlags('')).toEqual([]);
    for (const bad of ['-runtime-variant=i', '-I dir', '-output-complete-exe', '-ccopt -O', '-linkall', '-for-pack P']) expect([bad, compileFlags(bad)]).toEqual([bad, undefined]);
  });
});

describe('actionsRule', () => {
  it('names the most telling rule of the actions, none for none', () => {
    expect(actionsRule([])).toBeUndefined();
    expect(actionsRule(['setup-ocaml-build-env', 'ocaml', 'check-ocaml-output'])).toBe(RULES.toplevelTest);
    expect(actionsRule(['setup-ocamlc.byte-build-env', 'ocamlc.byte', 'check-ocamlc.byte-output', 'run'])).toBe(RULES.compilerOutput);
    expect(actionsRule(['setup-ocamlc.byte-build-env', 'ocamlc.byte', 'ocamlobjinfo'])).toBe(RULES.toolOutput);
    expect(actionsRule(['copy', 'run'])).toBe(RULES.explicitBuildSteps);
  });
});
