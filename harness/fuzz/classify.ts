/**
 * What a loader host did with a mutant. The host (harness/fuzz/host/fuzz_host.ml) prints one verdict line and exits
 * 0 (after a full major GC, so that memory the load corrupted makes both hosts crash alike, not only one that
 * happens to collect before it exits); anything else is a crash:
 * - loaded: exit 0 and `loaded`;
 * - refused: exit 0 and `refused: <Dynlink.error_message>` or `exception: <Printexc.to_string>`, a clean refusal;
 * - crashed: killed by a signal, a non-zero exit status (a runtime fatal error, an uncaught exception), a timeout,
 *   or exit 0 without a verdict line.
 */
export const VERDICTS = ['loaded', 'refused', 'crashed'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** A finished run of a host, as harness/exec.ts reports it. */
export interface RunObservation {
  exitCode: number;
  signal?: string;
  timedOut: boolean;
  stdout: string;
  stderr: string;
}

export interface Classified {
  verdict: Verdict;
  /** One line: the refusal message, or what the crash was (`SIGSEGV`, `exit 2: Fatal error: …`, `timeout`). */
  detail: string;
}

/** A verdict line. By its start only: a refusal quotes names read from the mutant, which may hold any byte (`\r`…). */
function isVerdictLine(line: string): boolean {
  return line === 'loaded' || line.startsWith('refused: ') || line.startsWith('exception: ');
}

/** The host's verdict line, if it printed one (the last, should the plugin print such lines too). */
export function verdictLine(stdout: string): string | undefined {
  return stdout.split('\n').filter(isVerdictLine).pop();
}

/** The first non-empty line of a text, cut to a readable length. */
export function firstLine(text: string, max = 200): string {
  const line = text.split('\n').find((l) => l.trim() !== '') ?? '';
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

export function classify(o: RunObservation, timeoutS: number): Classified {
  const err = firstLine(o.stderr);
  const withErr = (what: string) => (err ? `${what}: ${err}` : what);
  if (o.timedOut) return { verdict: 'crashed', detail: `timeout after ${timeoutS} s` };
  if (o.signal) return { verdict: 'crashed', detail: withErr(o.signal) };
  if (o.exitCode !== 0) return { verdict: 'crashed', detail: withErr(`exit ${o.exitCode}`) };
  const verdict = verdictLine(o.stdout);
  if (verdict === undefined) return { verdict: 'crashed', detail: withErr('exit 0 without a verdict line') };
  if (verdict === 'loaded') return { verdict: 'loaded', detail: 'loaded' };
  return { verdict: 'refused', detail: verdict };
}

/** A finding: the crossloading loader crashed on a mutant that the stock loader of the same file kind survived. */
export function isFinding(crossload: Verdict, stock: Verdict): boolean {
  return crossload === 'crashed' && stock !== 'crashed';
}

/**
 * A crash's kind, for grouping findings: its detail with the mutant's own names, addresses and numbers taken out
 * (`SIGSEGV`, `exit 2: Fatal error: exception Invalid_argument(#)`).
 */
export function crashSignature(detail: string): string {
  return detail
    .replace(/\/\S+/g, '<file>')
    .replace(/0x[0-9a-f]+/gi, '#')
    .replace(/\d+/g, '#');
}
