// npm run patches:reauthor -- --name NAME --email EMAIL [--year YYYY]: send the series under another author. (--help)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../harness/cli.ts';
import { loadConfig, projectPaths, seriesLocation } from '../harness/config.ts';
import { WorkbenchError } from '../harness/errors.ts';
import { gitIn } from '../harness/git.ts';
import { defineCommand, parseCommandLine } from '../harness/options.ts';
import { applySeries } from '../harness/patch-apply.ts';
import { checkSeries } from '../harness/patch-check.ts';
import { exportSeries, readPatchFiles } from '../harness/patch-export.ts';
import { reauthorPatch, type Author } from '../harness/reauthor.ts';

const COMMAND = defineCommand({
  usage: 'npm run patches:reauthor --',
  summary:
    "Make another person the author of the series: every patch's From: line, the Changes credits \"(Name)\" and the " +
    'author and copyright lines of the files the series creates now name them, and workbench.json\'s "author" too. ' +
    'Then applies the series to ocaml-src/ and exports it again. Refuses when patches/ and ocaml-src/ disagree ' +
    '(export or apply first). Without options, only makes every From: line the configured author.',
  options: {
    name: { type: 'string', arg: 'NAME', help: "the author's name, as in Changes credits (default: workbench.json's)" },
    email: { type: 'string', arg: 'EMAIL', help: "the author's e-mail (default: workbench.json's)" },
    year: { type: 'int', arg: 'YYYY', min: 1990, help: "the year of the copyright lines (default: workbench.json's)" },
  },
});

main(async () => {
  const values = parseCommandLine(COMMAND);
  const paths = projectPaths();
  const config = loadConfig(paths);
  const from: Author = config.author;
  const year = values.year ?? from.copyrightYear;
  const to: Author = { name: values.name ?? from.name, email: values.email ?? from.email, copyrightYear: year };
  if (!/^[ -~]+$/.test(to.name) || /[<>()]/.test(to.name)) throw new WorkbenchError(`--name "${to.name}": use plain ASCII, without <>()`);

  const location = seriesLocation(paths, config);
  const problems = await checkSeries(location);
  if (problems.length > 0) {
    throw new WorkbenchError(`patches/ and ocaml-src/ disagree:\n  ${problems.join('\n  ')}`, 'Export (npm run patches:export) or apply (npm run patches:apply) first.');
  }
  const patches = readPatchFiles(paths.patches);
  // Rewrite every patch first: a name that does not fit a header line fails before anything is written.
  const rewritten = patches.map((p) => ({ name: p.name, text: reauthorPatch(p.bytes.toString('utf8'), from, to) }));
  for (const p of rewritten) writeFileSync(join(paths.patches, p.name), p.text);
  const json = readFileSync(paths.config, 'utf8');
  const authorBlock = /"author": \{[^}]*\}/;
  if (!authorBlock.test(json)) throw new WorkbenchError('workbench.json has no "author" object');
  writeFileSync(paths.config, json.replace(authorBlock, `"author": ${JSON.stringify(to, null, 2).replace(/\n/g, '\n  ')}`));

  const outcome = await applySeries(location);
  const exported = await exportSeries(gitIn(paths.ocamlSrc, config.gitIdentity), config.ocaml.pristineTag, paths.patches);
  console.log(
    `patches: ${patches.length} patches now by ${to.name} <${to.email}>` +
      ` (ocaml-src/ ${outcome.kind === 'applied' ? 'moved to them' : 'already held them'}; ${exported.length} re-exported)`,
  );
});
