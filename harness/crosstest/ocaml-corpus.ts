import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { WorkbenchError } from '../errors.ts';
import { EVAL_MODE } from './eval-program.ts';
import { libraryLimits } from './libraries.ts';
import type { Family, HostSpec, PluginFormat, TestCase } from './mode.ts';
import { ALL_MODES } from './modes/index.ts';
import {
  compilerPredicates,
  interpretTestHeader,
  parseOcamltestConfig,
  parseTestHeader,
  TestHeaderError,
  type Backend,
  type Predicates,
  type ProgramRun,
} from './ocaml-test-header.ts';

/**
 * OCaml's own test programs, discovered in ocaml-src/testsuite/tests (never
 * copied): every `<name>.ml` with a `(* TEST … *)` block is a candidate, run
 * the way its header says (ocaml-test-header.ts) as far as a generic plugin
 * host can: each `bytecode` or `native` run of the program becomes the
 * program's units (the header's `modules`, then the program) compiled as
 * plugins with the header's flags and loaded in order by a generic host that
 * links the header's libraries. A program that ocamltest runs only as native
 * code runs only in the modes whose plugins are native (.cmxs), one run only
 * as bytecode only in the .cmo modes; the others skip it with that reason.
 * The program must print its `.reference` (or what the header names; a
 * missing one means no output, as in ocamltest).
 *
 * Candidates that cannot work that way are excluded by the rules below, each
 * with its reason; nothing is excluded by name.
 */
export interface ExclusionRule {
  id: string;
  reason: string;
}

