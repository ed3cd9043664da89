import { styleText } from 'node:util';
import { WorkbenchError } from './errors.ts';
import { HelpShown, UsageError } from './options.ts';

/** Exit status of a malformed command line (as getopt programs use). */
export const USAGE_EXIT_STATUS = 2;

/**
 * Runs an entry point: --help prints and exits 0; a UsageError prints one line and exits 2; a WorkbenchError
 * prints as "what is wrong" + "what to do" and exits 1; anything else is a bug and keeps its stack trace.
 */
export function main(fn: () => Promise<number | void>): void {
  fn().then(
    (code) => process.exit(code ?? 0),
    (e: unknown) => {
      if (e instanceof HelpShown) {
        console.log(e.text);
        process.exit(0);
      } else if (e instanceof UsageError) {
        // One line, whatever the message holds: what a caller (or a test) reads as the reason.
        console.error(`${styleText('red', 'error:')} ${e.message.replace(/\s*\n\s*/g, ' ')} (${e.hint})`);
        process.exit(USAGE_EXIT_STATUS);
      } else if (e instanceof WorkbenchError) {
        console.error(`${styleText('red', 'error:')} ${e.message}`);
        if (e.hint) console.error(`${styleText('yellow', 'what to do:')} ${e.hint}`);
      } else {
        console.error(e);
      }
      process.exit(1);
    },
  );
}
