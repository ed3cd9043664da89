import type { Mode, PluginFormat } from './mode.ts';
import { probeMode } from './probe.ts';
import { buildToplevelProgram, hasToplevel, runToplevelProgram, type Toplevel } from './toplevel-program.ts';

/**
 * A mode where a toplevel runs the test's host as a script and loads the
 * plugins as #load does. Loading bytecode into `ocaml` is stock behaviour;
 * everything else is probed and skipped with the reason until the series can do it.
 */
export function toplevelMode(name: string, toplevel: Toplevel, plugin: PluginFormat): Mode {
  const stock = toplevel === 'ocaml' && plugin === 'cmo';
  const probes = new Map<string, Promise<string | undefined>>();
  const mode: Mode = {
    name,
    pluginFormat: plugin,
    family: 'toplevel',
    buildKey: `toplevel+${plugin}`,
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