export const RULES = {
  unparsableHeader: { id: 'unparsable-header', reason: "its TEST block does not parse as ocamltest's statement language" },
  notOnThisMachine: {
    id: 'not-on-this-machine',
    reason:
      'ocamltest runs no program of it here: a predicate of its header is false on this machine (flambda, tsan, frame pointers, Windows, another architecture…), or the header says skip',
  },
  expectTest: {
    id: 'expect-test',
    reason: "an expect test: the toplevel's answers to its phrases are checked against the file itself; there is no program to run",
  },
  toplevelTest: {
    id: 'toplevel-test',
    reason: "it is fed to the toplevel (ocaml, ocaml.opt, ocamlnat) as a script, and the toplevel's own output is the reference",
  },
  ocamldocTest: { id: 'ocamldoc-test', reason: 'it runs ocamldoc and compares the documentation it generates' },
  debuggerTest: { id: 'debugger-test', reason: 'it runs the program under ocamldebug and compares the debugger session' },
  script: { id: 'script', reason: 'its header runs a shell script (script), to build, check or run something a plugin host does not do' },
  compilerOutput: {
    id: 'compiler-output',
    reason:
      "it checks the compiler's own output (warnings, errors: check-ocamlc.byte-output, compiler_reference…); crosstest compares what programs print",
  },
  toolOutput: {
    id: 'tool-output',
    reason: 'it runs a tool of the distribution (ocamlobjinfo, ocamlmklib, the code generator…) and checks its output',
  },
  explicitBuildSteps: {
    id: 'explicit-build-steps',
    reason:
      'its header builds the program itself, step by step (setup-*-build-env, ocamlc.byte, ocamlopt.byte, run…): several programs, packs, archives or compile-only checks, not one program a plugin host can stand for',
  },
  severalSetups: {
    id: 'several-setups',
    reason:
      'its header runs the program several times with different setups (other flags, modules or environment for one backend, or other modules for the other), where a test is one setup per plugin format here',
  },
  expectedExitStatus: {
    id: 'expected-exit-status',
    reason:
      'it must end with a non-zero exit status (exit_status), from an uncaught exception or exit: loaded as a plugin, the exception escapes Dynlink.loadfile, which wraps it, and exit ends the host',
  },
  cStubs: {
    id: 'c-stubs',
    reason: 'its modules include C stubs (a .c file): a plugin host would have to build and load them, which crosstest does not do',
  },
  generatedSources: {
    id: 'generated-sources',
    reason: 'its modules include an ocamllex or ocamlyacc source (.mll, .mly) that must be generated first',
  },
  compilerLibs: {
    id: 'compiler-libs',
    reason:
      "it links the compiler's own libraries (ocamlcommon, ocamlbytecomp, config…), which the toplevel modes already contain and the hosts do not link",
  },
  unsupportedFlags: {
    id: 'unsupported-flags',
    reason:
      'its compiler flags include link-time or build-tree flags (-runtime-variant, -I ${ocamlsrcdir}/…, -output-complete-exe, C options…) that a plugin, which is compiled alone and links nothing, cannot honour',
  },
  ocamltestVariables: {
    id: 'ocamltest-variables',
    reason: "a value of its header refers to ocamltest's variables ($foo, ${test_build_directory}…), which only ocamltest expands",
  },
  redirectedStreams: {
    id: 'redirected-streams',
    reason: "it redirects the program's standard streams (stdin, stdout, stderr, output), where crosstest merges stdout and stderr into one pipe",
  },
  unhandledVariable: {
    id: 'unhandled-variable',
    reason:
      'its header sets an ocamltest variable crosstest does not interpret (an include of a modifier other than a library, or a variable of a build step)',
  },
  hookScript: {
    id: 'hook-script',
    reason:
      'a hook script beside it (<name>.run, <name>.check-program-output…) replaces one of the actions ocamltest runs on it: it runs the program several times, sorts or filters its output',
  },
  moduleElsewhere: { id: 'module-elsewhere', reason: 'a module its header compiles with it is not a source file in its own directory' },
  allocationCounts: {
    id: 'allocation-counts',
    reason:
      "it reads the program's allocation counters (Gc.allocated_bytes, Gc.minor_words, Gc.counters, Gc.quick_stat, Gc.Memprof) and expects the counts of a program that allocates nothing else; loaded as a plugin, it runs inside Dynlink.loadfile, which allocates too",
  },
  callStackToToplevel: {
    id: 'call-stack-to-toplevel',
    reason:
      "it prints the whole call stack (Printexc.get_callstack) down to the program's toplevel code, and its reference ends there: loaded as a plugin, the program's toplevel code is called by Dynlink.loadfile and the host, whose frames follow",
  },
  unreadableAsRoot: {
    id: 'unreadable-as-root',
    reason:
      'it makes a file unreadable (chmod 0o000) and expects opening it to fail, which it does not for root, whom crosstest runs as here (ocamltest fails it too)',
  },
  spinWait: {
    id: 'spin-wait',
    reason:
      'its domains spin-wait for each other (Domain.cpu_relax in a loop): each wait lasts until the other domain gets a core, so its time depends on the load of the machine, not on the mode: seconds alone, over the time limit beside other jobs on a 2-core machine (memory-model/publish: 4 s alone, over 60 s so; lazy/lazy7 likewise)',
  },
  unitClash: {
    id: 'unit-name-clash',
    reason:
      'a unit name of it is already taken in the host (Stdlib, Dynlink, the libraries of the distribution or the host itself), so Dynlink must refuse it',
  },
} satisfies Record<string, ExclusionRule>;


/**
 * A `for` loop of at least a thousand rounds that compacts the heap
 * (`Gc.compact`): its time grows with the heap, which in the toplevels holds
 * the compiler (regression/pr9853: 8 s as a program, 2 min 15 s in `ocaml`),
 * as in native+eval, whose host links the compiler and evaluates the plugins
 * with it (pr9853: 116 s).
 */
const COMPACTING_LOOP = /\bfor\s+\w+\s*=\s*\d+\s+to\s+(\d[\d_]*)\s+do\b(?:(?!\bdone\b)[\s\S])*?\bGc\.compact\b/;
const COMPACTS_IN_TOPLEVEL =
  'it compacts the heap in a loop of thousands of rounds, and each compaction takes as long as the heap is large: in the toplevels the heap holds the compiler (regression/pr9853: 8 s as a program, 2 min 15 s in ocaml), beyond the time limit';

