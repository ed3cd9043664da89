// npm run patches:renumber [-- --fold OLD:NEW --dry-run]: renumber the documents after the series was reordered. (--help)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../harness/cli.ts';
import { defineCommand, parseCommandLine, UsageError } from '../harness/options.ts';
import { loadConfig, projectPaths } from '../harness/config.ts';
import { gitIn } from '../harness/git.ts';
import { readPatches } from '../harness/patch-lint.ts';
import { entrySubjects, renumbering, renumberReferences, renumberUpstreaming } from '../harness/renumber-docs.ts';

const COMMAND = defineCommand({
  usage: 'npm run patches:renumber --',
  summary:
    'After the series in ocaml-src/ was reordered or a patch folded into another (git rebase -i), renumber the ' +
    'documents: the list of patches of docs/upstreaming.md (whose entry numbers still give the old order) in the new ' +
    'order, and every reference to a patch in it and in docs/crossload.md ("patch 12", "patches 4 and 7", "0012", the ' +
    'numbers of *Rewrites* sentences). A patch is found by its subject; the entry of a folded patch is appended to the ' +
    'entry of the patch it went into, to be merged by hand. The README\'s records of past runs keep the numbers of ' +
    'their day and are not changed.',
  options: {
    fold: {
      type: 'string',
      arg: 'OLD:NEW[,OLD:NEW…]',
      help: 'the old entry number of a patch folded into another, and the new number of that other',
    },
    'dry-run': { type: 'boolean', help: 'print the renumbering, change nothing' },
  },
});

function parseFolds(spec: string | undefined): Map<number, number> {
  const out = new Map<number, number>();
  for (const pair of (spec ?? '').split(',').filter(Boolean)) {
    const m = /^(\d+):(\d+)$/.exec(pair.trim());
    if (!m) throw new UsageError(`--fold ${pair}: OLD:NEW, two patch numbers`, COMMAND.usage);
    out.set(Number(m[1]), Number(m[2]));
  }
  return out;
}

main(async () => {
  const values = parseCommandLine(COMMAND);
  const folds = parseFolds(values.fold);
  const paths = projectPaths();
  const config = loadConfig(paths);
  const subjects = (await readPatches(gitIn(paths.ocamlSrc, config.gitIdentity), config.ocaml.pristineTag)).map((p) => p.subject);
  const upstreaming = readFileSync(paths.upstreamingDoc, 'utf8');
  const entries = entrySubjects(upstreaming);
  const map = renumbering(entries, subjects, folds);
  const moved = [...map].filter(([old, now]) => old !== now);
  for (const [old, now] of moved) console.log(`${old} → ${now}${folds.has(old) ? ' (folded)' : ''}  ${entries.get(old)}`);
  if (moved.length === 0) {
    console.log('patches:renumber: the documents already follow the series');
    return 0;
  }
  if (values['dry-run']) return 0;
  writeFileSync(paths.upstreamingDoc, renumberUpstreaming(upstreaming, map, new Set(folds.keys())));
  const design = join(paths.root, 'docs', 'crossload.md');
  writeFileSync(design, renumberReferences(readFileSync(design, 'utf8'), map));
  console.log(`patches:renumber: ${moved.length} patches renumbered in docs/upstreaming.md and docs/crossload.md; ` +
    'merge the entries marked "Folded in" by hand, then run npm run patches:lint');
  return 0;
});
