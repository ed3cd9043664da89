import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { WorkbenchError } from '../errors.ts';
import type { Counts, Outcome } from './log-parser.ts';
import type { MachineFacts } from './machine.ts';

/**
 * The committed record of the pristine release's testsuite on this kind of
 * machine: what each test gave, and how that was obtained, so it can be
 * judged and remade (`npm run ocaml-testsuite -- --update-baseline`).
 */
export interface Baseline {
  $comment: string;
  madeBy: string;
  date: string;
  source: { version: string; tag: string; commit: string; integrity: string };
  configureFlags: string[];
  command: string;
  jobs: number;
  durationMs: number;
  machine: MachineFacts;
  totals: Counts;
  /** Per test directory: how long it took (orders later runs, longest first). */
  dirDurationsMs: Record<string, number>;
  /** Test key (directory/file under testsuite/) → outcome. */
  tests: Record<string, Outcome>;
}

export function baselinePath(root: string): string {
  return join(root, 'ocaml-testsuite', 'baseline.json');
}

export function readBaseline(file: string): Baseline {
  if (!existsSync(file)) {
    throw new WorkbenchError(`no testsuite baseline at ${file}`, 'Make it from the pristine release: npm run ocaml-testsuite -- --update-baseline (builds 5.3.0 unpatched, then runs the whole suite).');
  }
  return JSON.parse(readFileSync(file, 'utf8')) as Baseline;
}

/** Keys sorted, one test a line: a remade baseline diffs test by test. */
export function writeBaseline(file: string, b: Baseline): void {
  const sorted = <T>(r: Record<string, T>) => Object.fromEntries(Object.entries(r).sort(([a], [c]) => a.localeCompare(c)));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ ...b, dirDurationsMs: sorted(b.dirDurationsMs), tests: sorted(b.tests) }, null, 2)}\n`);
}
