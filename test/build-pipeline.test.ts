import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { buildOcaml } from '../harness/build-ocaml.ts';
import { ensurePristineBuild, pristineLayout } from '../harness/pristine-build.ts';
import { buildEachPrefix, cCompilerWarnings, describePrefixTests, lintEachTarget, patchTestDirs } from '../harness/patch-lint.ts';
import { readBuiltStamp } from '../harness/build-steps.ts';
import { readManifest } from '../harness/manifest.ts';
import type { StepName } from '../harness/build-pipeline.ts';
import type { WorkbenchConfig } from '../harness/config.ts';
import { gitIn } from '../harness/git.ts';
import { exportSeries } from '../harness/patch-export.ts';
import { ensurePristineSource } from '../harness/pristine.ts';
import { cachedTarballPath } from '../harness/tarball.ts';
import { gitSync } from './helpers/git-sync.ts';
import { scratchProject, type ScratchProject } from './helpers/scratch-project.ts';

let p: ScratchProject;

/** Commits one patch in ocaml-src/ and exports the series, as a contributor does. */
async function commitPatch(subject: string, files: Record<string, string>, moves: Array<[string, string]> = []): Promise<void> {
  for (const [from, to] of moves) gitSync(p.paths.ocamlSrc, 'mv', from, to);
  for (const [f, text] of Object.entries(files)) writeFileSync(join(p.paths.ocamlSrc, f), text);
  if (Object.keys(files).length > 0) gitSync(p.paths.ocamlSrc, 'add', '--', ...Object.keys(files));
  gitSync(p.paths.ocamlSrc, 'commit', '-qm', subject);
  await exportSeries(gitIn(p.paths.ocamlSrc, p.config.gitIdentity), p.config.ocaml.pristineTag, p.paths.patches);
}

/** The three callers, each reduced to what the pipeline ran (for --each: after the last patch). */
const callers: Record<string, (config: WorkbenchConfig) => Promise<StepName[]>> = {
  'build-ocaml': async (config) => (await buildOcaml({ paths: p.paths, config, jobs: 2, silent: true })).ran,
  'pristine build': async (config) => (await ensurePristineBuild({ paths: p.paths, config, jobs: 2 })).ran,
  'patches:lint --each': async (config) => {
    const r = await buildEachPrefix({ paths: p.paths, config }, { jobs: 2 });
    expect(r.problems).toEqual([]);
    return r.outcomes.at(-1)!.ran;
  },
};

beforeEach(async () => {
  p = await scratchProject();
  await ensurePristineSource(p.config, cachedTarballPath(p.config, p.paths.cache), p.paths.ocamlSrc);
  await commitPatch('Patch alpha', { 'a.src': 'alpha patched\n' });
});

