/**
 * Reads the log OCaml's testsuite writes (`testsuite/_log` of `make all`, or
 * the same format written by our runner): per test, its outcome. Follows
 * testsuite/summarize.awk, the upstream reader of that log, so both count
 * the same way.
 */
export type Outcome = 'passed' | 'skipped' | 'failed';

export interface TestResult {
  /** Test directory + file, relative to testsuite/: `tests/basic/arrays.ml`. */
  key: string;
  dir: string;
  file: string;
  outcome: Outcome;
  /** ocamltest's own word when it is not the outcome: `n/a`, `unexpected error (…)`. */
  detail?: string;
  /** Why it failed: the ` ... testing 'f' with …` lines and the tail of the dumped test log. */
  messages: string[];
}

export interface ParsedLog {
  tests: TestResult[];
  /** Infrastructure trouble (make errors, results without a test): the run cannot be trusted. */
  problems: string[];
}

/** How many lines of a failed test's dumped log (`> ` lines) to keep. */
const DUMP_TAIL = 20;

const RUNNING = /Running tests from '([^']*)'/;
const TESTING = /^ \.\.\. testing '([^']*)'(.*)$/;
const RESULT = /=> (passed|skipped|failed|n\/a|unexpected error.*)$/;

export function parseTestsuiteLog(text: string): ParsedLog {
  const results = new Map<string, TestResult>();
  const problems: string[] = [];
  let dir = '';
  let pending: { file: string; line: number } | undefined;
  let lastFailed: TestResult | undefined;
  let dump: string[] = [];

  const flushDump = () => {
    if (lastFailed && dump.length > 0) lastFailed.messages.push(...dump.slice(-DUMP_TAIL));
    dump = [];
  };
  const record = (file: string, word: string) => {
    const key = `${dir}/${file}`;
    const outcome: Outcome = word === 'passed' ? 'passed' : word === 'skipped' || word === 'n/a' ? 'skipped' : 'failed';
    const previous = results.get(key);
    // As summarize.awk: an "unexpected error" after a result (make's fallback line) only overrides a skip.
    if (word.startsWith('unexpected error') && previous && previous.outcome !== 'skipped') return;
    const result: TestResult = { key, dir, file, outcome, messages: [] };
    if (word !== outcome) result.detail = word;
    if (word.startsWith('unexpected error')) result.messages.push(word);
    results.set(key, result);
    lastFailed = outcome === 'failed' ? result : undefined;
  };
  const closePending = () => {
    if (pending) record(pending.file, 'unexpected error (no result line)');
    pending = undefined;
  };

  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.startsWith('> ')) {
      dump.push(line);
      return;
    }
    flushDump();
    const running = RUNNING.exec(line);
    if (running) {
      closePending();
      dir = running[1]!;
      lastFailed = undefined;
      return;
    }
    if (/ \.\.\. testing.* \.\.\. testing/.test(line)) problems.push(`line ${i + 1}: two test results on one line`);
    const testing = TESTING.exec(line);
    if (testing) {
      const [, file, rest] = testing as unknown as [string, string, string];
      if (rest.startsWith(' with ')) {
        // Why the test just reported failed (ocamltest prints these after its result line).
        closePending();
        const target = results.get(`${dir}/${file}`);
        // The steps that passed or never ran say nothing about the failure.
        if (target?.outcome === 'failed' && !/=> (passed|n\/a)$/.test(rest)) target.messages.push(line.trim());
        return;
      }
      closePending();
      const result = RESULT.exec(rest);
      if (result) record(file, result[1]!);
      else pending = { file, line: i + 1 };
      return;
    }
    const result = RESULT.exec(line);
    if (result) {
      if (pending) {
        record(pending.file, result[1]!);
        pending = undefined;
      } else problems.push(`line ${i + 1}: a test result without a test start`);
      return;
    }
    if (/make[^:]*: \*\*\* \[[^\]]*\] Error/.test(line)) problems.push(`line ${i + 1}: ${line.trim()}`);
  });
  flushDump();
  closePending();
  return { tests: [...results.values()], problems };
}

export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
  total: number;
}

export function countOutcomes(outcomes: Iterable<Outcome>): Counts {
  const c: Counts = { passed: 0, failed: 0, skipped: 0, total: 0 };
  for (const o of outcomes) {
    c[o]++;
    c.total++;
  }
  return c;
}
