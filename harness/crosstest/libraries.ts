import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { WorkbenchError } from '../errors.ts';
import type { PluginFormat } from './mode.ts';

/**
 * Libraries of the compiler's distribution that a test's host links (its
 * test.json `libraries`, e.g. `["unix", "threads"]`), besides Dynlink which
 * every host links. Each library `L` is found as OCaml 5 installs them: in
 * `+L`, as `L.cma`, `L.cmxa` and maybe `L.cmxs` (`+threads` holds
 * `threads.cma` and `threads.cmxa`, and no `threads.cmxs`). No ocamlfind:
 * the hosts and plugins are compiled with `-I +L`, and the archives are
 * passed to the linker in the order the test lists them.
 */

/** What a library needs listed before it (a link error otherwise: "No implementation provided for ... Unix"). */
export const LIBRARY_NEEDS: Readonly<Record<string, readonly string[]>> = { threads: ['unix'] };

const NAME = /^[a-z][a-z0-9_]*$/;

/**
 * Checks the `libraries` field of a test.json (`where` names it in
 * errors): a list of distinct library names, each after the libraries it
 * needs; not `dynlink`, which every host links already.
 */
export function parseLibraries(value: unknown, where: string): string[] {
  if (!Array.isArray(value)) throw new WorkbenchError(`${where}: "libraries" must be a list of library names, like ["unix", "threads"]`);
  const seen: string[] = [];
  for (const lib of value) {
    if (typeof lib !== 'string' || !NAME.test(lib)) throw new WorkbenchError(`${where}: "libraries" names ${JSON.stringify(lib)}, which is not a library name (like "unix")`);
    if (lib === 'dynlink') throw new WorkbenchError(`${where}: "libraries" needs no "dynlink": every host links it`);
    if (seen.includes(lib)) throw new WorkbenchError(`${where}: "libraries" lists "${lib}" twice`);
    const missing = (LIBRARY_NEEDS[lib] ?? []).filter((need) => !seen.includes(need));
    if (missing.length > 0) throw new WorkbenchError(`${where}: "libraries" must list ${missing.map((m) => `"${m}"`).join(', ')} before "${lib}", which needs it`);
    seen.push(lib);
  }
  return seen;
}

/** `-I +L` for each library: what hosts and plugins are compiled with. */
export function libraryIncludes(libraries: readonly string[]): string[] {
  return libraries.flatMap((lib) => ['-I', `+${lib}`]);
}

/** The archives linked into a bytecode (`L.cma`) or native (`L.cmxa`) program, in order. */
export function libraryArchives(libraries: readonly string[], kind: 'byte' | 'native'): string[] {
  return libraries.map((lib) => `${lib}.${kind === 'byte' ? 'cma' : 'cmxa'}`);
}

/** The installed `L.cmxs` of a library, if the distribution has one (unix has, threads has not). */
export function installedCmxs(stdlibDir: string, lib: string): string | undefined {
  const file = join(stdlibDir, lib, `${lib}.cmxs`);
  return existsSync(file) ? file : undefined;
}

/**
 * The toplevel directives that load the libraries at the top of a host
 * script: `#directory "+L";;` for each, then `#load "L.cma";;` in order;
 * with .cmxs plugins, a library's .cmxs where one is installed (`hasCmxs`),
 * as a user of native plugins would load it, and its .cma otherwise.
 */
export function toplevelLibraryDirectives(libraries: readonly string[], plugin: PluginFormat, hasCmxs: (lib: string) => boolean): string[] {
  return [
    ...libraries.map((lib) => `#directory "+${lib}";;\n`),
    ...libraries.map((lib) => `#load "${lib}.${plugin === 'cmxs' && hasCmxs(lib) ? 'cmxs' : 'cma'}";;\n`),
  ];
}
