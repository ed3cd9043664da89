/**
 * The `(* TEST … *)` header of OCaml's test programs, read as ocamltest reads
 * it (ocaml-src/ocamltest: tsl_lexer.mll, tsl_parser.mly, main.ml): a
 * statement language of actions (`native;`, `setup-ocamlc.byte-build-env;`,
 * `script with unix, str;`), variable assignments (`flags = "-w +A";`,
 * `set FOO = "1";`, `ocamlrunparam += ",b=1";`, `unset FOO;`), `include
 * unix;`, and blocks `{ … }`, each a branch that inherits the environment
 * of the statements before it.
 *
 * `parseTestHeader` gives the tree; `interpretTestHeader` walks it the way
 * ocamltest runs it on this machine: predicates (`arch64`, `hasunix`,
 * `no-flambda`…) are decided from the compiler's configuration, a false one
 * (or `skip`) ends its branch, and each `bytecode` or `native` test reached
 * is a program run, with the variables and includes in force there.
 */

export type Statement =
  /** An action or test; `with` lists the modifiers (includes) applied to it alone. */
  | { kind: 'action'; name: string; with: string[]; line: number }
  /** `variable = "value"`, or `set variable = "value"` (a new, user-declared variable: `declare`). */
  | { kind: 'assign'; variable: string; value: string; declare: boolean; line: number }
  /** `variable += "value"`: appended as is (ocamltest adds no space). */
  | { kind: 'append'; variable: string; value: string; line: number }
  /** `include name`: the named modifiers (libraries, `principal`…). */
  | { kind: 'include'; name: string; line: number }
  /** `unset variable`: also removes it from the environment of the programs run. */
  | { kind: 'unset'; variable: string; line: number };

/** A block: its statements in order, then its sub-blocks (branches), as ocamltest's `Ast`. */
export interface TestTree {
  statements: Statement[];
  branches: TestTree[];
}

export class TestHeaderError extends Error {}

type Token =
  | { t: 'ident'; v: string; line: number }
  | { t: 'string'; v: string; line: number }
  | { t: 'include' | 'set' | 'unset' | 'with' | '=' | '+=' | ',' | ';' | '{' | '}' | 'end'; line: number };

