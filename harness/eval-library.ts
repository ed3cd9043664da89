import { join } from 'node:path';

/*
 * The Eval library of the series (patch 0029, ocamleval.cmxa in compiler-libs): how its documentation
 * (toplevel/opt/eval.mli) says a program that uses it is linked. The example programs, crosstest's native+eval hosts
 * and the bench's host are all linked so.
 */

/** The flags of the documented command line: -linkall gives scripts the whole standard library. */
export const EVAL_LINK_FLAGS = ['-linkall', '-I', '+compiler-libs', '-I', '+dynlink'] as const;

/** Its archives, in link order, after the program's other libraries. */
export const EVAL_ARCHIVES = ['ocamlcommon.cmxa', 'ocamlbytecomp.cmxa', 'dynlink.cmxa', 'dynlink_guest.cmxa', 'ocamleval.cmxa'] as const;

/** Where ocamleval.cmxa is, given the standard library directory of an install. */
export function evalLibraryIn(stdlibDir: string): string {
  return join(stdlibDir, 'compiler-libs', 'ocamleval.cmxa');
}
