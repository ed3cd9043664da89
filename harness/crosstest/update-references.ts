import { existsSync } from 'node:fs';
import { WorkbenchError } from '../errors.ts';
import { writeIfChanged } from '../series-file.ts';
import type { Mode } from './mode.ts';
import type { CaseResult } from './results.ts';
import { expectedOutput, type TestCase } from './test-case.ts';

/**
 * The modes whose output defines the references: the pure runs, and for the toplevel family pristine 5.3.0's
 * `ocaml` (toplevel.stock), never a toplevel of the series. Crossloaded runs are only compared.
 */
export const REFERENCE_MODES = ['byte', 'native', 'toplevel.stock'];

/**
 * `--update`: rewrites the references of the project's own tests from what
 * the pure modes printed, each into the file that mode reads. When two pure
 * modes read the same file but printed different things nothing is guessed
 * and nothing is written: a more specific reference must be added by hand.
 * Returns the files whose content changed; review them with `git diff`.
 */
export function updateReferences(tests: readonly TestCase[], modes: readonly Mode[], results: readonly CaseResult[]): string[] {
  const wanted = new Map<string, { text: string; from: string }>();
  const conflicts: string[] = [];
  for (const test of tests.filter((t) => t.output === 'separate')) {
    for (const mode of modes.filter((m) => REFERENCE_MODES.includes(m.name))) {
      const observed = results.find((x) => x.test === test.name && x.mode === mode.name)?.observed;
      if (!observed) continue;
      for (const stream of ['stdout', 'stderr'] as const) {
        const { file } = expectedOutput(test, stream, mode);
        const prior = wanted.get(file);
        if (prior && prior.text !== observed[stream]) conflicts.push(`${test.name}: ${prior.from} and ${mode.name} print different ${stream} but share ${file}`);
        else wanted.set(file, { text: observed[stream], from: mode.name });
      }
    }
  }
  if (conflicts.length > 0) {
    throw new WorkbenchError(
      `--update cannot decide, nothing written:\n  ${conflicts.join('\n  ')}`,
      'Add a more specific reference (expected.<format>.* or expected.toplevel.*) by hand, then update again.',
    );
  }
  // No output and no file already mean the same: do not create empty references.
  return [...wanted]
    .filter(([file, { text }]) => (text !== '' || existsSync(file)) && writeIfChanged(file, text))
    .map(([file]) => file);
}
