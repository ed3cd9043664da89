// npm run patches:lint [-- --each]: is the series ready to send upstream? (--help: every option)
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../harness/cli.ts';
import { defineCommand, parseCommandLine, UsageError } from '../harness/options.ts';
import { loadConfig, projectPaths, seriesLocation } from '../harness/config.ts';
import { run } from '../harness/exec.ts';
import { gitIn } from '../harness/git.ts';
import { BUILD_TOOLS, checkTools, LINT_TOOLS } from '../harness/preflight.ts';
import { ensureTarball } from '../harness/tarball.ts';
import { ensurePristineSource } from '../harness/pristine.ts';
import { checkSeries } from '../harness/patch-check.ts';
import { applySeries } from '../harness/patch-apply.ts';
import { buildOcaml } from '../harness/build-ocaml.ts';
import { buildEachPrefix, lintManPages, lintMessagesAndContents, lintUpstreamingDoc, readPatches, type Finding } from '../harness/patch-lint.ts';
import { classifyRewrites, findRewritePairs, formatRewritePair } from '../harness/rewrite-pairs.ts';
import { readPatchFiles } from '../harness/patch-export.ts';
import { patchesWithOtherAuthors } from '../harness/reauthor.ts';

const COMMAND = defineCommand({
  usage: 'npm run patches:lint --',
  summary:
    'Is the series ready for upstream? Applies and builds it (with --each, after every patch, incrementally in ' +
    '.cache/lint-each/, and from clean when the incremental build trips on stale outputs), and checks OCaml-style commit ' +
    'messages, a Changes entry and tests for each code change, Dynlink changes documented in dynlink.mli and the manual, ' +
    'a man page for ocaml.opt, tools/check-typo clean on every touched file, every patch described in docs/upstreaming.md. ' +
    "Every patch is by workbench.json's author. Fails on the pairs of a patch rewriting lines an earlier patch added that " +
    'docs/upstreaming.md does not explain.',
  options: {
    each: {
      type: 'boolean',
      help:
        'build after every patch of the series (logs: logs/lint-each/NNNN/<step>.log), not only the whole series, and run ' +
        'the tests of the test directories that the patch touches in that build (logs: logs/lint-each/NNNN/tests-*.log): ' +
        'none may fail, and at least one must pass (but for tests of TSan builds alone, which npm run sanitize runs); ' +
        'a C compiler warning in a prefix\'s build fails it too',
    },
    from: { type: 'string', arg: 'N', help: 'with --each, start at patch N (the earlier prefixes are not built again)' },
    to: { type: 'string', arg: 'N', help: 'with --each, stop after patch N (the later prefixes are not built)' },
    'no-tests': { type: 'boolean', help: 'with --each, only build each prefix' },
  },
});

main(async () => {
  const values = parseCommandLine(COMMAND);
  const from = values.from === undefined ? undefined : Number(values.from);
  if (from !== undefined && !(Number.isInteger(from) && from >= 1)) throw new UsageError(`--from ${values.from}: a patch number (1, 2, …)`, COMMAND.usage);
  const to = values.to === undefined ? undefined : Number(values.to);
  if (to !== undefined && !(Number.isInteger(to) && to >= (from ?? 1))) throw new UsageError(`--to ${values.to}: a patch number, not before --from`, COMMAND.usage);
  if ((from !== undefined || to !== undefined || values['no-tests']) && !values.each) throw new UsageError('--from, --to and --no-tests go with --each', COMMAND.usage);
  await checkTools([...BUILD_TOOLS, ...LINT_TOOLS]);
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
    ...lintUpstreamingDoc(paths.upstreamingDoc, patches),
  ];

  // 2a. One author, workbench.json's (npm run patches:reauthor changes it).
  const strangers = patchesWithOtherAuthors(readPatchFiles(paths.patches).map((p) => ({ name: p.name, text: p.bytes.toString('utf8') })), config.author);
  if (strangers.length > 0) {
    problems.push(`patches not by workbench.json's author (${config.author.name} <${config.author.email}>; npm run patches:reauthor makes them so): ${strangers.join(', ')}`);
  }

  // 2b. Patches that rewrite lines an earlier patch added (git blame): each pair must be folded into the earlier
  // patch, or docs/upstreaming.md must say why it is kept apart (a *Rewrites* sentence of the later patch's entry).
  const rewrites = classifyRewrites(readFileSync(paths.upstreamingDoc, 'utf8'), await findRewritePairs(git, base));
  console.log(
    `note: ${rewrites.pairs.length} pairs of a patch rewriting lines an earlier patch added (later ← earlier); ` +
      `${rewrites.explained.length} explained by a *Rewrites* sentence of the later patch in docs/upstreaming.md, ` +
      `${rewrites.unexplained.length} not`,
  );
  if (rewrites.unexplained.length > 0) {
    problems.push(
      `patches rewrite lines an earlier patch added, and docs/upstreaming.md does not say why (fold the change into ` +
        `the earlier patch, or name it in a *Rewrites* sentence of the later patch's entry): ` +
        rewrites.unexplained.map(formatRewritePair).join('; '),
    );
  }

  // 3. tools/check-typo on every file the series touches (as it stands at the end).
  const touched = [...new Set(patches.flatMap((p) => p.files))].filter((f) => existsSync(join(paths.ocamlSrc, f)));
  if (touched.length > 0) {
    const typo = await run('./tools/check-typo', touched, { cwd: paths.ocamlSrc });
    if (typo.exitCode !== 0) problems.push(`tools/check-typo:\n${(typo.stdout + typo.stderr).trim()}`);
  }

  // 4. It builds (the one build pipeline): the final tree (build-ocaml), or with --each every prefix of the series.
  if (values.each) {
    const each = await buildEachPrefix({ paths, config }, { log: console.log, tests: !values['no-tests'], ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) });
    problems.push(...each.problems);
    const ran = each.tests.reduce((a, t) => ({ passed: a.passed + t.counts.passed, skipped: a.skipped + t.counts.skipped }), { passed: 0, skipped: 0 });
    if (!values['no-tests']) console.log(`note: the own tests of ${each.tests.length} prefixes ran: ${ran.passed} passed, ${ran.skipped} skipped in all`);
    const stale = each.tests.filter((t) => t.staleIncremental).map((t) => t.patch);
    if (stale.length > 0) console.log(`note: the own tests of patches ${stale.join(', ')} failed after an incremental build and passed from clean (Make had kept outputs that an earlier prefix's flags made)`);
  }
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
