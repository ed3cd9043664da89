import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { crossloadOffLogPath, crossloadOffReportPath, runCrossloadOff } from '../harness/ocaml-testsuite/crossload-off-run.ts';
import type { CrossloadOffReport } from '../harness/ocaml-testsuite/crossload-off-report.ts';
import { baselinePath, writeBaseline } from '../harness/ocaml-testsuite/baseline.ts';
import { machineFacts } from '../harness/ocaml-testsuite/machine.ts';
import type { Outcome } from '../harness/ocaml-testsuite/log-parser.ts';
import { gitIn } from '../harness/git.ts';
import { exportSeries } from '../harness/patch-export.ts';
import { ensurePristineSource } from '../harness/pristine.ts';
import { cachedTarballPath } from '../harness/tarball.ts';
import { gitSync } from './helpers/git-sync.ts';
import { FAKE_OCAML, scratchProject, type ScratchProject } from './helpers/scratch-project.ts';

/**
 * `ocaml-testsuite --crossload-off` from end to end on the fake OCaml tree: a series whose configure knows
 * --disable-crossload, a Makefile that makes `ocaml` (and with crossloading on, ocaml.opt and ocamlrun.crossload),
 * a runtime/ocamlrun that answers `./ocamlc -config`, a fake ocamltest and a few tests. No OCaml is built.
 */
let p: ScratchProject;

const CONFIGURE = (knowsFlag: boolean) => `#!/bin/sh
prefix=/usr/local
crossload=true
for arg in "$@"; do
  case "$arg" in
    --prefix=*) prefix=\${arg#--prefix=} ;;
    ${knowsFlag ? '--disable-crossload) crossload=false ;;' : ''}
  esac
done
echo "PREFIX=$prefix" > Makefile.config
echo "CROSSLOAD=$crossload" >> Makefile.config
mkdir -p otherlibs/dynlink
echo "let crossload = $crossload" > otherlibs/dynlink/dynlink_config.ml
echo "configured: $*"
`;

const MAKEFILE_TAIL = `
all: ocaml
ifeq ($(CROSSLOAD),true)
all: ocaml.opt otherlibs/dynlink/ocamlrun.crossload
RUNNER = ocamlrun.crossload
else
RUNNER = ocamlrun
endif
ocaml: Makefile.config
\tprintf '#!%s/bin/%s\\nbytecode\\n' '$(PREFIX)' '$(RUNNER)' > $@
ocaml.opt:
\techo native > $@
otherlibs/dynlink/ocamlrun.crossload:
\tmkdir -p otherlibs/dynlink && echo runner > $@
`;

const OCAMLRUN = `#!/bin/sh
[ "$1 $2" = "./ocamlc -config" ] || exit 2
. ./Makefile.config
echo "version: 5.3.0"
echo "crossload: $CROSSLOAD"
`;

// As test/ocaml-testsuite-runner.test.ts's: answers -find-test-dirs and -list-tests, "runs" a test by its second line (after the TEST header).
const OCAMLTEST = `#!/bin/sh
case "$1" in
  -find-test-dirs) find "$2" -name '*.ml' | xargs -n1 dirname | sort -u ;;
  -list-tests) ls "$2" | grep '\\.ml$' | sort ;;
  -timeout)
    f="$3"; b=$(basename "$f")
    case "$(sed -n 2p "$f")" in
      pass) echo " ... testing '$b' => passed" ;;
      skip) echo " ... testing '$b' => skipped" ;;
      fail) echo " ... testing '$b' => failed"; echo " ... testing '$b' with line 1 (native) => failed (boom)" ;;
    esac ;;
esac
`;

/** A test file: the header ocamltest (and the --dir/--only check) looks for, then what the fake ocamltest answers. */
const test = (outcome: 'pass' | 'skip' | 'fail') => `(* TEST *)\n${outcome}\n`;
/** A test of the series that needs crossloading (its header says so). */
const seriesTest = (outcome: 'pass' | 'skip' | 'fail') => `(* TEST crossload; *)\n${outcome}\n`;

