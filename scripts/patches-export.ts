// npm run patches:export: rewrite patches/ from the commits above the pristine tag in ocaml-src/. (--help)
import { main } from '../harness/cli.ts';
import { loadConfig, projectPaths } from '../harness/config.ts';
import { WorkbenchError } from '../harness/errors.ts';
import { defineCommand, parseCommandLine } from '../harness/options.ts';
import { gitIn } from '../harness/git.ts';
import { exportSeries } from '../harness/patch-export.ts';
import { inspectSource } from '../harness/source-state.ts';
import { existsSync } from 'node:fs';

const COMMAND = defineCommand({
  usage: 'npm run patches:export --',
  summary:
    'Rewrite patches/ (one git format-patch file per commit, and patches/series) from the commits above the pristine tag ' +
    '(upstream/5.3.0) in ocaml-src/. Uncommitted changes are not exported; they are listed.',
  options: {},
});

main(async () => {
  parseCommandLine(COMMAND);
  const paths = projectPaths();
  const config = loadConfig(paths);
  if (!existsSync(paths.ocamlSrc)) throw new WorkbenchError('there is no ocaml-src/ to export from', 'Run `npm run patches:apply` first.');
  const git = gitIn(paths.ocamlSrc, config.gitIdentity);
  const state = await inspectSource(git, paths.ocamlSrc, config.ocaml.pristineTag, paths.patches);
  if (state.operationInProgress) throw new WorkbenchError(`ocaml-src/ is in the middle of ${state.operationInProgress}`, 'Finish or abort it first.');
  if (state.uncommitted.length > 0) {
    console.log(`note: uncommitted changes in ocaml-src/ are not exported:\n  ${state.uncommitted.join('\n  ')}`);
  }
  const changed = await exportSeries(git, config.ocaml.pristineTag, paths.patches);
  console.log(changed.length === 0 ? 'patches: nothing to export, patches/ is up to date' : `patches: exported ${changed.join(', ')}`);
});