const COMPACTS_IN_EVAL =
  'it compacts the heap in a loop of thousands of rounds, and each compaction takes as long as the heap is large: in native+eval the heap holds the compiler, which the host links to evaluate the plugins, and its state (typing environment, loaded interfaces; regression/pr9853: 8 s in native+cmo, 116 s in native+eval), beyond the time limit';

const TOPLEVEL_DYNLINK =
  'it calls the Dynlink API itself (include dynlink), which the toplevel does not link: stock ocaml raises Symtable.Error on it, as ocaml.opt does';

const GC_STRESS_RUNTIME_EVENTS =
  "it observes the runtime's own events (Runtime_events: collections, counters), which the GC-stress parameters change by design (lib-runtime-events/test_caml counts 6180 minor collections instead of 6000)";

const RUNS_ALONE_DOMAINS =
  'it spawns domains, which may wait for each other without yielding: beside another job on a 2-core machine they share one core, and each wait lasts a time slice (parallel/pingpong: 0.05 s alone; the native program of pristine 5.3.0 took over 20 s in 2 of about 300 runs made two at a time)';

const GC_STRESS_DOMAINS =
  'it spawns domains: every minor collection stops all of them, and with a 4k-word minor heap the long computations of these tests run for minutes';

export interface Corpus {
  tests: TestCase[];
  excluded: Array<{ rule: ExclusionRule; test: string }>;
}

/** Actions of ocamltest's program tests (ocaml_tests.ml) that a hook script `<name>.<action>` beside the test may replace. */
const HOOKABLE_ACTION =
  /^(run|check-program-output|setup-ocaml(c|opt)\.(byte|opt)-build-env|ocaml(c|opt)\.(byte|opt)|check-ocaml(c|opt)\.(byte|opt)-output|compare-bytecode-programs)$/;

/** The plugin format of each of ocamltest's program tests: a bytecode program is .cmo units, a native one .cmxs. */
const FORMAT_OF: Readonly<Record<Backend, PluginFormat>> = { bytecode: 'cmo', native: 'cmxs' };

/** What a header's other actions make of a test, most telling first: the first rule one of its actions matches. */
const ACTION_RULES: ReadonlyArray<[ExclusionRule, (action: string) => boolean]> = [
  [RULES.expectTest, (a) => a === 'expect' || a === 'run-expect'],
  [RULES.toplevelTest, (a) => /^(toplevel(\.opt)?|ocaml(\.opt)?|ocamlnat|setup-(ocaml|ocaml\.opt|ocamlnat)-build-env)$/.test(a) || /^check-(ocaml|ocaml\.opt|ocamlnat)-output$/.test(a)],
  [RULES.ocamldocTest, (a) => a.includes('ocamldoc')],
  [RULES.debuggerTest, (a) => a === 'ocamldebug'],
  [RULES.script, (a) => a === 'script'],
  [RULES.compilerOutput, (a) => /^check-ocaml(c|opt)\.(byte|opt)-output$/.test(a)],
  [RULES.toolOutput, (a) => ['ocamlobjinfo', 'ocamlmklib', 'codegen', 'cc', 'asmgen', 'ocamllex', 'ocamlyacc'].includes(a)],
  [RULES.explicitBuildSteps, () => true],
];

export function actionsRule(actions: readonly string[]): ExclusionRule | undefined {
  if (actions.length === 0) return undefined;
  return ACTION_RULES.find(([, matches]) => actions.some(matches))![0];
}

/**
 * Compiler flags a plugin can be compiled with: they change how a unit is
 * compiled, not how a program is linked (ocamltest passes `flags` to both,
 * so each is valid for ocamlc and ocamlopt, or ignored by one).
 */