/** Writes files into ocaml-src/ (executable when asked), commits them as one patch and exports the series. */
async function commitPatch(subject: string, files: Record<string, string>, executable: string[] = []): Promise<void> {
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(dirname(join(p.paths.ocamlSrc, f)), { recursive: true });
    writeFileSync(join(p.paths.ocamlSrc, f), text);
    if (executable.includes(f)) chmodSync(join(p.paths.ocamlSrc, f), 0o755);
  }
  gitSync(p.paths.ocamlSrc, 'add', '--', ...Object.keys(files));
  gitSync(p.paths.ocamlSrc, 'commit', '-qm', subject);
  await exportSeries(gitIn(p.paths.ocamlSrc, p.config.gitIdentity), p.config.ocaml.pristineTag, p.paths.patches);
}

async function writeTestBaseline(tests: Record<string, Outcome>): Promise<void> {
  writeBaseline(baselinePath(p.paths.root), {
    $comment: 'test',
    madeBy: 'test',
    date: '2026-01-01T00:00:00.000Z',
    source: { version: '5.3.0', tag: 'upstream/5.3.0', commit: '0', integrity: p.config.ocaml.integrity },
    configureFlags: p.config.configureFlags,
    command: 'test',
    jobs: 2,
    durationMs: 0,
    machine: await machineFacts(),
    totals: { passed: 0, failed: 0, skipped: 0, total: 0 },
    dirDurationsMs: {},
    tests,
  });
}

async function run(opts: { build?: boolean; only?: string } = {}): Promise<{ status: number; lines: string[]; report: CrossloadOffReport }> {
  const lines: string[] = [];
  const status = await runCrossloadOff({
    paths: p.paths,
    config: p.config,
    selection: opts.only ? { only: opts.only } : {},
    filter: opts.only ? `--only ${opts.only}` : '',
    usage: 'npm run ocaml-testsuite --',
    jobs: 2,
    timeoutS: 60,
    build: opts.build ?? true,
    baselineFile: baselinePath(p.paths.root),
    log: (l) => lines.push(l),
  });
  return { status, lines, report: JSON.parse(readFileSync(crossloadOffReportPath(p.paths), 'utf8')) as CrossloadOffReport };
}

beforeEach(async () => {
  p = await scratchProject();
  await ensurePristineSource(p.config, cachedTarballPath(p.config, p.paths.cache), p.paths.ocamlSrc);
  await commitPatch(
    'Crossloading, with --disable-crossload',
    {
      configure: CONFIGURE(true),
      Makefile: readFileSync(join(FAKE_OCAML, 'Makefile'), 'utf8') + MAKEFILE_TAIL,
      'runtime/ocamlrun': OCAMLRUN,
      'ocamltest/ocamltest': OCAMLTEST,
      'testsuite/tests/basic/arrays.ml': test('pass'),
      'testsuite/tests/basic/posix.ml': test('skip'),
      'testsuite/tests/basic/broken.ml': test('fail'),
      'testsuite/tests/crossload/new.ml': seriesTest('skip'),
    },
    ['configure', 'runtime/ocamlrun', 'ocamltest/ocamltest'],
  );
  await writeTestBaseline({ 'tests/basic/arrays.ml': 'passed', 'tests/basic/posix.ml': 'skipped', 'tests/basic/broken.ml': 'failed' });
});

