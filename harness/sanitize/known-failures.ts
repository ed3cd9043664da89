import type { PassName } from './passes.ts';

/**
 * Failures of `npm run sanitize` that come from the TSan build itself, not from a race: each listed with its
 * reason, reported as *known* (harness/outcomes.ts: never counted as passed, not counted as failed). A test listed
 * here that passes is reported as passed, and its entry is then stale (the report says so). What a listed test
 * printed that looks like a TSan report (TSan's own CHECK failure, say) is still listed in the report, marked as
 * known, and does not fail the pass's TSan check; a report in a pass's log directory always does.
 *
 * The real fix of each is in ocaml-src/ (a `no-tsan;` in the test's header, or a reference of its own for TSan
 * builds); remove the entry with it.
 */
export interface SanitizeKnownFailure {
  pass: PassName;
  /** A test key of the testsuite pass (`tests/DIR/FILE.ml`), or `own/NAME [mode]` of the crosstest pass. */
  name: string;
  reason: string;
}

/**
 * None: lib-dynlink-crossload-domains/no_address_space.ml, which needs `ulimit -v` (under which a TSan program cannot
 * start), names `crossload-without-tsan;` first (patch 0019), and since patch 0014 resumes guest continuations from native code in TSan builds
 * as in the others, lib-dynlink-crossload-effects/main.ml has one reference for every build.
 */
export const SANITIZE_KNOWN_FAILURES: readonly SanitizeKnownFailure[] = [];

export function knownFailure(pass: PassName, name: string, list: readonly SanitizeKnownFailure[] = SANITIZE_KNOWN_FAILURES): SanitizeKnownFailure | undefined {
  return list.find((k) => k.pass === pass && k.name === name);
}
