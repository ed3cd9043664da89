import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { hostCommand } from '../harness/crosstest/dynlink-program.ts';
import { ALL_MODES } from '../harness/crosstest/modes/index.ts';
import { crosstestLabel, reportFiles, writeReports } from '../harness/crosstest/report.ts';
import {
  prebuiltRunner,
  requirePrefixRuntimeVariant,
  runtimeLinkFlags,
  runtimeRunParams,
  runtimeTag,
  variantProgramName,
} from '../harness/crosstest/runtime-variant.ts';
import { onNormalRuntime, programEnv, toolchain } from '../harness/crosstest/toolchain.ts';
import { shebangRunner, toplevelCommand } from '../harness/crosstest/toplevel-program.ts';

/** `crosstest --runtime d`: how programs are linked and started on the debug runtime, and the modes that cannot be. */

/** An installed prefix with empty stand-ins for the given bin/ files (`ocaml` gets a first line naming `ocamlRunner`). */
function fakePrefix(bin: string[], ocamlRunner = 'ocamlrun.crossload'): string {
  const prefix = mkdtempSync(join(tmpdir(), 'wb-prefix-'));
  mkdirSync(join(prefix, 'bin'));
  mkdirSync(join(prefix, 'lib', 'ocaml'), { recursive: true });
  for (const f of bin) writeFileSync(join(prefix, 'bin', f), f === 'ocaml' ? `#!${prefix}/bin/${ocamlRunner}\nbytecode…` : '');
  return prefix;
}

const mode = (name: string) => ALL_MODES.find((m) => m.name === name)!;