describe('one build pipeline for build-ocaml, the pristine build and patches:lint --each', () => {
  it('each caller configures and builds once, is then up to date, and configures again when the flags in workbench.json change', async () => {
    const changed: WorkbenchConfig = { ...p.config, configureFlags: [...p.config.configureFlags, '--enable-other'] };
    for (const [name, build] of Object.entries(callers)) {
      const install: StepName[] = name === 'build-ocaml' ? ['install'] : [];
      expect(await build(p.config), name).toEqual(['configure', 'make', ...install]);
      expect(await build(p.config), name).toEqual([]);
      expect(await build(changed), name).toEqual(['configure', 'make', ...install]);
      expect(await build(changed), name).toEqual([]);
    }
  });

  it('after a patch changes a configure template, build-ocaml and --each run configure again, and not after a source-only patch', async () => {
    // (The pristine tree cannot take a patch: it is the tag's, refused when moved or edited; its configure inputs change
    // only with a new pin, which makes a new worktree.)
    await callers['build-ocaml']!(p.config);
    await callers['patches:lint --each']!(p.config);
    await commitPatch('Add a configure template', { 'version.txt.in': 'v1\n' });
    await commitPatch('Patch beta', { 'b.src': 'beta patched\n' });
    expect(await callers['build-ocaml']!(p.config)).toEqual(['configure', 'make', 'install']);
    const each = await buildEachPrefix({ paths: p.paths, config: p.config }, { jobs: 2 });
    expect(each.problems).toEqual([]);
    expect(each.outcomes.map((o) => o.ran)).toEqual([[], ['configure', 'make'], ['make']]);
    expect(existsSync(join(lintEachTarget(p.paths, 2).logDir, 'configure.log'))).toBe(true);
    expect(existsSync(join(lintEachTarget(p.paths, 3).logDir, 'configure.log'))).toBe(false);
    await commitPatch('Change the template', { 'version.txt.in': 'v2\n' });
    expect(await callers['build-ocaml']!(p.config)).toEqual(['configure', 'make', 'install']);
    expect(await callers['patches:lint --each']!(p.config)).toEqual(['configure', 'make']);
  });

  it('records one stamp format: the built tree and the install prefix hold the same key', async () => {
    const installed = await buildOcaml({ paths: p.paths, config: p.config, jobs: 2, silent: true });
    const pristine = await ensurePristineBuild({ paths: p.paths, config: p.config, jobs: 2, install: true });
    await buildEachPrefix({ paths: p.paths, config: p.config }, { jobs: 2 });
    const tree = (dir: string) => gitIn(dir, p.config.gitIdentity);
    const stamp = async (dir: string) => readBuiltStamp({ srcDir: dir, git: tree(dir), logDir: '' });
    const key = (m: object | undefined) => {
      const { compilerVersion: _v, patches: _p, builtAt: _b, ...k } = m as Record<string, unknown>;
      return k;
    };
    expect(await stamp(p.paths.ocamlSrc)).toEqual(key(readManifest(installed.prefix)));
    expect(await stamp(pristine.srcDir)).toEqual(key(readManifest(pristine.prefix)));
    expect(await stamp(pristine.srcDir)).toMatchObject({
      patchedTree: gitSync(p.paths.ocamlSrc, 'rev-parse', `${p.config.ocaml.pristineTag}^{tree}`).trim(),
      configureFlags: [...p.config.configureFlags, `--prefix=${pristineLayout(p.paths, p.config).prefix}`],
    });
    expect(await stamp(lintEachTarget(p.paths, 1).srcDir)).toMatchObject({
      patchedTree: gitSync(p.paths.ocamlSrc, 'rev-parse', 'HEAD^{tree}').trim(),
      prefix: lintEachTarget(p.paths, 1).prefix,
    });
  });
});

