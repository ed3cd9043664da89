import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDynlinkProgram, runDynlinkProgram, type HostKind } from './dynlink-program.ts';
import { BuildFailed, type Mode, type PluginFormat } from './mode.ts';
import { hasTool, type Toolchain } from './toolchain.ts';

/**
 * A mode where a Dynlink host of kind `host` loads the test's plugins in
 * `plugin` format. The pure modes (byte+cmo, native+cmxs) need only a stock
 * compiler; a crossloading mode is available when a probe program shows the
 * installed compiler can do it, and is skipped with the probe's answer otherwise.
 */
export function dynlinkMode(name: string, host: HostKind, plugin: PluginFormat): Mode {
  const crossloading = (host === 'byte') !== (plugin === 'cmo');
  const probes = new Map<string, Promise<string | undefined>>();
  return {
    name,
    pluginFormat: plugin,
    buildKey: name,
    unavailable(tc) {
      if (!hasTool(tc, 'ocamlopt')) return Promise.resolve(`no ocamlopt in ${tc.prefix}`);
      if (!crossloading) return Promise.resolve(undefined);
      if (!probes.has(tc.prefix)) probes.set(tc.prefix, probe(tc, host, plugin));
      return probes.get(tc.prefix)!;
    },
    build: (ctx) => buildDynlinkProgram(ctx, host, plugin),
    run: (ctx) => runDynlinkProgram(ctx, host, plugin),
  };
}

const PROBE_PLUGIN = 'let () = print_string "crossload probe ok"\n';

/** Builds and runs a one-line plugin in this mode; undefined if it printed what it should. */
async function probe(tc: Toolchain, host: HostKind, plugin: PluginFormat): Promise<string | undefined> {
  const dir = mkdtempSync(join(tmpdir(), 'crosstest-probe-'));
  try {
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'main.ml'), 'let () = Crosstest.load "plugin"\n');
    writeFileSync(join(dir, 'src', 'plugin.ml'), PROBE_PLUGIN);
    const src = join(dir, 'src');
    const ctx = {
      test: { name: 'probe', dir: src, description: '', host: { key: 'probe', dir: src, sources: ['main.ml'] }, plugins: ['plugin.ml'], env: {}, status: 0, output: 'separate' as const },
      tc,
      workDir: join(dir, 'work'),
      hostsDir: join(dir, 'hosts'),
      logFile: join(dir, 'build.log'),
      timeoutMs: 30_000,
      ocamlRunParam: '',
    };
    await buildDynlinkProgram(ctx, host, plugin);
    const r = await runDynlinkProgram(ctx, host, plugin);
    if (r.status === 0 && r.stdout === 'crossload probe ok') return undefined;
    const why = (r.stderr.trim() || r.stdout.trim() || `exit status ${r.status}`).split('\n')[0];
    return `the installed compiler cannot do it yet (probe: ${why})`;
  } catch (e) {
    return `the installed compiler cannot do it yet (probe build: ${e instanceof BuildFailed ? e.output.trim().split('\n').pop() : String(e)})`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
