import { describe, expect, it } from 'vitest';
import { defineCommand, helpText, HelpShown, parseCommandLine, parseList, requireSelection, UsageError } from '../harness/options.ts';

const COMMAND = defineCommand({
  usage: 'npm run tool --',
  summary: 'Does one thing.',
  options: {
    only: { type: 'string', arg: 'PATTERN', help: 'only the matching tests' },
    jobs: { type: 'int', arg: 'N', help: 'runs at a time' },
    timeout: { type: 'int', arg: 'S', help: 'limit of one run', default: 60 },
    retries: { type: 'int', arg: 'N', help: 'tries after a failure', min: 0, default: 1 },
    corpus: { type: 'choice', choices: ['own', 'ocaml', 'all'], help: 'which tests', default: 'all' },
    backend: { type: 'choice', choices: ['byte', 'native'], help: 'one backend' },
    quick: { type: 'boolean', help: 'a sample' },
    'no-build': { type: 'boolean', help: 'as it is' },
  },
});

/** The UsageError that parsing argv throws (the test fails if it throws none). */
function usageError(argv: string[]): UsageError {
  try {
    parseCommandLine(COMMAND, argv);
  } catch (e) {
    if (e instanceof UsageError) return e;
    throw e;
  }
  throw new Error(`no UsageError for ${JSON.stringify(argv)}`);
}

describe('parseCommandLine', () => {
  it('gives defaults, false booleans and undefined for what is not given', () => {
    expect(parseCommandLine(COMMAND, [])).toEqual({
      only: undefined,
      jobs: undefined,
      timeout: 60,
      retries: 1,
      corpus: 'all',
      backend: undefined,
      quick: false,
      'no-build': false,
    });
  });

  it('reads values separate or after =, and the last of a repeated option', () => {
    const v = parseCommandLine(COMMAND, ['--only', 'gc', '--jobs=3', '--timeout', '5', '--timeout', '7', '--corpus', 'own', '--quick', '--no-build', '--retries', '0']);
    expect(v).toMatchObject({ only: 'gc', jobs: 3, timeout: 7, corpus: 'own', quick: true, 'no-build': true, retries: 0 });
    // A value that starts with '-' is taken when written with '='.
    expect(parseCommandLine(COMMAND, ['--only=-x']).only).toBe('-x');
  });

  it.each([
    [['--jobs', 'abc'], '--jobs must be a whole number >= 1, not "abc"'],
    [['--jobs', '0'], '--jobs must be a whole number >= 1, not "0"'],
    [['--jobs', '2.5'], '--jobs must be a whole number >= 1, not "2.5"'],
    [['--jobs', '1e3'], '--jobs must be a whole number >= 1, not "1e3"'],
    [['--jobs', ' 4'], '--jobs must be a whole number >= 1, not " 4"'],
    [['--jobs', '99999999999999999999'], '--jobs must be a whole number >= 1, not "99999999999999999999"'],
    [['--jobs=-3'], '--jobs must be a whole number >= 1, not "-3"'],
    [['--retries=-1'], '--retries must be a whole number >= 0, not "-1"'],
  ])('rejects a malformed whole number: %j', (argv, message) => {
    expect(usageError(argv).message).toBe(message);
  });

  it('rejects a choice it does not know, naming the choices', () => {
    expect(usageError(['--corpus', 'mine']).message).toBe('--corpus must be one of own, ocaml, all, not "mine"');
    expect(usageError(['--backend=Byte']).message).toBe('--backend must be one of byte, native, not "Byte"');
  });

  it('rejects unknown options, long or short', () => {
    expect(usageError(['--no-such-option']).message).toBe('unknown option --no-such-option');
    expect(usageError(['--quick', '-x']).message).toBe('unknown option -x');
    // Not a property of every object.
    expect(usageError(['--constructor']).message).toBe('unknown option --constructor');
  });

  it('rejects positional arguments, also after --', () => {
    expect(usageError(['gc']).message).toBe('unexpected argument "gc": this command takes options only');
    expect(usageError(['--', 'gc']).message).toBe('unexpected argument "gc": this command takes options only');
  });

  it('rejects a missing value, an empty one, and an option where the value should be', () => {
    expect(usageError(['--jobs']).message).toBe('--jobs needs a value');
    expect(usageError(['--only=']).message).toBe('--only needs a value');
    expect(usageError(['--only', '--quick']).message).toBe('--only is followed by "--quick", an option: write --only=--quick if that is the value');
  });

  it('rejects a value given to a boolean option', () => {
    expect(usageError(['--quick=yes']).message).toBe('--quick takes no value, not "yes"');
  });

  it('reports the first problem in argv order, with the way to the help as hint', () => {
    const e = usageError(['--corpus', 'x', '--bad']);
    expect(e.message).toBe('unknown option --bad');
    expect(e.hint).toBe('see npm run tool -- --help');
  });

  it('keeps every message on one line, whatever the value holds', () => {
    expect(usageError(['--jobs', 'a\nb']).message).not.toContain('\n');
    expect(usageError(['x\ny']).message).not.toContain('\n');
  });

  it('answers --help or -h with the help text, wherever it stands, even beside a malformed option', () => {
    for (const argv of [['--help'], ['-h'], ['--jobs', 'abc', '--help'], ['--nope', '-h']]) {
      let shown: unknown;
      try {
        parseCommandLine(COMMAND, argv);
      } catch (e) {
        shown = e;
      }
      expect(shown, JSON.stringify(argv)).toBeInstanceOf(HelpShown);
      expect((shown as HelpShown).text).toBe(helpText(COMMAND));
    }
  });
});

