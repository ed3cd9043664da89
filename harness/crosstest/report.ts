import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runtimeVariantDescription, type RuntimeVariant } from '../ocaml-testsuite/runtime-variant.ts';
import { countByStatus, summaryLine, tallyResults, type CaseResult } from './results.ts';

/**
 * The files of a run: reports/crosstest.json, crosstest.md, junit.xml and the work directory crosstest-work/, in
 * `dir` (crosstest --report-dir, default reports/). A run on a runtime variant (--runtime d) has its own:
 * crosstest-d.json, crosstest-d.md, junit-d.xml, crosstest-work-d/, so it never replaces the normal run's (which
 * npm test reads), as ocaml-testsuite --runtime d writes ocaml-testsuite-d.json.
 */
export interface ReportFiles {
  json: string;
  md: string;
  junit: string;
  work: string;
}

export function reportFiles(dir: string, runtime?: RuntimeVariant): ReportFiles {
  const s = runtime ? `-${runtime}` : '';
  return { json: join(dir, `crosstest${s}.json`), md: join(dir, `crosstest${s}.md`), junit: join(dir, `junit${s}.xml`), work: join(dir, `crosstest-work${s}`) };
}

/** The name of a run in its summary line: `crosstest`, `crosstest (debug runtime)`. */
export function crosstestLabel(runtime?: RuntimeVariant): string {
  return runtime ? `crosstest (${runtimeVariantDescription(runtime)})` : 'crosstest';
}

/**
 * Characters XML 1.0 forbids anywhere, even as character references (§2.2 Char): C0 controls other than tab, LF
 * and CR; U+FFFE and U+FFFF; UTF-16 surrogates that are not part of a pair. Compiler output, and the garbage files
 * that testsuite/bad_input writes and prints, contain them.
 */
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A forbidden character, shown as a visible escape: `\x07`, `\x1b`, `\ud800`. */
function visibleEscape(c: string): string {
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

const CHARACTER_REFERENCES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };
const reference = (c: string) => CHARACTER_REFERENCES[c]!;

/** `s` as XML character data: forbidden characters made visible escapes, markup escaped, CR kept (not read as LF). */
export function xmlText(s: string): string {
  return s.replace(XML_FORBIDDEN, visibleEscape).replace(/[&<>\r]/g, reference);
}

/** `s` as a double-quoted XML attribute value: as xmlText, and tab and newlines kept (not normalised to spaces). */
export function xmlAttribute(s: string): string {
  return s.replace(XML_FORBIDDEN, visibleEscape).replace(/[&<>"\t\n\r]/g, reference);
}

const attributes = (attrs: Record<string, string | number>) =>
  Object.entries(attrs)
    .map(([name, value]) => ` ${name}="${xmlAttribute(String(value))}"`)
    .join('');

/**
 * reports/junit.xml: one <testcase> per test and mode. Its counts are the summary line's: failures = failed
 * (timeouts included), skipped = skipped + known (a known failure is marked <skipped/> with its reason), tests = all.
 */
export function junitXml(results: readonly CaseResult[]): string {
  const cases = results.map((r) => {
    const attrs = attributes({ classname: `crosstest.${r.mode}`, name: r.test, time: (r.durationMs / 1000).toFixed(3) });
    if (r.status === 'passed') return `    <testcase${attrs}/>`;
    if (r.status === 'skipped' || r.status === 'known') return `    <testcase${attrs}><skipped${attributes({ message: r.reason ?? '' })}/></testcase>`;
    const body = r.buildOutput ?? (r.mismatches ?? []).map((m) => m.diff).join('\n');
    return `    <testcase${attrs}><failure${attributes({ message: r.reason ?? r.status })}>${xmlText(body)}</failure></testcase>`;
  });
  const t = tallyResults(results);
  const suite = attributes({ name: 'crosstest', tests: results.length, failures: t.failed, errors: 0, skipped: t.skipped + t.known });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n  <testsuite${suite}>\n${cases.join('\n')}\n  </testsuite>\n</testsuites>\n`;
}

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
  /** The runtime the programs under test ran on (--runtime); absent: the normal one. */
  runtime?: RuntimeVariant;
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

/**
 * reports/crosstest.json (everything; `tally` holds the summary line's numbers, `counts` the statuses with the
 * timeouts apart), reports/junit.xml (for CI viewers), reports/crosstest.md (for people).
 */
export function writeReports(dir: string, results: readonly CaseResult[], meta: ReportMeta, files: ReportFiles = reportFiles(dir, meta.runtime)): void {
  for (const f of [files.json, files.md, files.junit]) mkdirSync(dirname(f), { recursive: true });
  const report = { ...meta, tally: tallyResults(results), counts: countByStatus(results), results };
  writeFileSync(files.json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(files.junit, junitXml(results));

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
    files.md,
    [
      `# ${crosstestLabel(meta.runtime)} summary`,
      '',
      `| test | ${modes.join(' | ')} |`,
      `|---|${modes.map(() => '---').join('|')}|`,
      ...tests.map((t) => `| ${t} | ${modes.map((m) => cell(t, m)).join(' | ')} |`),
      '',
      ...(skippedReasons.length ? ['Skipped modes:', ...skippedReasons, ''] : []),
      ...(knownReasons.length ? ['Known failures (k):', ...knownReasons, ''] : []),
      timingLine(meta),
      '',
      summaryLine(results, crosstestLabel(meta.runtime)),
      '',
    ].join('\n'),
  );
}
