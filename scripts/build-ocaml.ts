// npm run build-ocaml [-- --prefix DIR] [--jobs N] [--force]
import { parseArgs } from 'node:util';
import { main } from '../harness/cli.ts';
import { loadConfig, projectPaths } from '../harness/config.ts';
import { buildOcaml } from '../harness/build-ocaml.ts';

main(async () => {
  const { values } = parseArgs({
    options: {
      prefix: { type: 'string' },
      jobs: { type: 'string' },
      force: { type: 'boolean', default: false },
    },
  });
  const paths = projectPaths();
  const started = performance.now();
  const result = await buildOcaml({
    paths,
    config: loadConfig(paths),
    ...(values.prefix ? { prefix: values.prefix } : {}),
    ...(values.jobs ? { jobs: Number(values.jobs) } : {}),
    force: values.force ?? false,
  });
  for (const note of result.notes) console.log(`note: ${note}`);
  const secs = ((performance.now() - started) / 1000).toFixed(1);
  console.log(result.upToDate ? `build-ocaml: ${result.prefix} is up to date (${secs}s)` : `build-ocaml: installed into ${result.prefix} in ${secs}s (logs: ${result.logDir})`);
});