const COMPILE_FLAGS: ReadonlySet<string> = new Set([
  '-g',
  '-unsafe',
  '-nolabels',
  '-rectypes',
  '-principal',
  '-no-principal',
  '-strict-sequence',
  '-no-strict-sequence',
  '-strict-formats',
  '-no-strict-formats',
  '-short-paths',
  '-annot',
  '-bin-annot',
  '-bin-annot-occurrences',
  '-no-alias-deps',
  '-keep-locs',
  '-no-keep-locs',
  '-O2',
  '-O3',
  '-Oclassic',
  '-unbox-closures',
  '-safer-matching',
  '-compact',
  '-dcmm-invariants',
  '-S',
  '-function-sections',
]);
/** Compiler flags that take the next word as their argument. */
const COMPILE_FLAGS_WITH_ARGUMENT: ReadonlySet<string> = new Set(['-w', '-warn-error', '-alert', '-inline', '-inline-call-cost']);

/** The words of `flags`, if every one is a compile flag (with its argument). */
export function compileFlags(flags: string): string[] | undefined {
  const words = splitWords(flags);
  for (let i = 0; i < words.length; i++) {
    if (COMPILE_FLAGS_WITH_ARGUMENT.has(words[i]!) && i + 1 < words.length) i++;
    else if (!COMPILE_FLAGS.has(words[i]!)) return undefined;
  }
  return words;
}

function splitWords(s: string): string[] {
  return s.split(/\s+/).filter((w) => w !== '');
}

/** The libraries of the distribution (in link order) of the modifiers that name one; `dynlink` is in every host. */
const INCLUDE_LIBRARIES: Readonly<Record<string, readonly string[]>> = {
  unix: ['unix'],
  str: ['str'],
  systhreads: ['unix', 'threads'],
  runtime_events: ['runtime_events'],
};
/** Modifiers that link the compiler's libraries (ocamltest's ocaml_modifiers.ml). */
const COMPILER_LIBS_INCLUDES: ReadonlySet<string> = new Set([
  'ocamlcommon',
  'ocamlbytecomp',
  'ocamlmiddleend',
  'ocamloptcomp',
  'ocamltoplevel',
  'config',
  'tool-ocaml-lib',
  'debugger',
]);
/** Variables of ocamltest that do not change the program or its run (the compiler's output directories and references, a skip's reason). */
const IGNORED_VARIABLES: ReadonlySet<string> = new Set(['reason', 'compiler_directory_suffix', 'compiler_reference_suffix', 'compare_programs']);

/** What one of ocamltest's program runs needs, as a plugin host gives it. */
export interface RunSetup {
  /** ocamltest's `flags` (both compilers), then the backend's own (`ocamlc_flags` or `ocamlopt_flags`). */
  flags: string[];
  backendFlags: string[];
  /** The modules compiled with the program, before it (ocamltest's `modules`). */
  modules: string[];
  libraries: string[];
  testing: boolean;
  /** The header includes dynlink: the program calls the Dynlink API itself (every host links Dynlink; the toplevels do not). */
  dynlinkApi: boolean;
  readonlyFiles: string[];
  arguments: string[];
  runParams: string[];
  env: Record<string, string>;
  unsetEnv: string[];
  /** The reference file named by the header, if it names one. */
  reference?: string;
}

/**
 * The setup of one program run of a test in `dir`, or the rule that
 * excludes it. `declared` variables (`set X = …`) and unset names that are
 * not ocamltest's are the program's environment, as ocamltest exports them.
 */
