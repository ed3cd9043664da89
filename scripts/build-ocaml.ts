// npm run build-ocaml [-- --prefix DIR --jobs N --force]: the patched compiler, built and installed. (--help: every option)
import { main } from '../harness/cli.ts';
import { defineCommand, parseCommandLine } from '../harness/options.ts';
import { loadConfig, projectPaths } from '../harness/config.ts';
import { buildOcaml } from '../harness/build-ocaml.ts';

const COMMAND = defineCommand({
  usage: 'npm run build-ocaml --',
  summary:
    'Fetch ocaml@5.3.0 from the npm registry (cached in .cache/, checked against the sha512 pinned in workbench.json), ' +
    'make ocaml-src/ the pristine tree plus the series, ./configure, make -jN, make install into _install/ (or DIR). ' +
    'Each step logs to logs/build-ocaml/<step>.log; on failure the last lines are printed. With unchanged inputs it says ' +
    'up to date in about a second (it compares the manifest _install/workbench-manifest.json: tarball integrity, patched ' +
    'tree hash, configure flags, prefix, harness version).',
  options: {
    prefix: { type: 'string', arg: 'DIR', help: 'install into DIR instead of _install/' },
    jobs: { type: 'int', arg: 'N', min: 1, help: 'make -jN (default: the number of cores)' },
    force: { type: 'boolean', help: 'set unexported work in ocaml-src/ aside (as patches:apply --force) instead of refusing' },
  },
});

main(async () => {
  const values = parseCommandLine(COMMAND);
  const paths = projectPaths();
  const started = performance.now();
  const result = await buildOcaml({
    paths,
    config: loadConfig(paths),
    ...(values.prefix !== undefined ? { prefix: values.prefix } : {}),
    ...(values.jobs !== undefined ? { jobs: values.jobs } : {}),
    force: values.force,
  });
  for (const note of result.notes) console.log(`note: ${note}`);
  const secs = ((performance.now() - started) / 1000).toFixed(1);
  console.log(result.upToDate ? `build-ocaml: ${result.prefix} is up to date (${secs}s)` : `build-ocaml: installed into ${result.prefix} in ${secs}s (logs: ${result.logDir})`);
});