const KEYWORDS = new Set(['include', 'set', 'unset', 'with']);
const IDENT_CHAR = /[A-Za-z0-9_.\-']/;
const BLANK = /[ \t\f\r]/;

/**
 * Where the TEST block's statements start, or undefined when the file is no
 * test: ocamltest's `is_test` wants `(* TEST` (or `(* TEST_BELOW`) after
 * nothing but blanks. With TEST_BELOW, the statements are in the last
 * `(* TEST` block of the file (the lexer's longest match).
 */
function blockStart(source: string): number | undefined {
  const head = /^[ \t\f\r\n]*\(\*[ \t\f]*TEST(_BELOW)?/.exec(source);
  if (!head) return undefined;
  if (!head[1]) return head[0].length;
  const re = /\(\*[ \t\f]*TEST/g;
  let last: number | undefined;
  for (let m = re.exec(source); m; m = re.exec(source)) if (m.index >= head[0].length) last = m.index + m[0].length;
  if (last === undefined) throw new TestHeaderError('TEST_BELOW without a TEST block below');
  return last;
}

function lineAt(source: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (source.charCodeAt(i) === 10) line++;
  return line;
}

/** The tokens of the block starting at `start`, up to its closing `*)` (the 'end' token). */
function tokenize(source: string, start: number): Token[] {
  const tokens: Token[] = [];
  let i = start;
  let line = lineAt(source, start);
  const fail = (what: string): never => {
    throw new TestHeaderError(`line ${line}: ${what}`);
  };
  for (;;) {
    if (i >= source.length) fail('unexpected end of file in the TEST block');
    const c = source[i]!;
    if (c === '\n') {
      line++;
      i++;
    } else if (BLANK.test(c)) {
      i++;
    } else if (source.startsWith('*)', i)) {
      tokens.push({ t: 'end', line });
      return tokens;
    } else if (source.startsWith('(*', i)) {
      // A comment, nested as in OCaml.
      let depth = 0;
      do {
        if (i >= source.length) fail('unterminated comment');
        if (source.startsWith('(*', i)) {
          depth++;
          i += 2;
        } else if (source.startsWith('*)', i)) {
          depth--;
          i += 2;
        } else {
          if (source[i] === '\n') line++;
          i++;
        }
      } while (depth > 0);
    } else if (source.startsWith('+=', i)) {
      tokens.push({ t: '+=', line });
      i += 2;
    } else if (c === '=' || c === ',' || c === ';' || c === '{' || c === '}') {
      tokens.push({ t: c, line });
      i++;
    } else if (c === '"') {
      const at = line;
      i++;
      let value = '';
      // As tsl_lexer.mll: a backslash-newline continues the string (the next line's leading blanks are dropped, and
      // one escaped blank after them is kept); any other backslash is itself.
      for (;;) {
        if (i >= source.length) fail('unterminated string');
        const d = source[i]!;
        if (d === '"') {
          i++;
          break;
        }
        const cont = /^\\\r*\n[ \t\f]*(\\[ \t\f])?/.exec(source.slice(i, i + 200));
        if (cont) {
          line++;
          value += cont[1] ? cont[1][1] : '';
          i += cont[0].length;
        } else {
          if (d === '\n') line++;
          value += d;
          i++;
        }
      }
      tokens.push({ t: 'string', v: value, line: at });
    } else if (IDENT_CHAR.test(c)) {
      let j = i;
      while (j < source.length && IDENT_CHAR.test(source[j]!)) j++;
      const word = source.slice(i, j);
      tokens.push(KEYWORDS.has(word) ? { t: word as 'include', line } : { t: 'ident', v: word, line });
      i = j;
    } else {
      fail(`unexpected character ${JSON.stringify(c)}`);
    }
  }
}

/**
 * The statement tree of a test program's TEST block, or undefined when the
 * file has none (ocamltest does not run it: a helper of another test).
 * Throws TestHeaderError, with the line, where ocamltest would refuse the block.
 */
export function parseTestHeader(source: string): TestTree | undefined {
  const start = blockStart(source);
  if (start === undefined) return undefined;
  const tokens = tokenize(source, start);
  let pos = 0;
  const peek = () => tokens[pos]!;
  const fail = (what: string): never => {
    throw new TestHeaderError(`line ${peek().line}: ${what}`);
  };
  const ident = (): string => {
    const tok = peek();
    if (tok.t !== 'ident') return fail(`expected a name, found ${describe(tok)}`);
    pos++;
    return tok.v;
  };
  const str = (): string => {
    const tok = peek();
    if (tok.t !== 'string') return fail(`expected a string, found ${describe(tok)}`);
    pos++;
    return tok.v;
  };
  const expect = (t: Token['t']) => {
    if (peek().t !== t) fail(`expected ${t}, found ${describe(peek())}`);
    pos++;
  };
  const statement = (): Statement => {
    const tok = peek();
    const line = tok.line;
    pos++;
    switch (tok.t) {
      case 'include':
        return { kind: 'include', name: ident(), line };
      case 'unset':
        return { kind: 'unset', variable: ident(), line };
      case 'set': {
        const variable = ident();
        expect('=');
        return { kind: 'assign', variable, value: str(), declare: true, line };
      }
      case 'ident': {
        const next = peek();
        if (next.t === '=' || next.t === '+=') {
          pos++;
          const value = str();
          return next.t === '=' ? { kind: 'assign', variable: tok.v, value, declare: false, line } : { kind: 'append', variable: tok.v, value, line };
        }
        const modifiers: string[] = [];
        if (next.t === 'with') {
          pos++;
          modifiers.push(ident());
          while (peek().t === ',') {
            pos++;
            modifiers.push(ident());
          }
        }
        return { kind: 'action', name: tok.v, with: modifiers, line };
      }
      default:
        pos--;
        return fail(`expected a statement, found ${describe(tok)}`);
    }
  };
  // node: statement* ('{' node '}')*
  const node = (): TestTree => {
    const statements: Statement[] = [];
    while (['ident', 'include', 'set', 'unset'].includes(peek().t)) {
      statements.push(statement());
      expect(';');
    }
    const branches: TestTree[] = [];
    while (peek().t === '{') {
      pos++;
      branches.push(node());
      expect('}');
    }
    return { statements, branches };
  };
  const tree = node();
  if (peek().t !== 'end') fail(`unexpected ${describe(peek())}`);
  return tree;
}

function describe(tok: Token): string {
  if (tok.t === 'end') return 'the end of the block';
  if (tok.t === 'ident' || tok.t === 'string') return JSON.stringify(tok.v);
  return `"${tok.t}"`;
}

/** ocamltest's program tests: build the program with that backend's compiler, run it, compare its output. */
export type Backend = 'bytecode' | 'native';

/** A program run that ocamltest would do: the backend and the environment in force when it is reached. */
export interface ProgramRun {
  backend: Backend;
  /** Variables assigned before it on its branch; an unset one maps to undefined. */
  variables: ReadonlyMap<string, string | undefined>;
  /** The variables among them declared by `set` (new variables, which ocamltest exports to the program's environment). */
  declared: ReadonlySet<string>;
  /** Modifiers included before it (`include unix;`) and on it (`native with unix;`), in order. */
  includes: readonly string[];
  /** The other actions before it on its branch (build steps, `script`…), predicates left out. */
  actionsBefore: readonly string[];
}

/** What ocamltest would do with a test on this machine. */
export interface TestPlan {
  runs: ProgramRun[];
  /** Actions (not predicates, not program tests) on the branches that run, in order of appearance. */
  otherActions: string[];
  /** Why branches end early on this machine: a false predicate's name, or `skip` with the header's `reason`. */
  stopped: string[];
}

/**
 * The actions that test a property of the machine and the compiler (pass or
 * skip), as ocamltest defines them (builtin_actions.ml, ocaml_actions.ml),
 * each decided from the compiler's configuration (see `compilerPredicates`).
 */
export type Predicates = ReadonlyMap<string, boolean>;

/**
 * The compiler's configuration, as ocamltest sees it:
 * ocaml-src/ocamltest/ocamltest_config.ml (written by configure), whose
 * `let name = value` lines are read into name → value text.
 */
export function parseOcamltestConfig(text: string): Map<string, string> {
  const config = new Map<string, string>();
  for (const m of text.matchAll(/^let\s+([a-z_0-9]+)\s*=\s*(.*?)\s*$/gm)) {
    const quoted = /^\{\|(.*)\|\}$/.exec(m[2]!);
    config.set(m[1]!, quoted ? quoted[1]! : m[2]!);
  }
  return config;
}

/** The predicates of ocamltest, decided from `parseOcamltestConfig`'s configuration (a missing entry is an error). */
export function compilerPredicates(config: ReadonlyMap<string, string>): Predicates {
  const get = (name: string): string => {
    const v = config.get(name);
    if (v === undefined) throw new TestHeaderError(`the ocamltest configuration has no "${name}"`);
    return v;
  };
  const bool = (name: string): boolean => {
    const v = get(name);
    const numeric = /^(\d+) != 0$/.exec(v); // windows_unicode is written `N != 0`
    if (numeric) return Number(numeric[1]) !== 0;
    if (v !== 'true' && v !== 'false') throw new TestHeaderError(`the ocamltest configuration's "${name}" is ${v}, not a boolean`);
    return v === 'true';
  };
  const arch = get('arch');
  const system = get('system');
  const bsd = ['bsd_elf', 'netbsd', 'freebsd', 'openbsd'].includes(system);
  const windows = ['mingw', 'mingw64', 'win32', 'win64', 'cygwin'].includes(system);
  const macos = system === 'macosx';
  const tsan = bool('tsan');
  const flambda = bool('flambda');
  const libunix = get('libunix');
  const archs = ['arm', 'arm64', 'amd64', 'i386', 'power', 'riscv64', 's390x'];
  const arch64 = ['arm64', 'amd64', 'power', 'riscv64', 's390x'].includes(arch);
  return new Map<string, boolean>([
    ['pass', true],
    ['hasunix', libunix !== 'None'],
    ['libunix', libunix === 'Some true'],
    ['libwin32unix', libunix === 'Some false'],
    ['hassysthreads', bool('systhreads')],
    ['hasstr', bool('str')],
    ['windows', windows],
    ['not-windows', !windows],
    ['not-msvc', get('ccomptype') !== 'msvc'],
    ['bsd', bsd],
    ['not-bsd', !bsd],
    ['macos', macos],
    ['not_macos_amd64_tsan', !(macos && arch === 'amd64' && tsan)],
    ['arch32', !arch64],
    ['arch64', arch64],
    ...archs.map((a): [string, boolean] => [`arch_${a}`, arch === a]),
    ['function_sections', bool('function_sections')],
    ['frame_pointers', bool('frame_pointers')],
    ['tsan', tsan],
    ['no-tsan', !tsan],
    ['has_symlink', !windows],
    ['flat-float-array', bool('flat_float_array')],
    ['no-flat-float-array', !bool('flat_float_array')],
    ['flambda', flambda],
    ['no-flambda', !flambda],
    ['shared-libraries', bool('shared_libraries')],
    ['no-shared-libraries', !bool('shared_libraries')],
    ['native-compiler', bool('native_compiler')],
    ['native-dynlink', bool('native_dynlink')],
    ['debugger', bool('ocamldebug')],
    ['instrumented-runtime', bool('instrumented_runtime')],
    ['csharp-compiler', get('csc') !== ''],
    ['windows-unicode', bool('windows_unicode')],
    ['afl-instrument', bool('afl_instrument')],
    ['no-afl-instrument', !bool('afl_instrument')],
  ]);
}

const PROGRAM_TESTS: ReadonlySet<string> = new Set<Backend>(['bytecode', 'native']);

interface Env {
  variables: Map<string, string | undefined>;
  declared: Set<string>;
  includes: string[];
  actions: string[];
}

/**
 * Walks the tree as ocamltest's main.ml runs it: the statements of a block in
 * order, then each branch from the environment reached; a false predicate or
 * `skip` ends the branch (and its sub-branches); a tree with no test at all,
 * after its leading assignments, runs the default tests (bytecode, native),
 * each in its own branch. Actions other than predicates are assumed to pass
 * (they are reported in `otherActions`). A name that is not a predicate is
 * taken as an action.
 */
export function interpretTestHeader(tree: TestTree, predicates: Predicates): TestPlan {
  const plan: TestPlan = { runs: [], otherActions: [], stopped: [] };
  const leading = tree.statements.findIndex((s) => s.kind === 'action');
  const hasTests = leading >= 0 || tree.branches.length > 0;
  const defaultTest = (name: Backend): TestTree => ({ statements: [{ kind: 'action', name, with: [], line: 0 }], branches: [] });
  const effective: TestTree = hasTests ? tree : { statements: tree.statements, branches: [defaultTest('bytecode'), defaultTest('native')] };
  walk(effective, { variables: new Map(), declared: new Set(), includes: [], actions: [] }, predicates, plan);
  return plan;
}

function walk(tree: TestTree, from: Env, predicates: Predicates, plan: TestPlan): void {
  const env: Env = { variables: new Map(from.variables), declared: new Set(from.declared), includes: [...from.includes], actions: [...from.actions] };
  for (const s of tree.statements) {
    switch (s.kind) {
      case 'assign':
        env.variables.set(s.variable, s.value);
        if (s.declare) env.declared.add(s.variable);
        break;
      case 'append':
        env.variables.set(s.variable, (env.variables.get(s.variable) ?? '') + s.value);
        break;
      case 'unset':
        env.variables.set(s.variable, undefined);
        break;
      case 'include':
        env.includes.push(s.name);
        break;
      case 'action': {
        const holds = predicates.get(s.name);
        if (holds === false) {
          plan.stopped.push(s.name);
          return;
        }
        if (holds === true) break;
        if (s.name === 'skip') {
          const reason = env.variables.get('reason');
          plan.stopped.push(reason ? `skip (${reason})` : 'skip');
          return;
        }
        if (PROGRAM_TESTS.has(s.name)) {
          plan.runs.push({
            backend: s.name as Backend,
            variables: new Map(env.variables),
            declared: new Set(env.declared),
            includes: [...env.includes, ...s.with],
            actionsBefore: [...env.actions],
          });
        } else {
          if (!plan.otherActions.includes(s.name)) plan.otherActions.push(s.name);
          env.actions.push(s.with.length > 0 ? `${s.name} with ${s.with.join(', ')}` : s.name);
        }
        break;
      }
    }
  }
  for (const branch of tree.branches) walk(branch, env, predicates, plan);
}