export function runSetup(run: ProgramRun, dir: string): RunSetup | ExclusionRule {
  const setup: RunSetup = {
    flags: [],
    backendFlags: [],
    modules: [],
    libraries: [],
    testing: false,
    dynlinkApi: false,
    readonlyFiles: [],
    arguments: [],
    runParams: [],
    env: {},
    unsetEnv: [],
  };
  for (const inc of run.includes) {
    if (inc === 'testing') setup.testing = true;
    else if (inc === 'dynlink') setup.dynlinkApi = true;
    else if (inc === 'principal') setup.flags.push('-principal');
    else if (INCLUDE_LIBRARIES[inc]) setup.libraries.push(...INCLUDE_LIBRARIES[inc].filter((lib) => !setup.libraries.includes(lib)));
    else if (COMPILER_LIBS_INCLUDES.has(inc)) return RULES.compilerLibs;
    else return RULES.unhandledVariable;
  }
  const ownFlags = run.backend === 'bytecode' ? 'ocamlc_flags' : 'ocamlopt_flags';
  for (const [name, value] of run.variables) {
    if (value === undefined) {
      setup.unsetEnv.push(name);
      continue;
    }
    if (name === 'reference') {
      const m = /^\$\{test_source_directory\}\/([^$/]+)$/.exec(value);
      if (!m && value.includes('$')) return RULES.ocamltestVariables;
      setup.reference = m ? join(dir, m[1]!) : join(dir, value);
      continue;
    }
    if (value.includes('$')) return RULES.ocamltestVariables;
    if (run.declared.has(name)) {
      if (name === 'OCAMLRUNPARAM') setup.runParams.push(value);
      else setup.env[name] = value;
      continue;
    }
    switch (name) {
      case 'flags':
      case ownFlags: {
        const flags = compileFlags(value);
        if (!flags) return RULES.unsupportedFlags;
        (name === 'flags' ? setup.flags : setup.backendFlags).push(...flags);
        break;
      }
      case 'ocamlc_flags':
      case 'ocamlopt_flags':
        break; // the other backend's
      case 'modules':
        setup.modules.push(...splitWords(value));
        break;
      case 'readonly_files':
        setup.readonlyFiles.push(...splitWords(value));
        break;
      case 'arguments':
        setup.arguments.push(...splitWords(value));
        break;
      case 'ocamlrunparam':
        setup.runParams.push(value);
        break;
      case 'exit_status':
        if (value.trim() !== '0') return RULES.expectedExitStatus;
        break;
      case 'stdin':
      case 'stdout':
      case 'stderr':
      case 'output':
        return RULES.redirectedStreams;
      case 'binary_modules':
        return RULES.compilerLibs;
      case 'ocamllex_flags':
      case 'ocamlyacc_flags':
        return RULES.generatedSources;
      default:
        if (!IGNORED_VARIABLES.has(name)) return RULES.unhandledVariable;
    }
  }
  for (const m of setup.modules) {
    if (m.endsWith('.c')) return RULES.cStubs;
    if (m.endsWith('.mll') || m.endsWith('.mly')) return RULES.generatedSources;
    if (!/^[^/]+\.mli?$/.test(m) || !existsSync(join(dir, m))) return RULES.moduleElsewhere;
  }
  for (const f of setup.readonlyFiles) if (f.includes('/') || !existsSync(join(dir, f))) return RULES.moduleElsewhere;
  return setup;
}

function isRule(x: RunSetup | ExclusionRule): x is ExclusionRule {
  return 'id' in x;
}

/** What must be the same in every run of a test (all but the backend's own flags and reference). */
function sharedPart(s: RunSetup): string {
  const { backendFlags: _b, reference: _r, ...shared } = s;
  return JSON.stringify(shared);
}

/**
 * The setup of each backend that runs the program, or the rule that
 * excludes it: one setup per backend, sharing all but its own flags and reference.
 */
export function programSetups(runs: readonly ProgramRun[], dir: string): Partial<Record<Backend, RunSetup>> | ExclusionRule {
  const setups: Partial<Record<Backend, RunSetup>> = {};
  for (const run of runs) {
    const setup = runSetup(run, dir);
    if (isRule(setup)) return setup;
    const before = setups[run.backend];
    if (before && JSON.stringify(before) !== JSON.stringify(setup)) return RULES.severalSetups;
    setups[run.backend] = setup;
  }
  const all = Object.values(setups);
  if (all.some((s) => sharedPart(s) !== sharedPart(all[0]!))) return RULES.severalSetups;
  return setups;
}

/** The base modes (not their GC-stress variants) whose plugins are in `format`. */
function modesOfFormat(format: PluginFormat): string[] {
  return ALL_MODES.filter((m) => m.baseName === undefined && m.pluginFormat === format).map((m) => m.name);
}

