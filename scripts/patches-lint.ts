// npm run patches:lint [-- --each]: is the series ready to send upstream?
import { existsSync, mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { main } from '../harness/cli.ts';
import { loadConfig, projectPaths, seriesLocation } from '../harness/config.ts';
import { run } from '../harness/exec.ts';
import { gitIn } from '../harness/git.ts';
import { ensureTarball } from '../harness/tarball.ts';
import { ensurePristineSource } from '../harness/pristine.ts';
import { checkSeries } from '../harness/patch-check.ts';
import { applySeries } from '../harness/patch-apply.ts';
import { buildOcaml } from '../harness/build-ocaml.ts';
import { lintManPages, lintMessagesAndContents, lintUpstreamingDoc, readPatches, type Finding } from '../harness/patch-lint.ts';

main(async () => {
  const { values } = parseArgs({ options: { each: { type: 'boolean', default: false } } });
  const paths = projectPaths();
  const config = loadConfig(paths);
  const base = config.ocaml.pristineTag;
  await ensurePristineSource(config, await ensureTarball(config, paths.cache), paths.ocamlSrc);
  const problems: string[] = [];

  // 1. Applies to pristine 5.3.0 in order, exports byte-stable, ocaml-src/ holds it.
  problems.push(...(await checkSeries(seriesLocation(paths, config))));
  if (problems.length > 0) return report(problems, []);
  await applySeries(seriesLocation(paths, config));

  // 2. Messages, Changes entries, tests, documentation.
  const git = gitIn(paths.ocamlSrc, config.gitIdentity);
  const patches = await readPatches(git, base);
  const findings: Finding[] = [
    ...lintMessagesAndContents(patches),
    ...lintManPages(paths.ocamlSrc, patches),
    ...lintUpstreamingDoc(join(paths.root, 'docs', 'upstreaming.md'), patches),
  ];

  // 3. tools/check-typo on every file the series touches (as it stands at the end).
  const touched = [...new Set(patches.flatMap((p) => p.files))].filter((f) => existsSync(join(paths.ocamlSrc, f)));
  if (touched.length > 0) {
    const typo = await run('./tools/check-typo', touched, { cwd: paths.ocamlSrc });
    if (typo.exitCode !== 0) problems.push(`tools/check-typo:\n${(typo.stdout + typo.stderr).trim()}`);
  }

  // 4. It builds: the final tree (the usual incremental build), or with --each every prefix of the series.
  if (values.each) problems.push(...(await buildEachPrefix(paths.cache, git, base, config.configureFlags)));
  else await buildOcaml({ paths, config });
  return report(problems, findings);
});

function report(problems: string[], findings: Finding[]): number {
  for (const p of problems) console.log(`✗ ${p}`);
  for (const f of findings) console.log(`✗ [${f.rule}] ${f.patch}: ${f.message}`);
  const n = problems.length + findings.length;
  console.log(n === 0 ? 'patches:lint: the series is ready to send upstream' : `patches:lint: ${n} problem(s)`);
  return n === 0 ? 0 : 1;
}

/**
 * Builds every prefix of the series in one kept worktree under .cache/,
 * moving it commit by commit, so each build is incremental.
 */
async function buildEachPrefix(cacheDir: string, git: ReturnType<typeof gitIn>, base: string, flags: string[]): Promise<string[]> {
  const dir = join(cacheDir, 'lint-each', 'tree');
  const logs = join(cacheDir, 'lint-each', 'logs');
  mkdirSync(logs, { recursive: true });
  const commits = (await git.raw(['rev-list', '--reverse', `${base}..HEAD`])).split('\n').filter(Boolean);
  if (!existsSync(dir)) await git.raw(['worktree', 'add', '--detach', dir, base]);
  const wt = gitIn(dir);
  for (const [i, commit] of commits.entries()) {
    const subject = (await git.raw(['log', '-1', '--format=%s', commit])).trim();
    await wt.raw(['checkout', '--quiet', '--detach', commit]);
    const log = join(logs, `${String(i + 1).padStart(4, '0')}.log`);
    // A patch that changes a configure template (*.in) needs configure run again, as in build-ocaml.
    const touched = (await git.raw(['diff-tree', '--no-commit-id', '--name-only', '-r', commit])).split('\n');
    const templateChanged = touched.some((f) => f.endsWith('.in') || f === 'configure');
    if (!existsSync(join(dir, 'Makefile.config')) || i === 0 || templateChanged) {
      const c = await run('./configure', [...flags, `--prefix=${join(cacheDir, 'lint-each', 'prefix')}`], { cwd: dir, logFile: log });
      if (c.exitCode !== 0) return [`patch ${i + 1} (${subject}): configure failed, see ${log}`];
    }
    let m = await run('make', [`-j${availableParallelism()}`], { cwd: dir, logFile: log });
    let how = '';
    if (m.exitCode !== 0) {
      // Upstream's Makefile does not track every dependency (e.g. otherlibs/dynlink's copies of
      // compiler modules), so moving the tree between commits can leave stale outputs: what a
      // reviewer checks is that the prefix builds, so build it again from clean before failing.
      await run('make', ['clean'], { cwd: dir, logFile: log });
      m = await run('make', [`-j${availableParallelism()}`], { cwd: dir, logFile: log });
      how = ' (from clean: the incremental build failed on stale outputs)';
    }
    console.log(`${m.exitCode === 0 ? '✓' : '✗'} builds after patch ${i + 1}${m.exitCode === 0 ? how : ''}: ${subject}`);
    if (m.exitCode !== 0) return [`the tree does not build after patch ${i + 1} (${subject}), even from clean; see ${log}`];
  }
  return [];
}
