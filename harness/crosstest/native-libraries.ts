import { isAbsolute, join } from 'node:path';
import { libraryArchives, libraryIncludes } from './libraries.ts';
import type { CompileStep } from './plugins.ts';

/** The generic loader of a host with native libraries (testsuite/_support). */
export const LOADER = 'crosstest_loader.ml';

/** The environment variable through which the loader gets its files (':'-separated, in order). */
export const LOADER_ENV = 'CROSSTEST_HOST_UNITS';

/**
 * The environment variable that names, among those files, the installed library .cmxs (':'-separated): the loader
 * skips one whose units the program already links natively (Dynlink's Module_already_loaded), as ocamlrun.crossload
 * links unix and threads for the toplevel (patch 0023); its native units then serve the program and the plugins.
 */
export const LOADER_LIBRARIES_ENV = 'CROSSTEST_HOST_LIBRARIES';

/** A host built as native libraries plus a bytecode main unit. */
export interface NativeLibrariesHost {
  /** Compiler invocations, in order, in the host's directory (it holds the sources and the loader). */
  steps: CompileStep[];
  /** What the loader loads, in order: each library as a .cmxs, then the main unit as a .cmo. */
  load: string[];
  /** The installed library .cmxs at the head of `load` (absolute paths). */
  libraries: string[];
}

/**
 * The host of byte+cmxs (a bytecode program loading .cmxs plugins). Native
 * code links only against native units, so a .cmxs plugin cannot use a unit
 * the program has only as bytecode (docs/crossload.md, the design limit):
 * the host's library units (every source but the last, as in the toplevel
 * modes, toplevel-program.ts; here the crosstest support, the test's Api,
 * OCaml's Testing) are built as .cmxs, as a user of native plugins would
 * have them, and the main unit as a .cmo. A tiny generic bytecode program,
 * linked with `linkFlags` (`-crossload`), loads them all with
 * Dynlink.loadfile (crosstest_loader.ml): the main unit then runs as
 * bytecode and loads the test's .cmxs plugins, which find the libraries
 * native. The loader is linked with -linkall, as the other hosts are: a
 * .cmo loaded by Dynlink can only use the Stdlib units the program links
 * (else Undefined_global "compilation unit `CamlinternalOO'").
 * `files` are the host's sources in link order (basenames).
 *
 * The test's `libraries` (e.g. unix, str) are loaded first, as the
 * installed native `L.cmxs` that `installedCmxs` finds (an absolute path),
 * like the host's own library units, so the .cmxs plugins can use them.
 * When one of them has no .cmxs installed (threads), they are all linked
 * into the loader as bytecode archives (`L.cma`, which may need the ones
 * before), as into any bytecode host: the program's bytecode can use them,
 * but a .cmxs plugin cannot (the design limit above). Every unit is
 * compiled with `-I +L`.
 */
export function nativeLibrariesHost(
  files: readonly string[],
  linkFlags: readonly string[],
  libraries: readonly string[] = [],
  installedCmxs: (lib: string) => string | undefined = () => undefined,
): NativeLibrariesHost {
  const main = files.at(-1);
  if (main === undefined || !main.endsWith('.ml')) throw new Error(`a host's last source must be its main .ml, not ${main ?? 'nothing'}`);
  const common = ['-g', '-I', '+dynlink', ...libraryIncludes(libraries)];
  const steps: CompileStep[] = [];
  const cmxs = libraries.map(installedCmxs);
  const native = cmxs.every((f) => f !== undefined);
  const libraryFiles: string[] = native ? (cmxs as string[]) : [];
  const load: string[] = [...libraryFiles];
  for (const f of files.slice(0, -1)) {
    if (f.endsWith('.ml')) {
      const cmxs = f.replace(/\.ml$/, '.cmxs');
      steps.push({ tool: 'ocamlopt', args: [...common, '-shared', '-o', cmxs, f] });
      load.push(cmxs);
    } else {
      steps.push({ tool: 'ocamlc', args: [...common, '-c', f] });
    }
  }
  steps.push({ tool: 'ocamlc', args: [...common, '-c', main] });
  load.push(main.replace(/\.ml$/, '.cmo'));
  steps.push({ tool: 'ocamlc', args: [...common, ...linkFlags, '-linkall', ...libraryArchives(native ? [] : libraries, 'byte'), 'dynlink.cma', LOADER, '-o', 'host.exe'] });
  return { steps, load, libraries: libraryFiles };
}

/** The value of LOADER_ENV for a host built in `dir` (`load` names files in `dir`, or absolute paths). */
export function loaderEnv(dir: string, load: readonly string[]): string {
  const paths = load.map((f) => (isAbsolute(f) ? f : join(dir, f)));
  const bad = paths.find((p) => p.includes(':'));
  if (bad !== undefined) throw new Error(`${LOADER_ENV} is ':'-separated: cannot name ${bad}`);
  return paths.join(':');
}