describe('ocaml-testsuite --crossload-off, end to end on a fake tree', () => {
  it('builds, checks the products, runs the suite: same as pristine, exit 0, report and log written', async () => {
    const { status, lines, report } = await run();
    expect(lines.at(-1)).toBe('ocaml-testsuite (crossload off): 1 passed, 0 failed, 2 skipped, 1 known: same as pristine test by test; 1 test of the series skipped');
    expect(status).toBe(0);
    expect(report).toMatchObject({
      sameAsPristine: true,
      differences: [],
      seriesSkipped: ['tests/crossload/new.ml'],
      stillFailing: ['tests/basic/broken.ml'],
      tally: { passed: 1, failed: 0, skipped: 2, known: 1 },
    });
    expect(report.configureFlags).toEqual(['--enable-fake', '--disable-crossload', `--prefix=${join(p.paths.crossloadOffDir, '_install')}`]);
    expect(report.productChecks.map((c) => [c.name, c.ok])).toEqual([
      ['ocamlc -config says crossload: false', true],
      ['no ocaml.opt', true],
      ['no otherlibs/dynlink/ocamlrun.crossload', true],
      ['ocaml names ocamlrun', true],
      ['Dynlink carries no bytecode units of the Stdlib and never dispatches to bytecode', true],
    ]);
    expect(readFileSync(crossloadOffLogPath(p.paths), 'utf8')).toContain("Running tests from 'tests/crossload' ...");
    // ocaml-src/ was neither built nor configured.
    expect(existsSync(join(p.paths.ocamlSrc, 'Makefile.config'))).toBe(false);

    // Again, without building: the same verdict on the tree as it is.
    const again = await run({ build: false });
    expect(again.status).toBe(0);
    expect(again.report.commit).toBe(report.commit);
    expect(again.report.configureFlags).toEqual(report.configureFlags);
  });

  it('--only runs a part and compares only that part; one selecting nothing is refused', async () => {
    const { status, report } = await run({ only: 'arrays' });
    expect(status).toBe(0);
    expect(report.counts.total).toBe(1);
    expect(report.baselineCounts.total).toBe(1);
    await expect(run({ only: 'no-such-test' })).rejects.toThrow('--only no-such-test selects nothing');
  });

  it('a configure that ignores --disable-crossload, a series test that runs and a changed outcome: every one named, exit 1', async () => {
    await commitPatch('Lose the flag', { configure: CONFIGURE(false), 'testsuite/tests/crossload/new.ml': seriesTest('pass'), 'testsuite/tests/basic/posix.ml': test('pass') });
    const { status, lines, report } = await run();
    expect(status).toBe(1);
    expect(report.sameAsPristine).toBe(false);
    expect(report.productChecks.filter((c) => !c.ok).map((c) => c.detail)).toEqual([
      'it prints crossload: true',
      'ocaml.opt exists in the tree',
      'otherlibs/dynlink/ocamlrun.crossload exists in the tree',
      `its first line names ${join(p.paths.crossloadOffDir, '_install')}/bin/ocamlrun.crossload`,
      'dynlink_config.ml says crossload = true',
    ]);
    expect(report.differences.map((d) => [d.kind, d.key])).toEqual([
      ['new pass', 'tests/basic/posix.ml'],
      ['series test ran', 'tests/crossload/new.ml'],
    ]);
    expect(lines.at(-1)).toMatch(
      /^ocaml-testsuite \(crossload off\): 1 passed, 7 failed, 0 skipped, 1 known: 2 differences from pristine \(1 new pass, 1 test of the series not skipped\); 5 of 5 product checks failed \(.*\); 0 tests of the series skipped$/,
    );
    expect(lines).toContain('PRODUCT CHECKS FAILED (5): the build is not stock 5.3.0:');

    // Fixed again: the crossloading products the previous build left are removed before the rebuild.
    await commitPatch('Know the flag again', { configure: CONFIGURE(true), 'testsuite/tests/crossload/new.ml': seriesTest('skip'), 'testsuite/tests/basic/posix.ml': test('skip') });
    const fixed = await run();
    expect(fixed.lines.join('\n')).toContain('removed ocaml.opt, otherlibs/dynlink/ocamlrun.crossload, ocaml left by the previous build');
    expect(fixed.status).toBe(0);
  });
});
