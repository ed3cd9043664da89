import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { WorkbenchError } from '../errors.ts';
import type { Family, PluginFormat } from './mode.ts';

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

/** Where a library cannot run, by mode (base names) and by family, each with the reason. */
export interface LibraryLimits {
  modes?: Readonly<Record<string, string>>;
  families?: Readonly<Partial<Record<Family, string>>>;
}

/**
 * The modes a library of the distribution cannot run in (found by trying;
 * testsuite/threads/test.json says the same of its own test): a test that
 * links it is skipped there with the reason (`libraryLimits`).
 */
export const LIBRARY_LIMITS: Readonly<Record<string, LibraryLimits>> = {
  threads: {
    // The toplevels run it: they link it natively and bind threads.cma to it (patch 0023).
    modes: {
      'byte+cmxs':
        'it links threads, which exists only as bytecode for a bytecode host (threads.cma; no threads.cmxs is installed), and the threads library of bytecode cannot run in the guest of the native runtime, where ocamlrun.crossload runs the host (patch 0020: its stub library dllthreads.so says it manages the state of ocamlrun, and the native runtime refuses to open it: "this stub library manages the state of ocamlrun and cannot be used by the native runtime")',
    },
  },
};

/** The modes and families that `libraries` together cannot run in (the first library's reason wins). */
export function libraryLimits(libraries: readonly string[]): { modes: Record<string, string>; families: Partial<Record<Family, string>> } {
  const modes: Record<string, string> = {};
  const families: Partial<Record<Family, string>> = {};
  for (const lib of libraries) {
    for (const [mode, why] of Object.entries(LIBRARY_LIMITS[lib]?.modes ?? {})) modes[mode] ??= why;
    for (const [family, why] of Object.entries(LIBRARY_LIMITS[lib]?.families ?? {}) as Array<[Family, string]>) families[family] ??= why;
  }
  return { modes, families };
}

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
