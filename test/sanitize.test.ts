import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_MODES } from '../harness/crosstest/modes/index.ts';
import { baselinePath, writeBaseline } from '../harness/ocaml-testsuite/baseline.ts';
import { machineFacts } from '../harness/ocaml-testsuite/machine.ts';
import { collectTsanReports, freshLogDir, groupTsanReports, mentionsTsan, parseTsanText, tsanOptions } from '../harness/sanitize/tsan-log.ts';
import { crosstestPassArgs, runTestsuitePass, SANITIZE_BASE_MODES, sanitizeModes, type PassResult } from '../harness/sanitize/passes.ts';
import { formatSanitize, sanitizeReportPaths, sanitizeSummaryLine, sanitizeTally, writeSanitizeReport, type SanitizeReport } from '../harness/sanitize/report.ts';

/** A report as gcc 12's libtsan writes it (a racy C program on this kind of machine), twice, then its closing line. */
const RACE = `==================
WARNING: ThreadSanitizer: data race (pid=23796)
  Read of size 4 at 0x5596e28d505c by main thread:
    #0 main /tmp/tsr.c:4 (tsr+0x1252)

  Previous write of size 4 at 0x5596e28d505c by thread T1:
    #0 f /tmp/tsr.c:3 (tsr+0x11f8)

  Location is global 'x' of size 4 at 0x5596e28d505c (tsr+0x405c)

  Thread T1 (tid=23798, finished) created by main thread at:
    #0 pthread_create ../../../../src/libsanitizer/tsan/tsan_interceptors_posix.cpp:1001 (libtsan.so.2+0x5e686)
    #1 main /tmp/tsr.c:4 (tsr+0x1243)

SUMMARY: ThreadSanitizer: data race /tmp/tsr.c:4 in main
==================
`;
const INVERSION = `==================
WARNING: ThreadSanitizer: lock-order-inversion (potential deadlock) (pid=7)
  Cycle in lock order graph: M0 => M1 => M0
SUMMARY: ThreadSanitizer: lock-order-inversion (potential deadlock) runtime/crossload.c:120 in guest_lock
==================
`;

describe('ThreadSanitizer logs', () => {
  it('parses each report: its kind, its SUMMARY line and its text from the WARNING line on', () => {
    const reports = parseTsanText(`${RACE}${INVERSION}ThreadSanitizer: reported 2 warnings\n`);
    expect(reports.map((r) => [r.kind, r.summary])).toEqual([
      ['data race', 'data race /tmp/tsr.c:4 in main'],
      ['lock-order-inversion (potential deadlock)', 'lock-order-inversion (potential deadlock) runtime/crossload.c:120 in guest_lock'],
    ]);
    expect(reports[0]!.text.split('\n')[0]).toBe('WARNING: ThreadSanitizer: data race (pid=23796)');
    expect(reports[0]!.text).toContain('Previous write of size 4');
    expect(reports[0]!.text.split('\n').at(-1)).toBe('SUMMARY: ThreadSanitizer: data race /tmp/tsr.c:4 in main');
  });

  it('finds reports in a dumped log (ocamltest\'s "> " lines), fatal errors, and a report cut short', () => {
    const dumped = RACE.split('\n').map((l) => `> ${l}`).join('\n');
    expect(parseTsanText(dumped).map((r) => r.kind)).toEqual(['data race']);
    expect(parseTsanText('FATAL: ThreadSanitizer: unexpected memory mapping 0x7f00-0x7f10\n')).toEqual([
      { kind: 'fatal', summary: 'FATAL: ThreadSanitizer: unexpected memory mapping 0x7f00-0x7f10', text: 'FATAL: ThreadSanitizer: unexpected memory mapping 0x7f00-0x7f10' },
    ]);
    expect(parseTsanText(RACE.split('\n').slice(0, 6).join('\n')).map((r) => [r.kind, r.summary])).toEqual([['data race', undefined]]);
    expect(parseTsanText('hello\n==================\nnothing here\n==================\n')).toEqual([]);
    expect([mentionsTsan(RACE), mentionsTsan('ThreadSanitizer: reported 0 warnings'), mentionsTsan('plain output')]).toEqual([true, false, false]);
  });

  it('collects the log files of a directory, each named by its program and process (log_exe_name=1)', () => {
    const dir = freshLogDir(join(mkdtempSync(join(tmpdir(), 'wb-tsan-')), 'tsan-crosstest'));
    writeFileSync(join(dir, 'tsan.host.exe.4242'), `${RACE}ThreadSanitizer: reported 1 warnings\n`);
    writeFileSync(join(dir, 'tsan.ocamlrun.crossload.17'), `${RACE}${INVERSION}`);
    writeFileSync(join(dir, 'tsan.ocaml.opt.9'), 'something TSan said that is no report\n');
    writeFileSync(join(dir, 'tsan.quiet.5'), 'ThreadSanitizer: reported 0 warnings\n');
    const reports = collectTsanReports(dir);
    expect(reports.map((r) => [r.exe, r.pid, r.kind])).toEqual([
      ['host.exe', 4242, 'data race'],
      ['ocaml.opt', 9, 'unparsed'],
      ['ocamlrun.crossload', 17, 'data race'],
      ['ocamlrun.crossload', 17, 'lock-order-inversion (potential deadlock)'],
    ]);
    // The same race met by two programs is one group.
    expect(groupTsanReports(reports).map((g) => [g.key, g.reports.length])).toEqual([
      ['data race: data race /tmp/tsr.c:4 in main', 2],
      ['unparsed: something TSan said that is no report', 1],
      ['lock-order-inversion (potential deadlock): lock-order-inversion (potential deadlock) runtime/crossload.c:120 in guest_lock', 1],
    ]);
    expect(freshLogDir(dir) && collectTsanReports(dir)).toEqual([]);
  });

  it('sets the options the collection needs after the caller\'s own, and refuses a log path TSan would cut', () => {
    expect(tsanOptions('/l/tsan-testsuite')).toBe('history_size=6 log_path=/l/tsan-testsuite/tsan log_exe_name=1 halt_on_error=0 exitcode=66');
    expect(tsanOptions('/l/x', 'detect_deadlocks=0:halt_on_error=1')).toBe(
      'history_size=6 detect_deadlocks=0 halt_on_error=1 log_path=/l/x/tsan log_exe_name=1 halt_on_error=0 exitcode=66',
    );
    expect(() => tsanOptions('/my logs')).toThrow(/cannot hold blanks/);
    expect(() => tsanOptions('/a:b')).toThrow(/cannot hold blanks/);
  });
});