/**
 * A unit name that is not an ASCII OCaml identifier (`0001-test`, `néant`,
 * `見`): bytecode loads it, but ocamlopt mangles it in the unit's symbols and
 * native Dynlink looks for them under the plain name, in stock OCaml 5.3 too
 * ("Dynlink: Missing frametable for 0001-test").
 */
const ASCII_UNIT_NAME = /^[A-Za-z][A-Za-z0-9_']*$/;
const NON_ASCII_UNIT =
  'a unit name of it is not an ASCII OCaml identifier (a digit first, a dash, a non-ASCII letter): ocamlopt mangles it in the symbols of the .cmxs and native Dynlink looks for them under the plain name, in stock OCaml 5.3 too (Dynlink.Error: Missing frametable)';

const ONLY_BACKEND: Readonly<Record<Backend, string>> = {
  native: 'its TEST header runs it only as native code (ocamltest: native), and .cmo plugins are bytecode',
  bytecode: 'its TEST header runs it only as bytecode (ocamltest: bytecode), and .cmxs plugins are native code',
};

/** ocamltest's configuration of the compiler built from `ocaml-src` (written by configure): what its predicates are decided from. */
export function ocamltestPredicates(ocamlSrc: string): Predicates {
  const file = join(ocamlSrc, 'ocamltest', 'ocamltest_config.ml');
  if (!existsSync(file)) {
    throw new WorkbenchError(`${file} is missing: OCaml's tests are read with the configuration of the compiler`, 'build the compiler first: npm run build-ocaml');
  }
  return compilerPredicates(parseOcamltestConfig(readFileSync(file, 'utf8')));
}

export function discoverOcamlTests(opts: {
  testsDir: string;
  supportDir: string;
  testingLibDir: string;
  takenUnits: ReadonlySet<string>;
  /** ocamltest's predicates on this machine; by default from the configuration of ocaml-src (testsDir's tree). */
  predicates?: Predicates;
  /** Whether the tests run as root (by default, whether this process does). */
  root?: boolean;
}): Corpus {
  const predicates = opts.predicates ?? ocamltestPredicates(join(opts.testsDir, '..', '..'));
  const root = opts.root ?? process.getuid?.() === 0;
  const tests: TestCase[] = [];
  const excluded: Corpus['excluded'] = [];
  for (const dir of walk(opts.testsDir)) {
    const siblings = readdirSync(dir);
    for (const file of siblings.filter((f) => f.endsWith('.ml')).sort()) {
      const base = file.slice(0, -3);
      const name = `ocaml/${relative(opts.testsDir, join(dir, base))}`;
      const source = readFileSync(join(dir, file), 'utf8');
      const found = testOf(source, { dir, file, siblings, name, predicates, takenUnits: opts.takenUnits, root });
      if (found === undefined) continue;
      if ('id' in found) {
        excluded.push({ rule: found, test: name });
        continue;
      }
      const { testing, libraries, ...test } = found;
      tests.push({ ...test, host: hostSpec(opts, testing, libraries) });
    }
  }
  return { tests, excluded };
}

type Found = Omit<TestCase, 'host'> & { testing: boolean; libraries: string[] };

/** Where a candidate is and what decides about it. */
interface Where {
  dir: string;
  file: string;
  siblings: readonly string[];
  name: string;
  predicates: Predicates;
  takenUnits: ReadonlySet<string>;
  root: boolean;
}

/** The program: its sources in load order (the header's modules, then the file), their text and unit names. */
interface Program {
  plugins: string[];
  units: string[];
  texts: string[];
}

/** The test of a source file (without its host), undefined when the file is no test (no TEST block), or the rule that excludes it. */
function testOf(source: string, where: Where): Found | ExclusionRule | undefined {
  const setups = setupsOf(source, where);
  if (setups === undefined || 'id' in setups) return setups;
  const first = (setups.bytecode ?? setups.native)!;
  const plugins = [...first.modules.filter((m) => m !== where.file), where.file];
  const program: Program = {
    plugins,
    units: plugins.filter((p) => p.endsWith('.ml')).map((p) => p.slice(0, -3)),
    texts: [source, ...plugins.slice(0, -1).map((p) => readFileSync(join(where.dir, p), 'utf8'))],
  };
  const reference = (backend: Backend) => setups[backend]?.reference ?? join(where.dir, `${where.file.slice(0, -3)}.reference`);
  const rule = programRule(program, where, Object.keys(setups) as Backend[], reference);
  if (rule) return rule;
  const compileFlags = {
    ...(first.flags.length > 0 ? { all: first.flags } : {}),
    ...(setups.bytecode?.backendFlags.length ? { cmo: setups.bytecode.backendFlags } : {}),
    ...(setups.native?.backendFlags.length ? { cmxs: setups.native.backendFlags } : {}),
  };
  const { skipModes, skipFamilies } = skipsOf(program, setups, first);
  return {
    name: where.name,
    dir: where.dir,
    description: `OCaml's own test ${where.name.slice('ocaml/'.length)}.ml`,
    testing: first.testing,
    libraries: first.libraries,
    plugins,
    env: { ...first.env, CROSSTEST_PLUGIN: program.units.join(' ') },
    status: 0,
    output: 'merged',
    referenceFiles: { cmo: reference('bytecode'), cmxs: reference('native') },
    ...gcStressSkip(program, first.libraries),
    ...(spawnsDomains(program) ? { runsAlone: RUNS_ALONE_DOMAINS } : {}),
    ...(Object.keys(skipModes).length > 0 ? { skipModes } : {}),
    ...(Object.keys(skipFamilies).length > 0 ? { skipFamilies } : {}),
    ...(Object.keys(compileFlags).length > 0 ? { compileFlags } : {}),
    ...(first.readonlyFiles.length > 0 ? { dataFiles: first.readonlyFiles } : {}),
    ...(first.arguments.length > 0 ? { arguments: first.arguments } : {}),
    ...(first.runParams.length > 0 ? { runParams: first.runParams.join(',') } : {}),
    ...(first.unsetEnv.length > 0 ? { unsetEnv: first.unsetEnv } : {}),
  };
}

/** What the header asks for each backend that runs the program, undefined when the file is no test, or the rule that excludes it. */
function setupsOf(source: string, where: Where): Partial<Record<Backend, RunSetup>> | ExclusionRule | undefined {
  let tree;
  try {
    tree = parseTestHeader(source);
  } catch (e) {
    if (e instanceof TestHeaderError) return RULES.unparsableHeader;
    throw e;
  }
  if (tree === undefined) return undefined;
  const plan = interpretTestHeader(tree, where.predicates);
  const byActions = actionsRule(plan.otherActions);
  if (byActions) return byActions;
  if (plan.runs.length === 0) return RULES.notOnThisMachine;
  const base = where.file.slice(0, -3);
  if (where.siblings.some((f) => f.startsWith(`${base}.`) && HOOKABLE_ACTION.test(f.slice(base.length + 1)))) return RULES.hookScript;
  return programSetups(plan.runs, where.dir);
}

/** Whether a module of the program spawns domains. */
const spawnsDomains = (program: Program) => program.texts.some((s) => /\bDomain\.spawn\b/.test(s));

/** Why the program does not run under GC stress, if it does not. */
function gcStressSkip(program: Program, libraries: readonly string[]): { skipUnderGcStress?: string } {
  if (spawnsDomains(program)) return { skipUnderGcStress: GC_STRESS_DOMAINS };
  if (libraries.includes('runtime_events')) return { skipUnderGcStress: GC_STRESS_RUNTIME_EVENTS };
  return {};
}

/** The rule that excludes the program for what it does (not for its header), if one does. */
function programRule(program: Program, where: Where, backends: readonly Backend[], reference: (b: Backend) => string): ExclusionRule | undefined {
  const { units, texts } = program;
  if (texts.some((s) => /\bGc\.(allocated_bytes|minor_words|counters|quick_stat|Memprof)\b/.test(s))) return RULES.allocationCounts;
  if (units.some((u) => where.takenUnits.has(u.toLowerCase()))) return RULES.unitClash;
  if (texts.some((s) => /\bDomain\.cpu_relax\b/.test(s))) return RULES.spinWait;
  if (where.root && texts.some((s) => /\bchmod\b[^\n]*\b0o?000\b/.test(s))) return RULES.unreadableAsRoot;
  if (texts.some((s) => /\bget_callstack\b/.test(s)) && reachesToplevel(units, backends, reference)) return RULES.callStackToToplevel;
  return undefined;
}

/** The modes and families the program does not run in, each with the reason: the other backend's, a non-ASCII unit's native ones, its libraries'. */
function skipsOf(
  program: Program,
  setups: Partial<Record<Backend, RunSetup>>,
  { libraries, dynlinkApi }: RunSetup,
): { skipModes: Record<string, string>; skipFamilies: Partial<Record<Family, string>> } {
  const skipModes: Record<string, string> = {};
  for (const backend of ['bytecode', 'native'] as const) {
    if (setups[backend]) continue;
    const other = backend === 'bytecode' ? 'native' : 'bytecode';
    for (const mode of modesOfFormat(FORMAT_OF[backend])) skipModes[mode] = ONLY_BACKEND[other];
  }
  if (!program.units.every((u) => ASCII_UNIT_NAME.test(u))) for (const mode of modesOfFormat('cmxs')) skipModes[mode] ??= NON_ASCII_UNIT;
  const limits = libraryLimits(libraries);
  for (const [mode, why] of Object.entries(limits.modes)) skipModes[mode] ??= why;
  const compacting = program.texts.map((s) => COMPACTING_LOOP.exec(s)).some((m) => m && Number(m[1]!.replace(/_/g, '')) >= 1000);
  if (compacting) skipModes[EVAL_MODE] ??= COMPACTS_IN_EVAL;
  const toplevel = dynlinkApi ? TOPLEVEL_DYNLINK : compacting ? COMPACTS_IN_TOPLEVEL : undefined;
  const skipFamilies = { ...(toplevel ? { toplevel } : {}), ...limits.families };
  return { skipModes, skipFamilies };
}

/** Whether a reference of the test shows a frame of a unit's toplevel code (`Called from Unit in file`): a call stack down to it. */
function reachesToplevel(units: readonly string[], backends: readonly Backend[], reference: (b: Backend) => string): boolean {
  const frames = units.map((u) => `Called from ${u[0]!.toUpperCase()}${u.slice(1)} in file`);
  return backends.some((b) => {
    const file = reference(b);
    return existsSync(file) && readFileSync(file, 'utf8').split('\n').some((line) => frames.some((f) => line.startsWith(f)));
  });
}

/**
 * The generic host of OCaml's tests with the `testing` library
 * (testsuite/lib) or not, and the distribution's `libraries`: one build per combination.
 */
function hostSpec(opts: { supportDir: string; testingLibDir: string }, testing: boolean, libraries: readonly string[]): HostSpec {
  const testingSources = testing ? [join(opts.testingLibDir, 'testing.mli'), join(opts.testingLibDir, 'testing.ml')] : [];
  return {
    key: ['ocaml-generic', testing ? '-testing' : '', ...libraries.map((l) => `+${l}`)].join(''),
    dir: opts.supportDir,
    sources: [...testingSources, 'crosstest_host.ml'],
    ...(libraries.length > 0 ? { libraries } : {}),
  };
}

function* walk(dir: string): Generator<string> {
  yield dir;
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    if (d.isDirectory() && !d.name.startsWith('_')) yield* walk(join(dir, d.name));
  }
}

/** Unit names the generic host already has: its own units and every installed library unit it may link. */
export function hostUnitNames(prefix: string): Set<string> {
  const names = new Set(['crosstest', 'crosstest_host', 'crosstest_loader', 'testing']);
  const lib = join(prefix, 'lib', 'ocaml');
  const dirs = [lib, ...['dynlink', ...Object.values(INCLUDE_LIBRARIES).flat()].map((d) => join(lib, d))];
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) if (f.endsWith('.cmi')) names.add(basename(f, '.cmi').toLowerCase());
  }
  return names;
}
