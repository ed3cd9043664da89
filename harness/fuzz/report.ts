import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDuration } from '../crosstest/report.ts';
import { tallyLine, tallyOf, type Tally } from '../outcomes.ts';
import { crashSignature } from './classify.ts';
import { crashSite } from './gdb.ts';
import { FILE_KINDS, type FileKind } from './layout.ts';
import { describeMutation } from './mutate.ts';
import { STOCK_RECHECKS, stockCrashed, type MutantResult } from './runner.ts';

/** The figures of one file kind (or of all): the crossloading loader's verdicts, the stock one's, and how they compare. */
export interface KindCounts {
  tried: number;
  loaded: number;
  refused: number;
  crashed: number;
  /** Crashes of the crossloading loader where the stock loader crashed too (in its first run or a rerun). */
  crashedInStockToo: number;
  /** Crashes of the crossloading loader where the stock loader did not crash. */
  findings: number;
  stockLoaded: number;
  stockRefused: number;
  stockCrashed: number;
  /** The stock loader crashed, the crossloading one did not. */
  stockOnlyCrashes: number;
  /** Neither crashed, but one loaded the mutant and the other refused it. */
  loadedVsRefused: number;
}

export function countResults(results: readonly MutantResult[]): KindCounts {
  const c: KindCounts = { tried: 0, loaded: 0, refused: 0, crashed: 0, crashedInStockToo: 0, findings: 0, stockLoaded: 0, stockRefused: 0, stockCrashed: 0, stockOnlyCrashes: 0, loadedVsRefused: 0 };
  for (const r of results) {
    const [x, s] = [r.crossload.verdict, r.stock.verdict];
    c.tried++;
    c[x]++;
    c[s === 'loaded' ? 'stockLoaded' : s === 'refused' ? 'stockRefused' : 'stockCrashed']++;
    if (x === 'crashed' && stockCrashed(r)) c.crashedInStockToo++;
    if (r.finding) c.findings++;
    if (s === 'crashed' && x !== 'crashed') c.stockOnlyCrashes++;
    if (x !== 'crashed' && s !== 'crashed' && x !== s) c.loadedVsRefused++;
  }
  return c;
}

export function countsByKind(results: readonly MutantResult[]): Record<FileKind | 'all', KindCounts> {
  const out = { all: countResults(results) } as Record<FileKind | 'all', KindCounts>;
  for (const k of FILE_KINDS) out[k] = countResults(results.filter((r) => r.recipe.kind === k));
  return out;
}

/** In the workbench's vocabulary: a finding is a failure, every other mutant a pass. */
export function fuzzTally(results: readonly MutantResult[]): Tally {
  return tallyOf(results.map((r) => (r.finding ? 'failed' : 'passed')));
}

export function fuzzSummaryLine(results: readonly MutantResult[]): string {
  return tallyLine('fuzz', fuzzTally(results));
}

/** Mutants that crashed the same way, with the same kind of file. */
export interface CrashGroup {
  kind: FileKind;
  signature: string;
  /** Where it crashed (gdb's innermost frames), when the crash was run under gdb: groups crashes of one cause. */
  site?: string;
  results: MutantResult[];
  /** How many of them per region mutated. */
  regions: Record<string, number>;
}

export function groupCrashes(results: readonly MutantResult[], side: 'crossload' | 'stock', backtraces: ReadonlyMap<string, readonly string[]> = new Map()): CrashGroup[] {
  const groups = new Map<string, CrashGroup>();
  for (const r of results) {
    const signature = crashSignature(r[side].detail);
    const bt = backtraces.get(r.recipe.id);
    const site = bt ? crashSite(bt) : undefined;
    const key = `${r.recipe.kind}\0${signature}\0${site ?? ''}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { kind: r.recipe.kind, signature, ...(site ? { site } : {}), results: [], regions: {} }));
    g.results.push(r);
    g.regions[r.recipe.region] = (g.regions[r.recipe.region] ?? 0) + 1;
  }
  return [...groups.values()].sort((a, b) => b.results.length - a.results.length);
}

export interface SeedInfo {
  name: string;
  kind: FileKind;
  size: number;
  sha256: string;
  regions: string[];
}

export interface FuzzMeta {
  date: string;
  runSeed: number;
  count: number;
  kinds: FileKind[];
  jobs: number;
  timeoutS: number;
  /** Candidate findings were checked by running the stock loader under valgrind memcheck. */
  memcheck: boolean;
  durationMs: number;
  prefix: string;
  pristine: string;
  seeds: SeedInfo[];
  loaders: Record<FileKind, { crossload: string; stock: string }>;
}

/** `5000 mutants in 5m 12s (62 ms per mutant, 2 jobs)` */
export function timingText(meta: Pick<FuzzMeta, 'durationMs' | 'jobs'>, mutants: number): string {
  const per = mutants > 0 ? Math.round(meta.durationMs / mutants) : 0;
  return `${mutants} mutants in ${formatDuration(meta.durationMs)} (${per} ms per mutant, ${meta.jobs} job(s), both loaders)`;
}

const REGIONS_SHOWN = 6;

function regionsText(regions: Record<string, number>): string {
  const all = Object.entries(regions).sort((a, b) => b[1] - a[1]);
  const shown = all.slice(0, REGIONS_SHOWN).map(([r, n]) => `${r} (${n})`);
  return all.length > REGIONS_SHOWN ? `${shown.join(', ')}, … (${all.length} regions)` : shown.join(', ');
}

function idsText(results: readonly MutantResult[], max = 12): string {
  const ids = results.slice(0, max).map((r) => `\`${r.recipe.id}\``);
  return results.length > max ? `${ids.join(', ')}, … (${results.length})` : ids.join(', ');
}

function mdCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** reports/fuzz.md and reports/fuzz.json; `backtraces` are gdb's stacks of findings (by mutant id), where gdb ran. */
/** The backtrace of the group's first mutant that has one. */
function exampleBacktrace(g: CrashGroup, backtraces: ReadonlyMap<string, readonly string[]>): { id: string; lines: readonly string[] } | undefined {
  const r = g.results.find((x) => backtraces.has(x.recipe.id));
  return r ? { id: r.recipe.id, lines: backtraces.get(r.recipe.id)! } : undefined;
}

export function writeFuzzReports(dir: string, results: readonly MutantResult[], meta: FuzzMeta, backtraces: ReadonlyMap<string, readonly string[]>): void {
  mkdirSync(dir, { recursive: true });
  const counts = countsByKind(results);
  const findings = groupCrashes(results.filter((r) => r.finding), 'crossload', backtraces);
  const shared = groupCrashes(results.filter((r) => r.crossload.verdict === 'crashed' && stockCrashed(r)), 'crossload');
  const stockOnly = groupCrashes(results.filter((r) => r.stock.verdict === 'crashed' && r.crossload.verdict !== 'crashed'), 'stock');
  const json = {
    meta,
    tally: fuzzTally(results),
    counts,
    findings: findings.map((g) => ({ kind: g.kind, signature: g.signature, site: g.site, ids: g.results.map((r) => r.recipe.id), regions: g.regions, backtrace: exampleBacktrace(g, backtraces) })),
    results,
  };
  writeFileSync(join(dir, 'fuzz.json'), `${JSON.stringify(json, null, 1)}\n`);

  const md: string[] = [];
  md.push('# Differential fuzzing of plugin files', '');
  md.push(`${meta.date}: \`npm run fuzz -- --seed ${meta.runSeed} --count ${meta.count}${meta.kinds.length < FILE_KINDS.length ? ` --kinds ${meta.kinds.join(',')}` : ''}\`; ${timingText(meta, results.length)}; ${meta.timeoutS} s per run.`, '');
  md.push(
    'Each mutant is a seed plugin with one structural mutation (never of its bytecode), fed to the crossloading loader and to the stock loader of its file kind.',
    'A **finding** is a mutant that crashes the crossloading loader (signal, non-zero exit, timeout) and not the stock one,',
    `not even when the stock loader is run ${STOCK_RECHECKS} times more (a mutant that crashes it in a rerun is a crash of both: mutated headers can make both loaders read memory that varies from run to run),`,
    'nor when it is run once more under valgrind memcheck (a stock loader that reads or writes memory it must not survives by luck: that mutant is a crash of both too; `--no-memcheck` skips this).',
    'Crashes of both are counted in *crashed in stock too*; the stock loader\'s memory errors are listed below the findings.',
    `Replay one with \`npm run fuzz -- --replay ID\`.`,
    '',
  );
  md.push('| kind | crossloading loader | stock loader |', '|---|---|---|');
  for (const k of meta.kinds) md.push(`| .${k} | ${meta.loaders[k].crossload} | ${meta.loaders[k].stock} |`);
  md.push('', '## Figures', '');
  md.push(
    '| kind | tried | loaded | refused | crashed | crashed in stock too | **findings** | stock loaded | stock refused | stock crashed | stock-only crashes | loaded vs refused |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const k of [...meta.kinds, 'all'] as const) {
    const c = counts[k];
    md.push(`| ${k === 'all' ? 'all' : `.${k}`} | ${c.tried} | ${c.loaded} | ${c.refused} | ${c.crashed} | ${c.crashedInStockToo} | **${c.findings}** | ${c.stockLoaded} | ${c.stockRefused} | ${c.stockCrashed} | ${c.stockOnlyCrashes} | ${c.loadedVsRefused} |`);
  }
  md.push('', '*loaded/refused/crashed*: the crossloading loader; *loaded vs refused*: neither crashed, one loaded and the other refused.', '');

  md.push('## Findings', '');
  if (findings.length === 0) md.push('None.', '');
  for (const g of findings) {
    const first = g.results[0]!;
    md.push(`### .${g.kind}: ${g.signature}${g.site ? ` in ${g.site}` : ''} (${g.results.length})`, '');
    md.push(`- mutants: ${idsText(g.results)}`, `- regions mutated: ${regionsText(g.regions)}`);
    md.push(`- first: \`${first.recipe.id}\`, ${first.recipe.seed}, ${first.recipe.region}: ${describeMutation(first.recipe.mutation)}`);
    md.push(`- crossloading loader: ${first.crossload.detail}${first.crossload.verdictBeforeCrash ? `, after printing \`${first.crossload.verdictBeforeCrash}\`` : ''}${first.recheck ? ` (crashed again in ${first.recheck.crossloadCrashes} of ${first.recheck.crossloadRuns} reruns)` : ''}`);
    md.push(`- stock loader: ${first.stock.detail}${first.recheck ? ` (no crash in ${first.recheck.stockRuns} reruns either${meta.memcheck ? ', no memory error under memcheck' : ''})` : ''}`, '');
    if (first.crossload.stderrHead?.length) md.push('```', ...first.crossload.stderrHead, '```', '');
    const bt = exampleBacktrace(g, backtraces);
    if (bt) md.push(`gdb (\`${bt.id}\`):`, '', '```', ...bt.lines, '```', '');
  }

  const groupTable = (title: string, groups: readonly CrashGroup[], note: string) => {
    md.push(`## ${title}`, '', note, '');
    if (groups.length === 0) {
      md.push('None.', '');
      return;
    }
    md.push('| kind | crash | mutants | regions mutated | examples |', '|---|---|---:|---|---|');
    for (const g of groups) md.push(`| .${g.kind} | ${mdCell(g.signature)} | ${g.results.length} | ${mdCell(regionsText(g.regions))} | ${idsText(g.results, 4)} |`);
    md.push('');
  };
  groupTable('Crashes of both loaders', shared, "Mutants that crash the stock loader too (the crossloading loader's crash is shown): not findings.");
  const memoryErrors = results.filter((r) => r.recheck?.stockMemoryError !== undefined);
  md.push('## Memory errors of the stock loader', '', 'Among the crashes of both: mutants the stock loader survived in its runs, but read or wrote memory it must not under valgrind memcheck (its first error is shown).', '');
  if (memoryErrors.length === 0) md.push(meta.memcheck ? 'None.' : 'Not checked (`--no-memcheck`, or valgrind is not installed).', '');
  else {
    md.push('| mutant | region mutated | crossloading loader | stock loader | stock under memcheck |', '|---|---|---|---|---|');
    for (const r of memoryErrors) md.push(`| \`${r.recipe.id}\` | ${r.recipe.region} | ${mdCell(r.crossload.detail)} | ${mdCell(r.stock.detail)} | ${mdCell(r.recheck!.stockMemoryError!)} |`);
    md.push('');
  }
  groupTable('Crashes of the stock loader only', stockOnly, "The stock loader crashed, the crossloading one did not (the stock loader's crash is shown).");

  md.push('## By region', '', '| kind | region | tried | crossload crashed | stock crashed | findings |', '|---|---|---:|---:|---:|---:|');
  const byRegion = new Map<string, MutantResult[]>();
  for (const r of results) {
    const key = `${r.recipe.kind}\0${r.recipe.region}`;
    byRegion.set(key, [...(byRegion.get(key) ?? []), r]);
  }
  for (const [key, rs] of [...byRegion].sort((a, b) => a[0].localeCompare(b[0]))) {
    const [kind, region] = key.split('\0');
    md.push(`| .${kind} | ${region} | ${rs.length} | ${rs.filter((r) => r.crossload.verdict === 'crashed').length} | ${rs.filter((r) => r.stock.verdict === 'crashed').length} | ${rs.filter((r) => r.finding).length} |`);
  }
  md.push('', '## Seeds', '', '| seed | kind | bytes | sha256 | regions |', '|---|---|---:|---|---|');
  for (const s of meta.seeds) md.push(`| ${s.name} | .${s.kind} | ${s.size} | \`${s.sha256.slice(0, 16)}…\` | ${s.regions.join(', ')} |`);
  md.push('', `Patched compiler: \`${meta.prefix}\`; pristine 5.3.0: \`${meta.pristine}\`.`, '');
  writeFileSync(join(dir, 'fuzz.md'), md.join('\n'));
}
