import { buildDynlinkProgram, runDynlinkProgram, runsOnCrossloadRunner, type HostKind, type HostOptions } from './dynlink-program.ts';
import type { Mode, PluginFormat } from './mode.ts';
import { probeMode } from './probe.ts';
import { prebuiltRunner } from './runtime-variant.ts';
import { hasTool, onNormalRuntime } from './toolchain.ts';

/**
 * A mode where a Dynlink host of kind `host` loads the test's plugins in
 * `plugin` format. The pure modes (byte+cmo, native+cmxs) need only a stock
 * compiler; a crossloading mode is available when a probe shows the
 * installed compiler can do it, and is skipped with the probe's answer otherwise.
 * `opts` say how the host is linked (its opt-in at link time, if its
 * direction needs one; whether its libraries are native: dynlink-program.ts).
 * On a runtime variant (`--runtime d`), a host that ocamlrun.crossload runs needs that runner's variant build, and
 * the mode is skipped, saying so, where the prefix lacks it (runtime-variant.ts).
 */
export function dynlinkMode(name: string, host: HostKind, plugin: PluginFormat, opts: HostOptions = {}): Mode {
  const crossloading = (host === 'byte') !== (plugin === 'cmo');
  const probes = new Map<string, Promise<string | undefined>>();
  const mode: Mode = {
    name,
    compiler: 'patched',
    pluginFormat: plugin,
    family: 'program',
    buildKey: name,
    unavailable(tc) {
      if (!hasTool(tc, 'ocamlopt')) return Promise.resolve(`no ocamlopt in ${tc.prefix}`);
      if (runsOnCrossloadRunner(host, opts)) {
        const runner = prebuiltRunner(tc, 'ocamlrun.crossload', `${name} hosts`);
        if ('missing' in runner) return Promise.resolve(runner.missing);
      }
      if (!crossloading) return Promise.resolve(undefined);
      // On the normal runtime (toolchain.ts, onNormalRuntime): a runtime variant's failures are the tests'.
      if (!probes.has(tc.prefix)) probes.set(tc.prefix, probeMode(mode, onNormalRuntime(tc)));
      return probes.get(tc.prefix)!;
    },
    build: (ctx) => buildDynlinkProgram(ctx, host, plugin, opts),
    run: (ctx) => runDynlinkProgram(ctx, host, plugin, opts),
  };
  return mode;
}
