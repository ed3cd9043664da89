/**
 * listr2's animated renderer on a terminal; a plain line-per-event log when
 * the output is a file or a pipe, or under CI.
 */
export function rendererOptions(): { renderer: 'default' | 'simple'; fallbackRenderer: 'simple' } {
  const plain = !process.stdout.isTTY || Boolean(process.env.CI) || process.env.TERM === 'dumb';
  return { renderer: plain ? 'simple' : 'default', fallbackRenderer: 'simple' };
}
