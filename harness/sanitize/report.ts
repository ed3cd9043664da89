import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { addTallies, tallyLine, tallyText, type Tally } from '../outcomes.ts';
import { formatDuration } from '../crosstest/report.ts';
import type { StepName } from '../build-pipeline.ts';
import { groupTsanReports, type TsanReport } from './tsan-log.ts';
import type { PassResult } from './passes.ts';

/** What `npm run sanitize` reports: reports/sanitize.json (everything) and reports/sanitize.md (for people). */
export interface SanitizeReport {
  date: string;
  /** The TSan tree and its installed prefix. */
  tree: string;
  prefix: string;
  commit: string;
  configureFlags: string[];
  /** The TSAN_OPTIONS of the passes, with <logdir> for each pass's log directory. */
  tsanOptions: string;
  build: { durationMs: number; upToDate: boolean; ran: StepName[]; notes: string[]; skipped: boolean };
  passes: PassResult[];
  /** The summary line's numbers: every pass's results (tests, test × mode runs, and each pass's TSan check). */
  tally: Tally;
  /** Every TSan report found, in the log directories and in program output (but what known failures printed). */
  tsanReportCount: number;
  /** No failure and no TSan report. */
  clean: boolean;
}

export const SANITIZE_LABEL = 'sanitize';

export function sanitizeReportPaths(reportsDir: string): { json: string; md: string } {
  return { json: join(reportsDir, 'sanitize.json'), md: join(reportsDir, 'sanitize.md') };
}

export function sanitizeTally(passes: readonly PassResult[]): Tally {
  return addTallies(passes.map((p) => p.tally));
}

/** The line that ends the output and sanitize.md: `sanitize: P passed, F failed, S skipped, K known`. */
export function sanitizeSummaryLine(tally: Tally): string {
  return tallyLine(SANITIZE_LABEL, tally);
}

/** Every report of the passes, each with where it was found, for grouping. */
function allReports(passes: readonly PassResult[]): Array<TsanReport & { pass: string; where: string }> {
  return passes.flatMap((p) => [
    ...p.tsanReports.map((r) => ({ ...r, pass: p.name, where: `${r.exe ?? '?'} pid ${r.pid ?? '?'} (${r.file})` })),
    ...p.outputReports.map((r) => ({ ...r, pass: p.name, where: `output of ${r.where}${r.known ? ' (a known failure: not counted)' : ''}` })),
  ]);
}

/** The passes' lines for the terminal and sanitize.md: timing and tally of each, then what failed and what TSan said. */
export function formatSanitize(report: Pick<SanitizeReport, 'build' | 'passes'>): string[] {
  const lines: string[] = [];
  const b = report.build;
  lines.push(
    `build: ${b.skipped ? 'not built (--no-build)' : b.upToDate ? `up to date (${formatDuration(b.durationMs)})` : `${b.ran.join(', ')} in ${formatDuration(b.durationMs)}`}`,
  );
  for (const p of report.passes) {
    const known = p.outputReports.filter((r) => r.known).length;
    const n = p.tsanReports.length + p.outputReports.length - known;
    lines.push(`${p.name} pass: ${formatDuration(p.durationMs)}; ${tallyText(p.tally)}; ${n} TSan report(s)${known > 0 ? ` (and ${known} in the output of known failures)` : ''}`);
  }
  for (const p of report.passes) {
    for (const n of p.notes) lines.push(`note (${p.name} pass): ${n}`);
    const failed = p.items.filter((i) => i.outcome === 'failed');
    if (failed.length > 0) {
      lines.push('', `FAILED in the ${p.name} pass (${failed.length}):`);
      for (const i of failed) lines.push(`  ${i.name}${i.reason ? `: ${i.reason.split('\n').join('\n      ')}` : ''}`);
    }
    const skipped = p.items.filter((i) => i.outcome === 'skipped' || i.outcome === 'known');
    if (skipped.length > 0) {
      lines.push('', `${p.name} pass, skipped or known (${skipped.length}):`);
      const reasons = new Map<string, string[]>();
      for (const i of skipped) reasons.set(`${i.outcome}: ${i.reason ?? 'no reason given'}`, [...(reasons.get(`${i.outcome}: ${i.reason ?? 'no reason given'}`) ?? []), i.name]);
      for (const [reason, names] of reasons) lines.push(`  ${names.length} ${reason}`, `      ${names.slice(0, 6).join(', ')}${names.length > 6 ? ', …' : ''}`);
    }
  }
  const groups = groupTsanReports(allReports(report.passes));
  if (groups.length > 0) {
    const all = groups.reduce((n, g) => n + g.reports.length, 0);
    const known = report.passes.reduce((n, p) => n + p.outputReports.filter((r) => r.known).length, 0);
    lines.push('', `THREADSANITIZER REPORTS: ${all} in ${groups.length} group(s) (same kind and SUMMARY line)${known > 0 ? `, ${known} of them in the output of known failures (not counted)` : ''}:`);
    groups.forEach((g, i) => {
      lines.push('', `--- ${i + 1}. ${g.key} (${g.reports.length} report(s))`);
      for (const r of g.reports.slice(0, 10)) lines.push(`  ${r.pass}: ${r.where}`);
      if (g.reports.length > 10) lines.push(`  … and ${g.reports.length - 10} more`);
      lines.push('', ...g.reports[0]!.text.split('\n').map((l) => `    ${l}`));
    });
  }
  return lines;
}

export function writeSanitizeReport(reportsDir: string, report: SanitizeReport): void {
  const { json, md } = sanitizeReportPaths(reportsDir);
  mkdirSync(dirname(json), { recursive: true });
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  const body = [
    '# sanitize: the series under ThreadSanitizer',
    '',
    `${report.date}: tree \`${report.tree}\` at ${report.commit.slice(0, 12)}, installed in \`${report.prefix}\`, configured \`${report.configureFlags.join(' ')}\`.`,
    `TSAN_OPTIONS of each pass: \`${report.tsanOptions}\`.`,
    '',
    ...report.passes.map((p) => `- ${p.name}: \`${p.command}\`; log \`${p.log}\`; TSan log directory \`${p.logDir}\``),
    '',
    '```',
    ...formatSanitize(report),
    '```',
    '',
    sanitizeSummaryLine(report.tally),
    '',
  ];
  writeFileSync(md, body.join('\n'));
}
