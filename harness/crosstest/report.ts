import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { countByStatus, summaryLine, type CaseResult } from './results.ts';

const xml = (s: string) => s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);

/** What a run was, besides its results. */
export interface ReportMeta {
  prefix: string;
  modes: string[];
  date: string;
  /** Which tests ran (quick.ts). */
  subset: string;
  /** Wall-clock time of the whole run, probes included, the compiler build before it excluded: the suite's speed over time. */
  durationMs: number;
  jobs: number;
}

/** "42.3s", "12m 05s", "1h 02m 03s". */
export function formatDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  if (total < 60) return `${(ms / 1000).toFixed(1)}s`;
  const [h, m, s] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
  const mmss = `${String(m).padStart(h > 0 ? 2 : 1, '0')}m ${String(s).padStart(2, '0')}s`;
  return h > 0 ? `${h}h ${mmss}` : mmss;
}

/** The line saying how long a run took and what it covered (printed, and in crosstest.md). */
export function timingLine(meta: Pick<ReportMeta, 'subset' | 'durationMs' | 'jobs'>): string {
  return `wall-clock time: ${formatDuration(meta.durationMs)} with ${meta.jobs} job(s); tests: ${meta.subset}`;
}

/** reports/crosstest.json (everything), reports/junit.xml (for CI viewers), reports/crosstest.md (for people). */
export function writeReports(dir: string, results: readonly CaseResult[], meta: ReportMeta): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'crosstest.json'), `${JSON.stringify({ ...meta, counts: countByStatus(results), results }, null, 2)}\n`);

  const cases = results.map((r) => {
    const attrs = `classname="crosstest.${xml(r.mode)}" name="${xml(r.test)}" time="${(r.durationMs / 1000).toFixed(3)}"`;
    if (r.status === 'passed') return `    <testcase ${attrs}/>`;
    if (r.status === 'skipped' || r.status === 'known') return `    <testcase ${attrs}><skipped message="${xml(r.reason ?? '')}"/></testcase>`;
    const body = r.buildOutput ?? (r.mismatches ?? []).map((m) => m.diff).join('\n');
    return `    <testcase ${attrs}><failure message="${xml(r.reason ?? r.status)}">${xml(body)}</failure></testcase>`;
  });
  const c = countByStatus(results);
  writeFileSync(
    join(dir, 'junit.xml'),
    `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n  <testsuite name="crosstest" tests="${results.length}" failures="${c.failed + c.timeout}" skipped="${c.skipped}">\n${cases.join('\n')}\n  </testsuite>\n</testsuites>\n`,
  );

  const modes = [...new Set(results.map((r) => r.mode))];
  const tests = [...new Set(results.map((r) => r.test))];
  const mark = { passed: '✓', failed: '✗', skipped: '–', timeout: '⏱', known: 'k' } as const;
  const cell = (t: string, m: string) => {
    const r = results.find((x) => x.test === t && x.mode === m);
    return r ? mark[r.status] : ' ';
  };
  const skippedReasons = [...new Set(results.filter((r) => r.status === 'skipped').map((r) => `- ${r.mode}: ${r.reason}`))];
  const knownReasons = results.filter((r) => r.status === 'known').map((r) => `- ${r.test} [${r.mode}]: ${r.reason}`);
  writeFileSync(
    join(dir, 'crosstest.md'),
    [
      '# crosstest summary',
      '',
      `| test | ${modes.join(' | ')} |`,
      `|---|${modes.map(() => '---').join('|')}|`,
      ...tests.map((t) => `| ${t} | ${modes.map((m) => cell(t, m)).join(' | ')} |`),
      '',
      ...(skippedReasons.length ? ['Skipped modes:', ...skippedReasons, ''] : []),
      ...(knownReasons.length ? ['Known failures (k):', ...knownReasons, ''] : []),
      timingLine(meta),
      '',
      summaryLine(results),
      '',
    ].join('\n'),
  );
}
