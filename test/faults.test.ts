import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { faultCases, judgeFaultRun, observedLines, runFaults } from '../harness/faults.ts';

const FAULTS = join(fileURLToPath(new URL('..', import.meta.url)), 'faults');

describe('fault injection (npm run faults)', () => {
  it('lists the cases of faults/ that have their expected lines', () => {
    expect(faultCases(FAULTS)).toEqual(['late-raise', 'primitive-table', 'start-raises']);
  });

  it("keeps only the program's lines and the script's checks of a gdb session", () => {
    const session = [
      'Breakpoint 1, caml_crossload_init (unit=1) at runtime/crossload.c:2670',
      'load 1: Dynlink.Error error loading shared library: Out of memory',
      '[Inferior 1 (process 42) exited normally]',
      'plugin: 6',
      'gdb-check: the second start used the first one\'s arena: 1',
      'reload 2: not a line of the program',
      'load 2: ok',
    ].join('\n');
    expect(observedLines(session)).toBe(
      "load 1: Dynlink.Error error loading shared library: Out of memory\nplugin: 6\ngdb-check: the second start used the first one's arena: 1\nload 2: ok\n",
    );
  });

  const expected = 'load 1: Dynlink.Error error loading shared library: Out of memory\nload 2: ok\n';
  it('passes a session that printed the expected lines and ran its script to the end', () => {
    expect(judgeFaultRun('c', expected, { exitCode: 0, timedOut: false, stdout: expected }).outcome).toBe('passed');
  });

  it('fails a session that timed out (a lock left held), a failed command of the script, or other lines', () => {
    const hung = judgeFaultRun('c', expected, { exitCode: 137, timedOut: true, stdout: 'load 1: Dynlink.Error error loading shared library: Out of memory\n' });
    expect(hung.outcome).toBe('failed');
    expect(hung.detail).toMatch(/timed out/);
    const scriptFailed = judgeFaultRun('c', expected, { exitCode: 1, timedOut: false, stdout: expected });
    expect(scriptFailed.outcome).toBe('failed');
    expect(scriptFailed.detail).toMatch(/a command of the script failed/);
    const other = judgeFaultRun('c', expected, { exitCode: 0, timedOut: false, stdout: 'load 1: Dynlink.Error error loading shared library: Out of memory\nload 2: Out_of_memory\n' });
    expect(other.outcome).toBe('failed');
    expect(other.detail).toMatch(/^\+load 2: Out_of_memory$/m);
  });

  it('skips every case, not passes it, without gdb', async () => {
    const results = await runFaults(FAULTS, '/nonexistent/bin', 'no-such-gdb-on-this-machine');
    expect(results.map((r) => r.outcome)).toEqual(['skipped', 'skipped', 'skipped']);
  });
});
