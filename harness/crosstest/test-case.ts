import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkbenchError } from '../errors.ts';
import { parseLibraries } from './libraries.ts';
import type { Family, Mode, TestCase } from './mode.ts';
import { BASE_MODE_NAMES } from './modes/index.ts';

export type { HostSpec, TestCase } from './mode.ts';

interface TestJson {
  description: string;
  host: string[];
  plugins?: string[];
  status?: number;
  skipFamilies?: Partial<Record<Family, string>>;
  skipModes?: Record<string, string>;
  skipUnderTsan?: string;
  archive?: boolean;
  libraries?: unknown;
}

const FAMILIES: readonly Family[] = ['program', 'toplevel'];

/**
 * testsuite/<name>/test.json; directories whose name starts with `_` hold
 * support code. `modeNames` (the base modes, e.g. `byte+cmxs`) are the
 * names a test's `skipModes` may use.
 */
export function discoverOwnTests(testsuiteDir: string, modeNames: readonly string[] = BASE_MODE_NAMES): TestCase[] {
  return readdirSync(testsuiteDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('_') && existsSync(join(testsuiteDir, d.name, 'test.json')))
    .map((d) => loadOwnTest(join(testsuiteDir, d.name), d.name, modeNames))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** A map from the names in `known` (all names if undefined) to a non-empty reason. */
function parseReasons(value: unknown, field: string, where: string, known: readonly string[] | undefined): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new WorkbenchError(`${where}: "${field}" must map names to the reason for skipping them`);
  for (const [key, reason] of Object.entries(value)) {
    if (known && !known.includes(key)) throw new WorkbenchError(`${where}: "${field}" names ${key}, which is none of ${known.join(', ')}`);
    if (typeof reason !== 'string' || reason.trim() === '') throw new WorkbenchError(`${where}: "${field}" must give a reason for ${key}`);
  }
  return value as Record<string, string>;
}

function loadOwnTest(dir: string, name: string, modeNames: readonly string[]): TestCase {
  const where = `testsuite/${name}/test.json`;
  let json: TestJson;
  try {
    json = JSON.parse(readFileSync(join(dir, 'test.json'), 'utf8')) as TestJson;
  } catch (e) {
    throw new WorkbenchError(`${where} is not valid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(json.host) || json.host.length === 0) throw new WorkbenchError(`${where}: "host" must list the host sources`);
  for (const f of [...json.host, ...(json.plugins ?? [])]) {
    if (!existsSync(join(dir, f))) throw new WorkbenchError(`${where} names ${f}, which does not exist`);
  }
  const libraries = json.libraries === undefined ? [] : parseLibraries(json.libraries, where);
  const skipFamilies = json.skipFamilies === undefined ? undefined : parseReasons(json.skipFamilies, 'skipFamilies', where, FAMILIES);
  const skipModes = json.skipModes === undefined ? undefined : parseReasons(json.skipModes, 'skipModes', where, modeNames);
  if (json.skipUnderTsan !== undefined && (typeof json.skipUnderTsan !== 'string' || json.skipUnderTsan.trim() === '')) {
    throw new WorkbenchError(`${where}: "skipUnderTsan" must give the reason for skipping the test on a TSan build`);
  }
  return {
    name: `own/${name}`,
    dir,
    description: json.description,
    host: { key: `own-${name}`, dir, sources: json.host, ...(libraries.length > 0 ? { libraries } : {}) },
    plugins: json.plugins ?? [],
    env: {},
    status: json.status ?? 0,
    output: 'separate',
    ...(skipFamilies ? { skipFamilies } : {}),
    ...(skipModes ? { skipModes } : {}),
    ...(json.skipUnderTsan !== undefined ? { skipUnderTsan: json.skipUnderTsan } : {}),
    ...(json.archive ? { archive: true } : {}),
  };
}

/**
 * The expected output of `stream` (or the exit status) in a mode, most
 * specific first: `expected.toplevel.<format>.<stream>` and
 * `expected.toplevel.<stream>` for the toplevel family (what differs there by
 * design), `expected.<format>.<stream>` (behaviour that depends on the file
 * format, e.g. the error for a corrupt file), then `expected.<stream>`.
 * A missing file means "no output". Merged tests compare stdout with their
 * reference file for the mode's plugin format (a missing one, as in
 * ocamltest, means no output) and expect nothing else on stderr.
 */
export function expectedOutput(test: TestCase, stream: 'stdout' | 'stderr', mode: Pick<Mode, 'family' | 'pluginFormat'>): { file: string; text: string } {
  if (test.output === 'merged') {
    if (stream === 'stderr') return { file: '(no separate stderr)', text: '' };
    const file = test.referenceFiles![mode.pluginFormat];
    return existsSync(file) ? { file, text: readFileSync(file, 'utf8') } : { file: `${file} (absent: no output expected)`, text: '' };
  }
  const variants = mode.family === 'toplevel' ? [`toplevel.${mode.pluginFormat}`, 'toplevel', mode.pluginFormat] : [mode.pluginFormat];
  for (const variant of variants) {
    const file = join(test.dir, `expected.${variant}.${stream}`);
    if (existsSync(file)) return { file, text: readFileSync(file, 'utf8') };
  }
  const file = join(test.dir, `expected.${stream}`);
  return { file, text: existsSync(file) ? readFileSync(file, 'utf8') : '' };
}