describe('crosstest --runtime d: linking and starting programs', () => {
  it('links hosts with -runtime-variant d, starts OCAMLRUNPARAM with v=0, and keeps their builds apart', () => {
    const d = toolchain('/p', 'd');
    const normal = toolchain('/p');
    expect([runtimeLinkFlags(d), runtimeLinkFlags(normal)]).toEqual([['-runtime-variant', 'd'], []]);
    expect([runtimeRunParams(d), runtimeRunParams(normal)]).toEqual(['v=0', '']);
    expect([runtimeTag(d), runtimeTag(normal)]).toEqual(['+runtime-d', '']);
    // The mode's GC stress and the test's own settings come after v=0.
    expect(programEnv({ env: {}, runParams: 'b=1' }, [runtimeRunParams(d), 's=4k,o=20'].join(','), {}).OCAMLRUNPARAM).toBe('v=0,s=4k,o=20,b=1');
    expect(programEnv({ env: {} }, [runtimeRunParams(normal), ''].join(','), {}).OCAMLRUNPARAM).toBe('');
    expect(onNormalRuntime(d)).toMatchObject({ prefix: '/p' });
    expect(onNormalRuntime(d).runtime).toBeUndefined();
    expect([variantProgramName('ocamlrun.crossload', 'd'), variantProgramName('ocaml.opt', 'd')]).toEqual(['ocamlrund.crossload', 'ocamld.opt']);
  });

  it('starts an ocamlc -crossload host by ocamlrund.crossload where the prefix has one, other hosts by their own first line', () => {
    const prefix = fakePrefix(['ocamlrund.crossload']);
    const d = toolchain(prefix, 'd');
    expect(hostCommand(d, 'byte', { linkFlags: ['-crossload'], nativeLibraries: true }, '/h/host.exe')).toEqual([join(prefix, 'bin', 'ocamlrund.crossload'), ['/h/host.exe']]);
    expect(hostCommand(d, 'byte', {}, '/h/host.exe')).toEqual(['/h/host.exe', []]);
    expect(hostCommand(d, 'native', {}, '/h/host.exe')).toEqual(['/h/host.exe', []]);
    expect(hostCommand(toolchain(prefix), 'byte', { linkFlags: ['-crossload'] }, '/h/host.exe')).toEqual(['/h/host.exe', []]);
  });

  it('starts the toplevels on the variant of the runner they need, or says precisely what is missing', () => {
    const prefix = fakePrefix(['ocaml', 'ocaml.opt', 'ocamlrund']);
    const d = toolchain(prefix, 'd');
    expect(shebangRunner(join(prefix, 'bin', 'ocaml'))).toBe(join(prefix, 'bin', 'ocamlrun.crossload'));
    const ocaml = toplevelCommand(d, 'ocaml');
    expect(ocaml).toEqual({
      missing:
        'not on the debug runtime (--runtime d): ocaml is an ocamlc -crossload program, run by ocamlrun.crossload, whose build on the debug runtime ' +
        '(ocamlrund.crossload, made by the series where configure builds the debug runtime) this prefix lacks; ' +
        `${prefix}/bin has no ocamlrund.crossload (ocamlrun.crossload linked with -runtime-variant d)`,
    });
    expect(toplevelCommand(d, 'ocaml.opt')).toEqual({
      missing:
        'not on the debug runtime (--runtime d): ocaml.opt is a native program, whose build on the debug runtime (ocamld.opt, made by the series where configure ' +
        `builds the debug runtime) this prefix lacks; ${prefix}/bin has no ocamld.opt (ocaml.opt linked with -runtime-variant d)`,
    });
    expect(toplevelCommand(toolchain(prefix), 'ocaml')).toEqual({ file: join(prefix, 'bin', 'ocaml'), args: [] });

    writeFileSync(join(prefix, 'bin', 'ocamlrund.crossload'), '');
    writeFileSync(join(prefix, 'bin', 'ocamld.opt'), '');
    expect(toplevelCommand(d, 'ocaml')).toEqual({ file: join(prefix, 'bin', 'ocamlrund.crossload'), args: [join(prefix, 'bin', 'ocaml')] });
    expect(toplevelCommand(d, 'ocaml.opt')).toEqual({ file: join(prefix, 'bin', 'ocamld.opt'), args: [] });

    // An ocaml linked as stock 5.3.0 links it (crossloading configured off) is run by ocamlrund.
    const stock = fakePrefix(['ocaml', 'ocamlrund'], 'ocamlrun');
    expect(toplevelCommand(toolchain(stock, 'd'), 'ocaml')).toEqual({ file: join(stock, 'bin', 'ocamlrund'), args: [join(stock, 'bin', 'ocaml')] });
  });

  it('skips byte+cmxs and the toplevels of the series, with the reason, where the prefix has no debug build of their runner', async () => {
    const prefix = fakePrefix(['ocamlopt', 'ocaml', 'ocaml.opt']);
    const d = toolchain(prefix, 'd');
    for (const name of ['byte+cmxs', 'byte+cmxs/gc-stress']) expect(await mode(name).unavailable(d)).toMatch(/^not on the debug runtime \(--runtime d\): byte\+cmxs hosts are ocamlc -crossload programs, .* has no ocamlrund\.crossload /);
    for (const name of ['toplevel', 'toplevel+cmxs', 'toplevel/gc-stress']) expect(await mode(name).unavailable(d)).toMatch(/: ocaml is an ocamlc -crossload program, .* has no ocamlrund\.crossload /);
    for (const name of ['toplevel.opt', 'toplevel.opt+cmxs']) expect(await mode(name).unavailable(d)).toMatch(/: ocaml\.opt is a native program, .* has no ocamld\.opt /);
    // The pure modes run (no probe, no runner of their own).
    for (const name of ['byte', 'native']) expect(await mode(name).unavailable(d)).toBeUndefined();
    expect(prebuiltRunner(toolchain(prefix), 'ocamlrun.crossload')).toEqual({ file: join(prefix, 'bin', 'ocamlrun.crossload') });
  });

  it('refuses a prefix without the debug runtime before any test is built', () => {
    const prefix = fakePrefix([]);
    expect(() => requirePrefixRuntimeVariant(toolchain(prefix), 'd')).toThrow(`the debug runtime is not installed in ${prefix}: no ${prefix}/bin/ocamlrund, no ${prefix}/lib/ocaml/libasmrund.a`);
    writeFileSync(join(prefix, 'bin', 'ocamlrund'), '');
    writeFileSync(join(prefix, 'lib', 'ocaml', 'libasmrund.a'), '');
    expect(() => requirePrefixRuntimeVariant(toolchain(prefix), 'd')).not.toThrow();
  });
});

