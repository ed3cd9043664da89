/**
 * An error the user can act on: `message` says what is wrong, `hint` what to do.
 * Entry points print these without a stack trace; anything else is a bug and keeps its trace.
 */
export class WorkbenchError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'WorkbenchError';
  }
}
