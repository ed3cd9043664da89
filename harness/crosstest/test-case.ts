import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkbenchError } from '../errors.ts';

/** One directory of testsuite/: a host program, its plugins, and the reference behaviour. */
export interface TestCase {
  name: string;
  dir: string;
  description: string;
  /** Host sources in link order; the last one is the main program. */
  host: string[];
  /** Plugin sources in load order: a later plugin may use an earlier one. */
  plugins: string[];
  /** Expected exit status (default 0). */
  status: number;
}

interface TestJson {
  description: string;
  host: string[];
  plugins?: string[];
  status?: number;
}

/** Directories whose name starts with `_` hold support code, not tests. */
export function discoverTests(testsuiteDir: string): TestCase[] {
  return readdirSync(testsuiteDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('_') && existsSync(join(testsuiteDir, d.name, 'test.json')))
    .map((d) => loadTest(join(testsuiteDir, d.name), d.name))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function loadTest(dir: string, name: string): TestCase {
  let json: TestJson;
  try {
    json = JSON.parse(readFileSync(join(dir, 'test.json'), 'utf8')) as TestJson;
  } catch (e) {
    throw new WorkbenchError(`testsuite/${name}/test.json is not valid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(json.host) || json.host.length === 0) throw new WorkbenchError(`testsuite/${name}/test.json: "host" must list the host sources`);
  for (const f of [...json.host, ...(json.plugins ?? [])]) {
    if (!existsSync(join(dir, f))) throw new WorkbenchError(`testsuite/${name}/test.json names ${f}, which does not exist`);
  }
  return { name, dir, description: json.description, host: json.host, plugins: json.plugins ?? [], status: json.status ?? 0 };
}

/**
 * The expected output of `stream` in a mode: `expected.<mode>.<stream>`, then
 * `expected.<plugin format>.<stream>` (for behaviour that depends on the file
 * format, e.g. the error for a corrupt file), then `expected.<stream>`.
 * A missing file means "no output".
 */
export function expectedOutput(test: TestCase, stream: 'stdout' | 'stderr', modeName: string, pluginFormat: string): { file: string; text: string } {
  for (const variant of [modeName, pluginFormat]) {
    const file = join(test.dir, `expected.${variant.replace(/[^a-z0-9.+-]/gi, '_')}.${stream}`);
    if (existsSync(file)) return { file, text: readFileSync(file, 'utf8') };
  }
  const file = join(test.dir, `expected.${stream}`);
  return { file, text: existsSync(file) ? readFileSync(file, 'utf8') : '' };
}
