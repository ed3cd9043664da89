import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The installed compiler the tests run with. */
export interface Toolchain {
  prefix: string;
  bin: (tool: string) => string;
}

export function toolchain(prefix: string): Toolchain {
  return { prefix, bin: (tool) => join(prefix, 'bin', tool) };
}

/** The standard library directory (`ocamlc -where`), where `+L` names `<it>/L`. */
export function stdlibDir(tc: Toolchain): string {
  return join(tc.prefix, 'lib', 'ocaml');
}

export function hasTool(tc: Toolchain, tool: string): boolean {
  return existsSync(tc.bin(tool));
}

/**
 * The environment every test program runs in: fixed locale and time zone,
 * and OCAMLRUNPARAM fully decided by the mode (never inherited).
 */
export function runEnv(extra: Record<string, string>): Record<string, string> {
  return { LC_ALL: 'C', LANG: 'C', TZ: 'UTC', OCAMLRUNPARAM: '', CAMLRUNPARAM: '', ...extra };
}