describe('crosstest --runtime d: reports', () => {
  it('writes crosstest-d.{json,md} and junit-d.xml in the report directory, never the normal run\'s files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wb-report-d-'));
    expect(reportFiles(dir, 'd')).toEqual({
      json: join(dir, 'crosstest-d.json'),
      md: join(dir, 'crosstest-d.md'),
      junit: join(dir, 'junit-d.xml'),
      work: join(dir, 'crosstest-work-d'),
    });
    expect(reportFiles(dir)).toEqual({ json: join(dir, 'crosstest.json'), md: join(dir, 'crosstest.md'), junit: join(dir, 'junit.xml'), work: join(dir, 'crosstest-work') });
    expect([crosstestLabel('d'), crosstestLabel()]).toEqual(['crosstest (debug runtime)', 'crosstest']);
    const meta = { prefix: '/p', modes: ['native'], date: '2026-01-01T00:00:00Z', subset: 'full corpus', durationMs: 1_000, jobs: 2, runtime: 'd' as const };
    writeReports(dir, [{ test: 'own/t', mode: 'native', status: 'passed', durationMs: 1 }], meta);
    expect(JSON.parse(readFileSync(join(dir, 'crosstest-d.json'), 'utf8'))).toMatchObject({ runtime: 'd', tally: { passed: 1 } });
    const md = readFileSync(join(dir, 'crosstest-d.md'), 'utf8').trimEnd().split('\n');
    expect(md[0]).toBe('# crosstest (debug runtime) summary');
    expect(md.at(-1)).toBe('crosstest (debug runtime): 1 passed, 0 failed, 0 skipped, 0 known');
    expect(readFileSync(join(dir, 'junit-d.xml'), 'utf8')).toContain('tests="1"');
  });
});

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

async function script(name: string, args: string[]): Promise<{ exitCode: number | undefined; stdout: string; stderr: string[] }> {
  const r = await execa(TSX, [join('scripts', `${name}.ts`), ...args], { cwd: ROOT, reject: false, timeout: 45_000, stdin: 'ignore' });
  return { exitCode: r.exitCode, stdout: stripVTControlCharacters(r.stdout), stderr: stripVTControlCharacters(r.stderr).split('\n').filter((l) => l.trim() !== '') };
}

describe.concurrent('the command lines of crosstest --runtime and sanitize', () => {
  it.for([
    ['crosstest', ['--runtime', 'i'], '--runtime must be one of d'],
    ['crosstest', ['--runtime'], '--runtime needs a value'],
    ['crosstest', ['--runtime', 'd', '--update'], 'it takes no --runtime'],
    ['crosstest', ['--report-dir'], '--report-dir needs a value'],
    ['sanitize', ['--passes', 'testsuite,lint'], '--passes: unknown lint'],
    ['sanitize', ['--timeout', '0'], '--timeout'],
    ['sanitize', ['--jobs', 'two'], '--jobs'],
  ] as const)('%s %j exits 2 with one line naming %s', async ([name, args, named], { expect }) => {
    const r = await script(name, [...args]);
    expect(r).toMatchObject({ exitCode: 2, stdout: '' });
    expect(r.stderr).toHaveLength(1);
    expect(r.stderr[0]).toContain(named);
  });

  it('crosstest --runtime d on a prefix without the debug runtime says so and exits 1, before building a test', async ({ expect }) => {
    const prefix = fakePrefix(['ocamlc']);
    chmodSync(join(prefix, 'bin', 'ocamlc'), 0o755);
    const r = await script('crosstest', ['--runtime', 'd', '--no-build', '--corpus', 'own', '--modes', 'native', '--prefix', prefix]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr.join('\n')).toContain(`the debug runtime is not installed in ${prefix}: no ${prefix}/bin/ocamlrund`);
  });

  it('their help names the new options', async ({ expect }) => {
    const crosstest = await script('crosstest', ['--help']);
    expect(crosstest.stdout).toContain('--runtime d');
    expect(crosstest.stdout).toContain('--report-dir DIR');
    const sanitize = await script('sanitize', ['--help']);
    expect(sanitize.exitCode).toBe(0);
    expect(sanitize.stdout).toMatch(/^usage: npm run sanitize -- /);
    for (const o of ['--passes', '--jobs', '--timeout', '--no-gc-stress', '--no-build']) expect(sanitize.stdout).toContain(o);
  });
});
