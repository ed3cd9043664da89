import { WorkbenchError } from './errors.ts';
import { haveCommand } from './exec.ts';

/** Tools the OCaml build needs, checked up front so a missing one gets one clear message. */
const REQUIRED: Array<[command: string, why: string]> = [
  ['git', 'manages ocaml-src/ and the patch series'],
  ['make', 'builds OCaml'],
  ['cc', 'compiles the OCaml runtime (a C compiler, e.g. gcc)'],
];

export async function checkBuildTools(): Promise<void> {
  const missing: string[] = [];
  for (const [command, why] of REQUIRED) if (!(await haveCommand(command))) missing.push(`${command} (${why})`);
  if (missing.length > 0) {
    throw new WorkbenchError(
      `missing tools: ${missing.join(', ')}`,
      'Install them (on Debian: apt-get install git make gcc), then run again. Nothing was changed.',
    );
  }
}
