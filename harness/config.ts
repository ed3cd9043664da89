import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The committed, pinned inputs (workbench.json). */
export interface WorkbenchConfig {
  ocaml: {
    npmPackage: string;
    version: string;
    /** Subresource-integrity string of the npm tarball (sha512-…). */
    integrity: string;
    /** Tag of the pristine commit in ocaml-src/. */
    pristineTag: string;
  };
  /** The single place where configure flags live; later features add theirs here. */
  configureFlags: string[];
  /** Fixed identity and date for commits the workbench creates, so they are reproducible. */
  gitIdentity: { name: string; email: string; date: string };
  /**
   * The author of the series: every patch's `From:`, its Changes credits and the copyright of the files it creates
   * (harness/reauthor.ts). `npm run patches:reauthor` changes it, so a contributor sends the series under their name.
   */
  author: { name: string; email: string; copyrightYear: number };
}

/** Where everything lives, relative to one project root (so tests can use scratch roots). */
export interface ProjectPaths {
  root: string;
  config: string;
  patches: string;
  series: string;
  ocamlSrc: string;
  install: string;
  cache: string;
  logs: string;
  reports: string;
  /** docs/upstreaming.md: the pull-request description that patches:lint checks against the series. */
  upstreamingDoc: string;
  /** Held while build-ocaml applies the series to ocaml-src/ and builds it: one build of that tree at a time. */
  buildLock: string;
  /** The pristine release's worktree of ocaml-src/ and its install prefix (harness/pristine-build.ts). */
  pristineDir: string;
  /** The worktree that `patches:lint --each` moves patch by patch, and the prefix it configures for. */
  lintEachDir: string;
  /** The series built with crossloading configured off (`ocaml-testsuite --crossload-off`): worktree, prefix, lock. */
  crossloadOffDir: string;
  /** Step logs (<step>.log) of each build: build-ocaml, the pristine build, `patches:lint --each` (one directory per patch), the crossload-off build. */
  buildOcamlLogs: string;
  pristineBuildLogs: string;
  lintEachLogs: string;
  crossloadOffBuildLogs: string;
  /** testsuite/: crosstest's own tests, one directory each. */
  ownTests: string;
  /** testsuite/known-failures.json: failures crosstest knows about, each with its reason. */
  knownFailures: string;
  /** testsuite/_support: the crosstest support library and the byte+cmxs loader. */
  crosstestSupport: string;
  /** testsuite/_ocaml_host: the generic host that loads OCaml's own test programs. */
  ocamlHost: string;
  /** bench/: the benchmark kernels and hosts (OCaml sources). */
  benchSources: string;
}

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export function projectPaths(root: string = PROJECT_ROOT): ProjectPaths {
  const cache = join(root, '.cache');
  const logs = join(root, 'logs');
  return {
    root,
    config: join(root, 'workbench.json'),
    patches: join(root, 'patches'),
    series: join(root, 'patches', 'series'),
    ocamlSrc: join(root, 'ocaml-src'),
    install: join(root, '_install'),
    cache,
    logs,
    reports: join(root, 'reports'),
    ownTests: join(root, 'testsuite'),
    knownFailures: join(root, 'testsuite', 'known-failures.json'),
    crosstestSupport: join(root, 'testsuite', '_support'),
    ocamlHost: join(root, 'testsuite', '_ocaml_host'),
    benchSources: join(root, 'bench'),
    upstreamingDoc: join(root, 'docs', 'upstreaming.md'),
    buildLock: join(cache, 'build-ocaml.lock'),
    pristineDir: join(cache, 'pristine'),
    lintEachDir: join(cache, 'lint-each'),
    crossloadOffDir: join(cache, 'crossload-off'),
    buildOcamlLogs: join(logs, 'build-ocaml'),
    pristineBuildLogs: join(logs, 'pristine-build'),
    lintEachLogs: join(logs, 'lint-each'),
    crossloadOffBuildLogs: join(logs, 'crossload-off-build'),
  };
}

export function loadConfig(paths: ProjectPaths = projectPaths()): WorkbenchConfig {
  return JSON.parse(readFileSync(paths.config, 'utf8')) as WorkbenchConfig;
}

/** Version of the harness itself, recorded in the install manifest. */
export function harnessVersion(root: string = PROJECT_ROOT): string {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** Where the series lives and applies: what apply, check and lint all take. */
export interface SeriesLocation {
  srcDir: string;
  patchesDir: string;
  baseRef: string;
  identity: WorkbenchConfig['gitIdentity'];
}

export function seriesLocation(paths: ProjectPaths, config: WorkbenchConfig): SeriesLocation {
  return { srcDir: paths.ocamlSrc, patchesDir: paths.patches, baseRef: config.ocaml.pristineTag, identity: config.gitIdentity };
}
