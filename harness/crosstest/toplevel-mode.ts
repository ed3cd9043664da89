import type { Compiler, Mode, PluginFormat } from './mode.ts';
import { probeMode } from './probe.ts';
import { buildToplevelProgram, hasToplevel, runToplevelProgram, toplevelCommand, type Toplevel } from './toplevel-program.ts';
import { onNormalRuntime } from './toolchain.ts';

/**
 * A mode where a toplevel runs the test's host as a script and loads the
 * plugins as #load does. Loading bytecode into `ocaml` is stock behaviour;
 * everything else is probed and skipped with the reason until the series can do it.
 * With `compiler` = 'stock', the toplevel and the plugins are pristine 5.3.0's (modes/toplevel-stock.ts).
 * On a runtime variant (`--runtime d`) the toplevel runs on that runtime, or the mode is skipped saying why not
 * (toplevel-program.ts, toplevelCommand).
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
      const command = toplevelCommand(tc, toplevel);
      if ('missing' in command) return Promise.resolve(command.missing);
      if (stock) return Promise.resolve(undefined);
      // On the normal runtime (toolchain.ts, onNormalRuntime): a runtime variant's failures are the tests'.
      if (!probes.has(tc.prefix)) probes.set(tc.prefix, probeMode(mode, onNormalRuntime(tc)));
      return probes.get(tc.prefix)!;
    },
    build: (ctx) => buildToplevelProgram(ctx, plugin),
    run: (ctx) => runToplevelProgram(ctx, toplevel, plugin),
  };
  return mode;
}