describe('patches:lint --each', () => {
  it('builds a prefix again from clean when stale outputs of the previous patch break the incremental build', async () => {
    await commitPatch('Move old.src', {}, [['old.src', 'moved.src']]);
    const logs: string[] = [];
    const r = await buildEachPrefix({ paths: p.paths, config: p.config }, { jobs: 2, log: (l) => logs.push(l) });
    expect(r.problems).toEqual([]);
    expect(r.outcomes.map((o) => o.fromClean)).toEqual([false, true]);
    expect(logs).toContain('✓ builds after patch 2 (from clean: the incremental build failed on stale outputs): Move old.src');
    expect(readFileSync(join(lintEachTarget(p.paths, 2).logDir, 'make-incremental.log'), 'utf8')).toMatch(/stale old\.out/);
  });

  it('stops at the first patch after which the C compiler warns: OCaml\'s CI would fail it with -Werror', async () => {
    const warning = "runtime/backtrace_byt.c:562:14: warning: implicit declaration of function 'caml_callback_exn'";
    await commitPatch('Warn', { Makefile: `all:\n\t@echo "${warning}"\n\t@echo "${warning}"\nclean:\n\trm -f *.out\n` });
    await commitPatch('Patch beta', { 'b.src': 'beta patched\n' });
    const logs: string[] = [];
    const r = await buildEachPrefix({ paths: p.paths, config: p.config }, { jobs: 2, log: (l) => logs.push(l) });
    expect(r.outcomes).toHaveLength(2);
    expect(logs).toContain(`✗ after patch 2, the C compiler warns: ${warning}`);
    const makeLog = join(lintEachTarget(p.paths, 2).logDir, 'make.log');
    expect(r.problems).toEqual([`after patch 2 (Warn), the C compiler warns (OCaml's CI builds with -Werror): ${warning} (log: ${makeLog})`]);
  });

  it('finds the C compiler\'s warnings in a build log, once each', () => {
    const log = [
      '  CC runtime/interp.b.o',
      "runtime/interp.c:10:3: warning: unused variable 'x' [-Wunused-variable]",
      "   10 |   int x;",
      "runtime/interp.c:10:3: warning: unused variable 'x' [-Wunused-variable]",
      'Warning: we are not using the native binary ocamlc.opt because it is older',
      "runtime/caml/misc.h:5:1: warning: 'f' defined but not used",
      "File \"a.ml\", line 1: Warning 32 [unused-value-declaration]",
      'In file included from runtime/caml/callback.h:22,',
      '                 from runtime/crossload.c:76:',
      "runtime/crossload.c: In function 'init_guest':",
      "runtime/caml/memory.h:435:10: warning: 'return' with a value, in function returning void [-Wreturn-type]",
      '  435 |   return (result);',
    ].join('\n');
    expect(cCompilerWarnings(log)).toEqual([
      "runtime/interp.c:10:3: warning: unused variable 'x' [-Wunused-variable]",
      "runtime/caml/misc.h:5:1: warning: 'f' defined but not used",
      "runtime/caml/memory.h:435:10: warning: 'return' with a value, in function returning void [-Wreturn-type] (runtime/crossload.c, in function 'init_guest')",
    ]);
  });

  it('stops at the first patch after which the tree does not build, naming it and its log', async () => {
    await commitPatch('Break the build', { Makefile: 'all:\n\t@echo broken; exit 1\nclean:\n\trm -f *.out\n' });
    await commitPatch('Patch beta', { 'b.src': 'beta patched\n' });
    const r = await buildEachPrefix({ paths: p.paths, config: p.config }, { jobs: 2 });
    expect(r.outcomes).toHaveLength(1);
    const makeLog = join(lintEachTarget(p.paths, 2).logDir, 'make.log');
    expect(r.problems).toEqual([`the tree does not build after patch 2 (Break the build): make from clean (the incremental build failed first) failed, see ${makeLog}`]);
    expect(readFileSync(makeLog, 'utf8')).toMatch(/broken/);
  });
});

/**
 * A stand-in for ocamltest in the fake tree, answering as the real one does: the test directories under a root,
 * the tests of a directory (its .ml files), and one test's result line: failed if the file says FAIL, skipped if
 * it says SKIP.
 */
const FAKE_OCAMLTEST = `#!/bin/sh
case "$1" in
  -find-test-dirs) for d in "$2" "$2"/*/; do ls "$d" | grep -q '[.]ml$' && echo "\${d%/}"; done; exit 0;;
  -list-tests) ls "$2" | grep '[.]ml$'; exit 0;;
  -timeout) f="$3";;
esac
name=$(basename "$f")
if grep -q FAIL "$f"; then echo " ... testing '$name' => failed"
elif grep -q SKIP "$f"; then echo " ... testing '$name' => skipped"
elif grep -q NEEDS "$f" && ! grep -q "$(sed -n 's/.*NEEDS \\([a-z]*\\).*/\\1/p' "$f")" ../a.out
then echo " ... testing '$name' => failed"
else echo " ... testing '$name' => passed"; fi
`;

