import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { libraryIncludes } from './libraries.ts';
import type { PluginFormat } from './mode.ts';
import type { CompileFlags, TestCase } from './mode.ts';

/** One compiler invocation, run in the test's work directory. */
export interface CompileStep {
  tool: 'ocamlc' | 'ocamlopt';
  args: string[];
}

/**
 * How one plugin source of a test becomes a loadable file, the same in the
 * Dynlink and the toplevel modes; `includeDir` holds the host's .cmi files.
 *
 * - `x.ml` → `x.cmo` or `x.cmxs`; with the test's `archive` option, the .cmo
 *   is then packed alone into `x.cma` (`ocamlc -a`), and the hosts load that
 *   instead: the library path of Dynlink and #load (table of contents, then
 *   each unit) is tested by the same test in every bytecode-plugin mode
 *   (byte, native+cmo, toplevel, toplevel.opt), against the same reference,
 *   while the other tests keep the .cmo path. .cmxs plugins are unaffected,
 *   and so is native+eval, which builds no plugin (eval-program.ts).
 * - `x.mli` → `x.cmi`, nothing to load. The current directory comes first in
 *   the load path, so plugins listed after it are compiled against it rather
 *   than the host's interface of the same name: the way to build a plugin
 *   against a stale interface (Dynlink.Error Inconsistent_import).
 *
 * Plugins see the host's `libraries` (`-I +L` each, after the host's
 * directory); they link nothing: the host has the libraries. A test's own
 * compiler flags (`flags`: ocamltest's `flags`, then `ocamlc_flags` or
 * `ocamlopt_flags`) come after the harness's; an interface is compiled by
 * ocamlc in both formats, with the flags of both compilers only.
 */
export function pluginSteps(
  src: string,
  format: PluginFormat,
  includeDir: string,
  archive = false,
  libraries: readonly string[] = [],
  flags: CompileFlags = {},
): CompileStep[] {
  const common = ['-g', '-I', includeDir, ...libraryIncludes(libraries), ...(flags.all ?? [])];
  if (src.endsWith('.mli')) return [{ tool: 'ocamlc', args: [...common, '-c', src] }];
  const own = [...common, ...(flags[format] ?? [])];
  const base = src.replace(/\.ml$/, '');
  if (format === 'cmxs') return [{ tool: 'ocamlopt', args: [...own, '-shared', '-o', `${base}.cmxs`, src] }];
  const cmo: CompileStep = { tool: 'ocamlc', args: [...own, '-c', src] };
  return archive ? [cmo, { tool: 'ocamlc', args: ['-a', '-o', `${base}.cma`, `${base}.cmo`] }] : [cmo];
}

/** The steps of every plugin source of `test` in `format`, in order (see `pluginSteps`). */
export function testPluginSteps(test: TestCase, format: PluginFormat, includeDir: string): CompileStep[] {
  return test.plugins.flatMap((src) => pluginSteps(src, format, includeDir, test.archive, test.host.libraries, test.compileFlags));
}

/** The extension the host loads plugins with (CROSSTEST_PLUGIN_EXT), as built by `pluginSteps`. */
export function pluginExt(test: Pick<TestCase, 'archive'>, format: PluginFormat): string {
  return format === 'cmo' && test.archive ? '.cma' : `.${format}`;
}

/** Copies the test's plugin sources and data files from its directory into `workDir` (created if need be), where they are built and run. */
export function copyTestFiles(test: Pick<TestCase, 'dir' | 'plugins' | 'dataFiles'>, workDir: string): void {
  mkdirSync(workDir, { recursive: true });
  for (const f of [...test.plugins, ...(test.dataFiles ?? [])]) cpSync(join(test.dir, f), join(workDir, f));
}