describe('helpText', () => {
  const text = helpText(COMMAND);
  const lines = text.split('\n');

  it('starts with the usage line and the summary', () => {
    expect(lines.slice(0, 3)).toEqual(['usage: npm run tool -- [options]', '', 'Does one thing.']);
  });

  it('lists every option with its argument, its help and its default, and --help', () => {
    const row = (option: string) => lines.find((l) => l.trimStart().startsWith(option)) ?? '';
    for (const [name, spec] of Object.entries(COMMAND.options)) expect(row(`--${name}`), name).toContain(spec.help);
    expect(row('--only')).toMatch(/^ {2}--only PATTERN +only the matching tests$/);
    expect(row('--timeout')).toMatch(/--timeout S +limit of one run \(default: 60\)$/);
    expect(row('--corpus')).toMatch(/--corpus own\|ocaml\|all +which tests \(default: all\)$/);
    expect(row('--quick')).toMatch(/--quick +a sample$/);
    expect(row('-h, --help')).toMatch(/print this help and exit$/);
    expect(lines.filter((l) => l.startsWith('  -')).length).toBe(Object.keys(COMMAND.options).length + 1);
  });

  it('aligns the help column', () => {
    const starts = lines.filter((l) => l.startsWith('  -')).map((l) => /^ {2}\S+(?: \S+)* {2,}/.exec(l)![0].length);
    expect(new Set(starts).size).toBe(1);
  });

  it('has the usage line and --help for a command without options', () => {
    const bare = helpText(defineCommand({ usage: 'npm run x --', summary: 'S.', options: {} }));
    expect(bare.split('\n')).toEqual(['usage: npm run x -- [options]', '', 'S.', '', 'options:', '  -h, --help  print this help and exit']);
  });
});

describe('parseList', () => {
  const modes = ['byte', 'native', 'byte/gc-stress'];

  it('splits a comma list, trimming and dropping empty items', () => {
    expect(parseList('modes', 'byte, native,,byte/gc-stress', modes, 'u --')).toEqual(['byte', 'native', 'byte/gc-stress']);
  });

  it('rejects names it does not know, listing the known ones', () => {
    expect(() => parseList('modes', 'byte,nativ,x', modes, 'u --')).toThrow(new UsageError('--modes: unknown nativ, x (known: byte, native, byte/gc-stress)', 'u --'));
  });

  it('rejects an empty list', () => {
    expect(() => parseList('modes', ' , ', modes, 'u --')).toThrow('--modes needs at least one name');
  });
});

describe('requireSelection', () => {
  it('passes a filter that selects something', () => {
    expect(() => requireSelection(['own/gc'], '--only gc', 'u --')).not.toThrow();
  });

  it('fails a filter that selects nothing, as a UsageError naming it', () => {
    let error: unknown;
    try {
      requireSelection([], '--only nothing', 'npm run crosstest --');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe('--only nothing selects nothing');
    expect((error as UsageError).hint).toBe('see npm run crosstest -- --help');
  });
});