async function addFakeOcamltest(): Promise<void> {
  mkdirSync(join(p.paths.ocamlSrc, 'ocamltest'), { recursive: true });
  mkdirSync(join(p.paths.ocamlSrc, 'testsuite/tests/t'), { recursive: true });
  writeFileSync(join(p.paths.ocamlSrc, 'ocamltest/ocamltest'), FAKE_OCAMLTEST);
  chmodSync(join(p.paths.ocamlSrc, 'ocamltest/ocamltest'), 0o755);
  await commitPatch('Add ocamltest and a test', { 'ocamltest/ocamltest': FAKE_OCAMLTEST, 'testsuite/tests/t/ok.ml': '(* passes *)\n' });
}

describe('patches:lint --each, the own tests of each prefix', () => {
  it('a patch\'s tests are the test directories where it adds, changes or removes a file', () => {
    expect(
      patchTestDirs([
        'runtime/interp.c',
        'testsuite/tests/lib-dynlink-crossload/main.ml',
        'testsuite/tests/lib-dynlink-crossload/lib/plugin.ml',
        'testsuite/tests/tool-toplevel/pr7751.compilers.reference',
        'testsuite/tests/lib-dynlink-crossload/main.reference',
        'testsuite/Makefile',
        'testsuite/tests/README',
      ]),
    ).toEqual(['tests/lib-dynlink-crossload', 'tests/tool-toplevel']);
    expect(patchTestDirs(['Changes', 'runtime/fiber.c'])).toEqual([]);
  });

  it('says how many passed, failed and were skipped, naming the failed ones', () => {
    const t = (key: string, outcome: 'passed' | 'failed' | 'skipped') => ({ key, dir: 'tests/t', file: key.slice(8), outcome, messages: [] });
    const d = describePrefixTests(['tests/t'], [t('tests/t/a.ml', 'passed'), t('tests/t/b.ml', 'skipped'), t('tests/t/c.ml', 'failed')]);
    expect(d.line).toBe('its tests (tests/t): 1 passed, 1 failed, 1 skipped (failed: tests/t/c.ml)');
    expect(d.failed).toEqual(['tests/t/c.ml']);
  });

  it('runs the tests of each prefix that touches them after building it, and stops at the first prefix whose own test fails', async () => {
    await addFakeOcamltest();
    await commitPatch('Add a skipped test', { 'testsuite/tests/t/skip.ml': '(* SKIP *)\n' });
    await commitPatch('Add a failing test', { 'testsuite/tests/t/bad.ml': '(* FAIL *)\n' });
    await commitPatch('Patch beta', { 'b.src': 'beta patched\n' });
    const logs: string[] = [];
    const r = await buildEachPrefix({ paths: p.paths, config: p.config }, { jobs: 2, log: (l) => logs.push(l) });
    expect(logs).toContain('✓ after patch 2, its tests (tests/t): 1 passed, 0 failed, 0 skipped');
    expect(logs).toContain('✓ after patch 3, its tests (tests/t): 1 passed, 0 failed, 1 skipped');
    expect(logs).toContain('✗ after patch 4, its tests (tests/t): 1 passed, 1 failed, 1 skipped (failed: tests/t/bad.ml)');
    expect(r.outcomes).toHaveLength(4);
    expect(r.tests.map((x) => x.patch)).toEqual([2, 3, 4]);
    expect(r.problems).toEqual([`after patch 4 (Add a failing test), its own tests: tests/t/bad.ml failed (logs: ${lintEachTarget(p.paths, 4).logDir}/tests-*.log)`]);
  });

  it('stops at a prefix whose own tests all skip: none of them shows the patch working', async () => {
    await addFakeOcamltest();
    mkdirSync(join(p.paths.ocamlSrc, 'testsuite/tests/u'), { recursive: true });
    await commitPatch('Add a test that skips here', { 'testsuite/tests/u/skip.ml': '(* SKIP *)\n' });
    const logs: string[] = [];
    const r = await buildEachPrefix({ paths: p.paths, config: p.config }, { jobs: 2, log: (l) => logs.push(l) });
    expect(logs).toContain('✗ after patch 3, its tests (tests/u): 0 passed, 0 failed, 1 skipped');
    expect(r.problems).toEqual(['after patch 3 (Add a test that skips here), its own tests: none passed (1 skipped)']);
  });

  it('checks a failure after an incremental build again from clean: Make does not see a changed flag, and keeps stale outputs', async () => {
    await addFakeOcamltest();
    const makefile = readFileSync(join(p.paths.ocamlSrc, 'Makefile'), 'utf8');
    expect(makefile).toContain('%.out: %.src\n\tcp $< $@\n');
    // a.out, built by patch 1, does not depend on the Makefile: the incremental build keeps it unflagged.
    await commitPatch('Flag the outputs, and test it', {
      Makefile: makefile.replace('%.out: %.src\n\tcp $< $@\n', '%.out: %.src\n\tcp $< $@\n\techo flagged >> $@\n'),
      'testsuite/tests/t/flagged.ml': '(* NEEDS flagged *)\n',
    });
    const logs: string[] = [];
    const r = await buildEachPrefix({ paths: p.paths, config: p.config }, { jobs: 2, log: (l) => logs.push(l) });
    expect(r.problems).toEqual([]);
    expect(logs).toContain('note: after patch 3, its tests (tests/t): 1 passed, 1 failed, 0 skipped (failed: tests/t/flagged.ml) after an incremental build; building patch 3 from clean to tell stale outputs from a failure');
    expect(logs).toContain('note: after patch 3, its own tests pass from clean only: the incremental build had kept stale outputs');
    expect(logs).toContain('✓ after patch 3, its tests (tests/t): 2 passed, 0 failed, 0 skipped');
    expect(r.tests.at(-1)).toEqual({ patch: 3, counts: expect.objectContaining({ passed: 2 }), staleIncremental: true });
    expect(r.outcomes.at(-1)!.notes).toContain('built from clean, as asked');
  });

  it('a test that fails from clean too fails the prefix', async () => {
    await addFakeOcamltest();
    await commitPatch('Test a flag that nothing sets', { 'testsuite/tests/t/flagged.ml': '(* NEEDS flagged *)\n' });
    const logs: string[] = [];
    const r = await buildEachPrefix({ paths: p.paths, config: p.config }, { jobs: 2, log: (l) => logs.push(l) });
    expect(logs.some((l) => l.startsWith('note: after patch 3,') && l.endsWith('building patch 3 from clean to tell stale outputs from a failure'))).toBe(true);
    expect(r.problems).toEqual([`after patch 3 (Test a flag that nothing sets), its own tests: tests/t/flagged.ml failed (logs: ${lintEachTarget(p.paths, 3).logDir}/tests-*.log)`]);
  });

  it('with --from N, starts at patch N; without tests, only builds', async () => {
    await addFakeOcamltest();
    await commitPatch('Add a failing test', { 'testsuite/tests/t/bad.ml': '(* FAIL *)\n' });
    await commitPatch('Patch beta', { 'b.src': 'beta patched\n' });
    const from3 = await buildEachPrefix({ paths: p.paths, config: p.config }, { jobs: 2, from: 3 });
    expect(from3.outcomes).toHaveLength(1);
    expect(from3.problems).toEqual(['after patch 3 (Add a failing test), its own tests: tests/t/bad.ml failed (logs: ' + lintEachTarget(p.paths, 3).logDir + '/tests-*.log)']);
    const built = await buildEachPrefix({ paths: p.paths, config: p.config }, { jobs: 2, from: 3, tests: false });
    expect(built.problems).toEqual([]);
    expect(built.outcomes).toHaveLength(2);
    expect((await buildEachPrefix({ paths: p.paths, config: p.config }, { from: 9 })).problems).toEqual(['--from 9: the series has patches 1 to 4']);
  });
});