describe('npm run sanitize: passes and report', () => {
  it('runs native+cmo, byte+cmxs and both toplevels of crosstest, with or without GC stress, by their current names', () => {
    const names = new Set(ALL_MODES.map((m) => m.name));
    for (const m of sanitizeModes(true)) expect(names.has(m), m).toBe(true);
    expect(sanitizeModes(false)).toEqual([...SANITIZE_BASE_MODES]);
    expect(sanitizeModes(true)).toHaveLength(2 * SANITIZE_BASE_MODES.length);
    expect(crosstestPassArgs({ prefix: '/t/_install', modes: ['native+cmo', 'byte+cmxs'], jobs: 2, timeoutS: 300, reportDir: '/r/sanitize' })).toEqual([
      '--no-build', '--prefix', '/t/_install', '--corpus', 'own', '--modes', 'native+cmo,byte+cmxs', '--jobs', '2', '--timeout', '300', '--report-dir', '/r/sanitize',
    ]);
  });

  it('runs the tests the series adds on the TSan tree with TSAN_OPTIONS set; a report fails the pass even when every test passed', async () => {
    const root = mkdtempSync(join(tmpdir(), 'wb-sanitize-'));
    const src = join(root, 'tree');
    mkdirSync(join(src, 'ocamltest'), { recursive: true });
    // A fake ocamltest: a test whose first line is "race" passes but, like a TSan program under halt_on_error=0 with
    // log_path, leaves a report in the log directory that TSAN_OPTIONS names.
    writeFileSync(
      join(src, 'ocamltest', 'ocamltest'),
      `#!/bin/sh
case "$1" in
  -find-test-dirs) find "$2" -name '*.ml' | xargs -n1 dirname | sort -u ;;
  -list-tests) ls "$2" | grep '\\.ml$' | sort ;;
  -timeout)
    f="$3"; b=$(basename "$f")
    case "$(sed -n 2p "$f")" in
      pass) echo " ... testing '$b' => passed" ;;
      race) path=$(echo "$TSAN_OPTIONS" | tr ' ' '\\n' | sed -n 's/^log_path=//p')
            printf '%s' "$RACE" > "$path.main.exe.$$"; echo " ... testing '$b' => passed" ;;
      check) d="_ocamltest/$(dirname "$f")/\${b%.ml}"; mkdir -p "$d"
             echo "ThreadSanitizer: CHECK failed: sanitizer_allocator_primary64.h:131" > "$d/\${b%.ml}.log"
             echo " ... testing '$b' => failed"; echo " ... testing '$b' with line 19 (script) => failed ()" ;;
    esac ;;
esac
`,
    );
    chmodSync(join(src, 'ocamltest', 'ocamltest'), 0o755);
    const test = (rel: string, what: string) => {
      mkdirSync(join(src, 'testsuite', rel, '..'), { recursive: true });
      writeFileSync(join(src, 'testsuite', rel), `(* TEST *)\n${what}\n`);
    };
    test('tests/basic/old.ml', 'pass');
    test('tests/crossload/new.ml', 'pass');
    test('tests/crossload-domains/racy.ml', 'race');
    test('tests/crossload-domains/ulimit.ml', 'check');
    writeBaseline(baselinePath(root), {
      $comment: 'test',
      madeBy: 'test',
      date: '2026-01-01T00:00:00.000Z',
      source: { version: '5.3.0', tag: 'upstream/5.3.0', commit: '0', integrity: '' },
      configureFlags: [],
      command: 'test',
      jobs: 2,
      durationMs: 0,
      machine: await machineFacts(),
      totals: { passed: 1, failed: 0, skipped: 0, total: 1 },
      dirDurationsMs: {},
      tests: { 'tests/basic/old.ml': 'passed' },
    });
    process.env.RACE = RACE;
    const lines: string[] = [];
    const result = await runTestsuitePass({
      srcDir: src,
      baselineFile: baselinePath(root),
      jobs: 2,
      timeoutS: 60,
      logFile: join(root, 'logs', 'testsuite.log'),
      tsanDir: join(root, 'logs', 'tsan-testsuite'),
      log: (l) => lines.push(l),
      known: [
        { pass: 'testsuite', name: 'tests/crossload-domains/ulimit.ml', reason: 'TSan needs more address space' },
        { pass: 'testsuite', name: 'tests/crossload/new.ml', reason: 'fixed since' },
      ],
    });
    delete process.env.RACE;
    expect(process.env.TSAN_OPTIONS).toBeUndefined();
    expect(result.items.map((i) => [i.name, i.outcome])).toEqual([
      ['tests/crossload-domains/racy.ml', 'passed'],
      ['tests/crossload-domains/ulimit.ml', 'known'],
      ['tests/crossload/new.ml', 'passed'],
      ['testsuite: no ThreadSanitizer report', 'failed'],
    ]);
    expect(result.items[1]!.reason).toBe("known failure of the TSan build: TSan needs more address space (observed: ... testing 'ulimit.ml' with line 19 (script) => failed ())");
    expect(result.notes).toEqual(['tests/crossload/new.ml is listed as a known failure of the TSan build (harness/sanitize/known-failures.ts) but passed: remove its entry']);
    expect(result.tally).toEqual({ passed: 2, failed: 1, skipped: 0, known: 1 });
    expect(result.tsanReports.map((r) => [r.exe, r.kind])).toEqual([['main.exe', 'data race']]);
    // What the known failure printed is listed, not counted: the check fails for the race in the log directory only.
    expect(result.outputReports.map((r) => [r.kind, r.known])).toEqual([['fatal', true]]);
    expect(result.items.at(-1)!.reason).toBe('1 report(s): 1 in the log directory, 0 in program output');
    expect(lines[0]).toMatch(/^testsuite pass: the 3 tests the series adds/);

    // The report: the summary line counts every pass's results; the report's stacks are printed and written.
    const crosstest: PassResult = {
      ...result,
      name: 'crosstest',
      command: 'npm run crosstest -- …',
      durationMs: 61_000,
      tally: { passed: 1, failed: 0, skipped: 1, known: 0 },
      items: [
        { name: 'own/closures [toplevel.opt]', outcome: 'passed' },
        { name: 'own/closures [byte+cmxs]', outcome: 'skipped', reason: 'the installed compiler cannot do it yet' },
      ],
      tsanReports: [],
      outputReports: [],
      notes: [],
    };
    const tally = sanitizeTally([result, crosstest]);
    expect(sanitizeSummaryLine(tally)).toBe('sanitize: 3 passed, 1 failed, 1 skipped, 1 known');
    const report: SanitizeReport = {
      date: '2026-12-02T00:00:00Z',
      tree: src,
      prefix: join(root, '_install'),
      commit: 'abcdef0123456789',
      configureFlags: ['--enable-tsan'],
      tsanOptions: tsanOptions('<logdir>'),
      build: { durationMs: 1_500_000, upToDate: false, ran: ['configure', 'make', 'install'], notes: [], skipped: false },
      passes: [result, crosstest],
      tally,
      tsanReportCount: 1,
      clean: false,
    };
    const text = formatSanitize(report);
    expect(text[0]).toBe('build: configure, make, install in 25m 00s');
    expect(text[2]).toBe('crosstest pass: 1m 01s; 1 passed, 0 failed, 1 skipped, 0 known; 0 TSan report(s)');
    expect(text).toContain('  testsuite: no ThreadSanitizer report: 1 report(s): 1 in the log directory, 0 in program output');
    expect(text[1]).toMatch(/^testsuite pass: [\d.]+s; 2 passed, 1 failed, 0 skipped, 1 known; 1 TSan report\(s\) \(and 1 in the output of known failures\)$/);
    expect(text).toContain('--- 1. data race: data race /tmp/tsr.c:4 in main (1 report(s))');
    expect(text).toContain('    SUMMARY: ThreadSanitizer: data race /tmp/tsr.c:4 in main');
    writeSanitizeReport(join(root, 'reports'), report);
    const paths = sanitizeReportPaths(join(root, 'reports'));
    expect(readFileSync(paths.md, 'utf8').trimEnd().split('\n').at(-1)).toBe('sanitize: 3 passed, 1 failed, 1 skipped, 1 known');
    expect(JSON.parse(readFileSync(paths.json, 'utf8'))).toMatchObject({ tally, tsanReportCount: 1, clean: false });
  });
});
