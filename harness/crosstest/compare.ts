import { createTwoFilesPatch } from 'diff';
import type { Observed } from './mode.ts';

export interface Mismatch {
  what: 'stdout' | 'stderr' | 'status';
  /** 1-based line of the first difference (stdout/stderr). */
  firstLine?: number;
  /** Unified diff, expected → observed. */
  diff: string;
}

function firstDifferingLine(a: string, b: string): number {
  const la = a.split('\n');
  const lb = b.split('\n');
  let i = 0;
  while (i < la.length && i < lb.length && la[i] === lb[i]) i++;
  return i + 1;
}

/** Compares one run with the reference; an empty list means identical bytes and status. */
export function compareWithReference(
  expected: { stdout: { file: string; text: string }; stderr: { file: string; text: string }; status: number },
  observed: Observed,
  modeName: string,
  normalize: (text: string) => string = (t) => t,
): Mismatch[] {
  const out: Mismatch[] = [];
  for (const what of ['stdout', 'stderr'] as const) {
    const want = normalize(expected[what].text);
    const got = normalize(observed[what]);
    if (want !== got) {
      out.push({
        what,
        firstLine: firstDifferingLine(want, got),
        diff: createTwoFilesPatch(expected[what].file, `${modeName}/${what}`, want, got, 'reference', 'observed'),
      });
    }
  }
  if (expected.status !== observed.status) {
    out.push({ what: 'status', diff: `exit status: expected ${expected.status}, observed ${observed.status}` });
  }
  return out;
}
