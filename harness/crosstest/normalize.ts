import type { TestCase } from './test-case.ts';

/**
 * The one place where outputs are normalised before comparison: only what
 * differs by design, never what a crossloaded run could get wrong.
 *
 * - OCaml's own tests: CRLF line ends read as LF, as ocamltest's own
 *   comparison does (ocamltest/filecompare.ml), so references written on
 *   Windows compare as they do under ocamltest.
 */
export function normalizeOutput(test: TestCase, text: string): string {
  if (test.output === 'merged') return text.replace(/\r\n/g, '\n');
  return text;
}
