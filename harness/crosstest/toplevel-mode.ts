import type { Compiler, Mode, PluginFormat } from './mode.ts';
import { probeMode } from './probe.ts';
import { buildToplevelProgram, hasToplevel, runToplevelProgram, type Toplevel } from './toplevel-program.ts';

/**
 * A mode where a toplevel runs the test's host as a script and loads the
 * plugins as #load does. Loading bytecode into `ocaml` is stock behaviour;
 * everything else is probed and skipped with the reason until the series can do it.
 * With `compiler` = 'stock', the toplevel and the plugins are pristine 5.3.0's (modes/toplevel-stock.ts).
 */
export function toplevelMode(name: string, toplevel: Toplevel, plugin: PluginFormat, compiler: Compiler = 'patched'): Mode {
  const stock = toplevel === 'ocaml' && plugin === 'cmo';
  const probes = new Map<string, Promise<string | undefined>>();
  const mode: Mode = {
    name,
    compiler,
    pluginFormat: plugin,
    family: 'toplevel',
    // Programs built by another compiler are another build.
    buildKey: compiler === 'stock' ? `stock-toplevel+${plugin}` : `toplevel+${plugin}`,
    unavailable(tc) {
      if (!hasToplevel(tc, toplevel)) return Promise.resolve(`no ${toplevel} in ${tc.prefix}/bin`);
      if (stock) return Promise.resolve(undefined);
      if (!probes.has(tc.prefix)) probes.set(tc.prefix, probeMode(mode, tc));
      return probes.get(tc.prefix)!;
    },
    build: (ctx) => buildToplevelProgram(ctx, plugin),
    run: (ctx) => runToplevelProgram(ctx, toplevel, plugin),
  };
  return mode;
}
