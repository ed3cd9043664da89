import { existsSync, readFileSync } from 'node:fs';
import { WorkbenchError } from '../errors.ts';
import type { CaseResult } from './results.ts';

export interface KnownFailure {
  /** Test names with one cause; a name ending in `*` is a prefix (e.g. `ocaml/effects/*`). */
  tests: string[];
  modes: string[];
  reason: string;
}

function matches(pattern: string, name: string): boolean {
  return pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : pattern === name;
}

/** testsuite/known-failures.json: every entry must say why. */
export function loadKnownFailures(file: string): KnownFailure[] {
  if (!existsSync(file)) return [];
  const entries = (JSON.parse(readFileSync(file, 'utf8')) as { entries: KnownFailure[] }).entries;
  for (const e of entries) {
    if (!e.reason?.trim()) throw new WorkbenchError(`${file}: the entry for ${e.tests?.join(', ')} has no reason`, 'Every known failure must say why it fails.');
  }
  return entries;
}

/**
 * A failure listed with its reason becomes 'known' (reported, not counted as
 * failed, never as passed); a listed case that passes is flagged so its entry
 * can be removed.
 */
export function applyKnownFailures(results: CaseResult[], known: readonly KnownFailure[]): CaseResult[] {
  return results.map((r) => {
    const entry = known.find((k) => k.tests.some((t) => matches(t, r.test)) && k.modes.includes(r.mode));
    if (!entry) return r;
    if (r.status === 'failed' || r.status === 'timeout') return { ...r, status: 'known', reason: `known failure: ${entry.reason} (observed: ${r.reason})` };
    if (r.status === 'passed') return { ...r, reason: 'listed in known-failures.json but passes: remove the entry' };
    return r;
  });
}
