import { styleText } from 'node:util';
import { WorkbenchError } from './errors.ts';

/**
 * Runs an entry point: a WorkbenchError prints as "what is wrong" + "what to
 * do" and exits 1; anything else is a bug and keeps its stack trace.
 */
export function main(fn: () => Promise<number | void>): void {
  fn().then(
    (code) => process.exit(code ?? 0),
    (e: unknown) => {
      if (e instanceof WorkbenchError) {
        console.error(`${styleText('red', 'error:')} ${e.message}`);
        if (e.hint) console.error(`${styleText('yellow', 'what to do:')} ${e.hint}`);
      } else {
        console.error(e);
      }
      process.exit(1);
    },
  );
}
