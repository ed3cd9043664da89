import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { EVAL_ARCHIVES, EVAL_LINK_FLAGS } from './eval-library.ts';
import { run } from './exec.ts';
import type { Outcome } from './outcomes.ts';

/*
 * The examples of examples/: native programs that users would write with the series' libraries, each built with the
 * one command line its documentation gives and run on its inputs against its expected output. A run's PATH is an
 * empty directory: the programs need no assembler, linker or other program at run time.
 */

/** examples/<name>/example.json */
export interface ExampleSpec {
  description: string;
  /** Sources in link order, the last being the main program. */
  sources: string[];
  runs: { arguments: string[]; expected: string }[];
}

export function parseExampleSpec(json: unknown, where: string): ExampleSpec {
  const fail = (why: string): never => {
    throw new Error(`${where}: ${why}`);
  };
  if (typeof json !== 'object' || json === null) fail('not an object');
  const o = json as Record<string, unknown>;
  const strings = (v: unknown, field: string): string[] =>
    Array.isArray(v) && v.every((s) => typeof s === 'string') ? (v as string[]) : fail(`${field} must be a list of strings`);
  if (typeof o.description !== 'string') fail('description must be a string');
  const sources = strings(o.sources, 'sources');
  if (sources.length === 0) fail('sources is empty');
  if (!Array.isArray(o.runs) || o.runs.length === 0) fail('runs must be a non-empty list');
  const runs = (o.runs as unknown[]).map((r, i) => {
    const ro = (typeof r === 'object' && r !== null ? r : fail(`runs[${i}] is not an object`)) as Record<string, unknown>;
    if (typeof ro.expected !== 'string') fail(`runs[${i}].expected must be a file name`);
    return { arguments: strings(ro.arguments ?? [], `runs[${i}].arguments`), expected: ro.expected as string };
  });
  return { description: o.description as string, sources, runs };
}

/** The command line of the Eval library's documentation (toplevel/opt/eval.mli), for these sources. */
export function evalLinkArguments(sources: readonly string[], output: string): string[] {
  return [...EVAL_LINK_FLAGS, ...EVAL_ARCHIVES, ...sources, '-o', output];
}

export interface ExampleResult {
  name: string;
  /** `build`, or the arguments of a run */
  what: string;
  outcome: Outcome;
  /** Why it failed: the compiler's output, or a diff expected → observed. */
  detail?: string;
}

/** Builds and runs every example of `examplesDir` with the compilers of `bin`. */
export async function runExamples(examplesDir: string, bin: string): Promise<ExampleResult[]> {
  const results: ExampleResult[] = [];
  const names = readdirSync(examplesDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(examplesDir, d.name, 'example.json')))
    .map((d) => d.name)
    .sort();
  for (const name of names) {
    const dir = join(examplesDir, name);
    const spec = parseExampleSpec(JSON.parse(readFileSync(join(dir, 'example.json'), 'utf8')), join(dir, 'example.json'));
    const work = mkdtempSync(join(tmpdir(), `example-${name}-`));
    try {
      cpSync(dir, work, { recursive: true });
      const built = await run(join(bin, 'ocamlopt'), evalLinkArguments(spec.sources, name), {
        cwd: work,
        mergeOutput: true,
        timeoutMs: 300_000,
      });
      if (built.exitCode !== 0 || built.timedOut) {
        results.push({ name, what: 'build', outcome: 'failed', detail: built.stdout });
        continue;
      }
      results.push({ name, what: 'build', outcome: 'passed' });
      // No program on PATH: neither assembler nor linker is reachable.
      const emptyBin = join(work, '.empty-path');
      mkdirSync(emptyBin);
      for (const r of spec.runs) {
        const what = r.arguments.join(' ');
        const ran = await run(join(work, name), r.arguments, { cwd: work, env: { PATH: emptyBin }, timeoutMs: 60_000 });
        const expected = readFileSync(join(dir, r.expected), 'utf8');
        const problems: string[] = [];
        if (ran.timedOut) problems.push('timed out');
        if (ran.exitCode !== 0) problems.push(`exit status ${ran.exitCode}`);
        if (ran.stderr !== '') problems.push(`stderr: ${ran.stderr}`);
        if (ran.stdout !== expected) problems.push(createTwoFilesPatch(r.expected, 'observed', expected, ran.stdout));
        results.push(problems.length === 0 ? { name, what, outcome: 'passed' } : { name, what, outcome: 'failed', detail: problems.join('\n') });
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  return results;
}
