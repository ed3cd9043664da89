import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TIMEOUTS } from '../timeouts.ts';
import { BuildFailed, type Mode, type ModeContext } from './mode.ts';
import type { Toolchain } from './toolchain.ts';

const EXPECTED = 'crossload probe ok';

/**
 * The compiler's answer names files in the probe's random temporary
 * directory: that path is replaced by `<probe>`, so the skip reasons (and the
 * reports) are the same from one run to the next.
 */
export function maskProbeDir(text: string): string {
  return text.replace(/[^\s'"()]*crosstest-probe-[A-Za-z0-9]+/g, '<probe>');
}

/**
 * Can the installed compiler run `mode` at all? Builds and runs a host that
 * loads a one-line plugin; undefined if it printed what it should, else the
 * compiler's own answer (first line), so a skipped mode says why.
 */
export async function probeMode(mode: Pick<Mode, 'build' | 'run'>, tc: Toolchain): Promise<string | undefined> {
  const dir = mkdtempSync(join(tmpdir(), 'crosstest-probe-'));
  try {
    const src = join(dir, 'src');
    mkdirSync(src);
    writeFileSync(join(src, 'main.ml'), 'let () = Crosstest.load "plugin"\n');
    writeFileSync(join(src, 'plugin.ml'), `let () = print_string "${EXPECTED}"\n`);
    const ctx: ModeContext = {
      test: { name: 'probe', dir: src, description: '', host: { key: 'probe', dir: src, sources: ['main.ml'] }, plugins: ['plugin.ml'], env: {}, status: 0, output: 'separate' },
      tc,
      workDir: join(dir, 'work'),
      hostsDir: join(dir, 'hosts'),
      logFile: join(dir, 'build.log'),
      timeoutMs: TIMEOUTS.probeMs,
      ocamlRunParam: '',
    };
    await mode.build(ctx);
    const r = await mode.run(ctx);
    if (r.status === 0 && r.stdout === EXPECTED) return undefined;
    const why = (r.stderr.trim() || r.stdout.trim() || `exit status ${r.status}`).split('\n')[0];
    return `the installed compiler cannot do it yet (probe: ${maskProbeDir(why)})`;
  } catch (e) {
    return `the installed compiler cannot do it yet (probe build: ${maskProbeDir(e instanceof BuildFailed ? (e.output.trim().split('\n').pop() ?? '') : String(e))})`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
