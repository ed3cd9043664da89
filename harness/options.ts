import { parseArgs } from 'node:util';
import { WorkbenchError } from './errors.ts';

/**
 * Command-line options of the scripts, declared once per script: parsing, checking and `--help` come from the
 * declaration. A malformed command line is a UsageError: one line on stderr and exit status 2 (harness/cli.ts).
 */
export type OptionSpec =
  | { type: 'boolean'; help: string }
  | { type: 'string'; arg: string; help: string; default?: string }
  /** A whole number >= min (default 1). */
  | { type: 'int'; arg: string; help: string; min?: number; default?: number }
  | { type: 'choice'; choices: readonly string[]; help: string; default?: string };

export type OptionSpecs = Record<string, OptionSpec>;

type ValueOf<S extends OptionSpec> = S extends { type: 'boolean' }
  ? boolean
  : S extends { type: 'int' }
    ? number
    : S extends { type: 'choice'; choices: readonly (infer C extends string)[] }
      ? C
      : string;
type HasValue<S extends OptionSpec> = S extends { type: 'boolean' } ? true : S extends { default: unknown } ? true : false;

/** Parsed values: booleans and options with a default are always set, the others may be undefined. */
export type OptionValues<Specs extends OptionSpecs> = {
  [K in keyof Specs]: HasValue<Specs[K]> extends true ? ValueOf<Specs[K]> : ValueOf<Specs[K]> | undefined;
};

export interface CommandSpec<Specs extends OptionSpecs> {
  /** e.g. "npm run crosstest --" */
  usage: string;
  /** One paragraph: what the command does. */
  summary: string;
  options: Specs;
}

/**
 * Declares a command where its spec is kept in a constant (so its usage can name it in later UsageErrors): the
 * identity, there only so that TypeScript keeps the literal types (`type: 'int'`, a choice's names).
 */
export function defineCommand<const Specs extends OptionSpecs>(cmd: CommandSpec<Specs>): CommandSpec<Specs> {
  return cmd;
}

/** A malformed command line: the entry point prints the message on one line and exits with status 2. */
export class UsageError extends WorkbenchError {
  constructor(message: string, usage: string) {
    super(message, `see ${usage} --help`);
    this.name = 'UsageError';
  }
}

/** Thrown for --help once the help text is printed; the entry point exits 0. */
export class HelpShown extends Error {
  constructor(readonly text: string) {
    super('help shown');
  }
}

export function helpText<Specs extends OptionSpecs>(cmd: CommandSpec<Specs>): string {
  const rows: Array<[string, string]> = Object.entries(cmd.options).map(([name, s]) => {
    const arg = s.type === 'boolean' ? '' : s.type === 'choice' ? ` ${s.choices.join('|')}` : ` ${s.arg}`;
    const dflt = 'default' in s && s.default !== undefined ? ` (default: ${s.default})` : '';
    return [`--${name}${arg}`, `${s.help}${dflt}`];
  });
  rows.push(['-h, --help', 'print this help and exit']);
  const width = Math.max(...rows.map(([l]) => l.length));
  return [`usage: ${cmd.usage} [options]`, '', cmd.summary, '', 'options:', ...rows.map(([l, r]) => `  ${l.padEnd(width)}  ${r}`)].join('\n');
}

/** A value for the message, on one line whatever it holds. */
function quoted(value: string): string {
  return JSON.stringify(value);
}

/**
 * Parses argv against the declaration. Throws HelpShown when --help (or -h) is anywhere in argv; otherwise
 * UsageError for the first problem in argv order: an unknown option, a missing or malformed value, a value given
 * to a boolean option, a positional argument. A repeated option keeps its last value.
 */
export function parseCommandLine<const Specs extends OptionSpecs>(cmd: CommandSpec<Specs>, argv: string[] = process.argv.slice(2)): OptionValues<Specs> {
  const nodeOptions: Record<string, { type: 'boolean' | 'string'; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const [name, s] of Object.entries(cmd.options)) nodeOptions[name] = { type: s.type === 'boolean' ? 'boolean' : 'string' };
  // Not strict: node's own messages span several sentences; every check is made here on the tokens instead.
  const { tokens } = parseArgs({ args: argv, options: nodeOptions, strict: false, allowPositionals: true, tokens: true });
  if (tokens.some((t) => t.kind === 'option' && t.name === 'help')) throw new HelpShown(helpText(cmd));

  const fail = (message: string): never => {
    throw new UsageError(message, cmd.usage);
  };
  const given: Record<string, string | true> = {};
  for (const t of tokens) {
    if (t.kind === 'option-terminator') continue;
    if (t.kind === 'positional') fail(`unexpected argument ${quoted(t.value)}: this command takes options only`);
    else {
      const s = Object.hasOwn(cmd.options, t.name) ? cmd.options[t.name] : undefined;
      if (s === undefined) fail(`unknown option ${t.rawName}`);
      else if (s.type === 'boolean') {
        if (t.value !== undefined) fail(`${t.rawName} takes no value, not ${quoted(t.value)}`);
        given[t.name] = true;
      } else {
        if (t.value === undefined || t.value === '') fail(`${t.rawName} needs a value`);
        // As node's strict mode: "--only --quick" is a forgotten value, not a pattern "--quick".
        else if (!t.inlineValue && t.value.startsWith('-')) fail(`${t.rawName} is followed by ${quoted(t.value)}, an option: write ${t.rawName}=${t.value} if that is the value`);
        else given[t.name] = t.value;
      }
    }
  }

  const out: Record<string, string | number | boolean | undefined> = {};
  for (const [name, s] of Object.entries(cmd.options)) {
    const v = given[name];
    if (s.type === 'boolean') {
      out[name] = v === true;
    } else if (typeof v !== 'string') {
      out[name] = s.default;
    } else if (s.type === 'int') {
      const min = s.min ?? 1;
      if (!/^[0-9]+$/.test(v) || !Number.isSafeInteger(Number(v)) || Number(v) < min) fail(`--${name} must be a whole number >= ${min}, not ${quoted(v)}`);
      out[name] = Number(v);
    } else if (s.type === 'choice') {
      if (!s.choices.includes(v)) fail(`--${name} must be one of ${s.choices.join(', ')}, not ${quoted(v)}`);
      out[name] = v;
    } else {
      out[name] = v;
    }
  }
  return out as OptionValues<Specs>;
}

/** A comma-separated list option checked against the known names (e.g. --modes). */
export function parseList(option: string, value: string, known: readonly string[], usage: string): string[] {
  const items = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (items.length === 0) throw new UsageError(`--${option} needs at least one name`, usage);
  const unknown = items.filter((i) => !known.includes(i));
  if (unknown.length > 0) throw new UsageError(`--${option}: unknown ${unknown.join(', ')} (known: ${known.join(', ')})`, usage);
  return items;
}

/** A filter (--only, --dir, …) that selected nothing is an error, never an empty green run. */
export function requireSelection<T>(items: readonly T[], what: string, usage: string): void {
  if (items.length === 0) throw new UsageError(`${what} selects nothing`, usage);
}
