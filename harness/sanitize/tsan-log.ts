import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What ThreadSanitizer says, and where: every program of the TSan build that runs native code (the native runtime
 * is compiled with -fsanitize=thread; ocamlopt instruments the code it emits) reads TSAN_OPTIONS. `npm run sanitize`
 * sends the reports of each pass to files of its own log directory (`log_path`, with `log_exe_name=1` the file is
 * `tsan.<executable>.<pid>`) rather than to the programs' stderr, where they would only show as a diff; with
 * `halt_on_error=0` a program goes on after a report, and at exit TSan makes its status `exitcode` (66), so the test
 * that ran it fails too. The runtime's own suppressions (`__tsan_default_suppressions` in runtime/misc.c: deadlock
 * reports under caml_plat_lock_blocking and pthread_mutex_lock) apply as in upstream's runs; no suppression is added
 * here. `history_size=6` is what upstream's TSan CI job uses (.github/workflows/tsan.yml): deep enough for TSan to
 * keep the stack of the previous access of a race.
 */
export const TSAN_EXIT_CODE = 66;

/**
 * TSAN_OPTIONS of a pass whose reports go to `logDir`. `extra` (the caller's own TSAN_OPTIONS, e.g.
 * `detect_deadlocks=0`) comes after the defaults and before the settings the collection depends on, which win.
 */
export function tsanOptions(logDir: string, extra = ''): string {
  // TSan splits its options at blanks, ',' and ':': a log path holding one would be cut.
  if (/[\s,:]/.test(logDir)) throw new Error(`TSAN_OPTIONS log_path cannot hold blanks, ',' or ':': ${logDir}`);
  const required = [`log_path=${join(logDir, 'tsan')}`, 'log_exe_name=1', 'halt_on_error=0', `exitcode=${TSAN_EXIT_CODE}`];
  return ['history_size=6', ...extra.split(/[\s,:]+/).filter(Boolean), ...required].join(' ');
}

/** A fresh, empty log directory for a pass (reports of an earlier run would be counted again). */
export function freshLogDir(dir: string): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** One report of ThreadSanitizer (a data race, a lock-order inversion, a fatal error…). */
export interface TsanReport {
  /** `data race`, `lock-order-inversion (potential deadlock)`, `fatal`… */
  kind: string;
  /** Its SUMMARY line, without `SUMMARY: ThreadSanitizer: `, when it has one. */
  summary?: string;
  /** The report as TSan wrote it, from the WARNING line to the SUMMARY line. */
  text: string;
}

const SEPARATOR = /^={10,}\s*$/;
const WARNING = /WARNING: ThreadSanitizer: (.*?)(?: \(pid=\d+\))?\s*$/;
const FATAL = /(FATAL: ThreadSanitizer.*|ThreadSanitizer: CHECK failed.*|ThreadSanitizer:DEADLYSIGNAL.*|ThreadSanitizer: unexpected memory mapping.*)$/;
const SUMMARY = /SUMMARY: ThreadSanitizer: (.*?)\s*$/;

/**
 * The reports in a text TSan wrote (a log file, or a program's stderr): each block between separator lines that
 * holds a WARNING line, and each fatal line (TSan's own failures end the program without a separator). Lines may
 * carry a prefix (ocamltest's `> ` in a dumped log): it is kept in `text`.
 */
export function parseTsanText(text: string): TsanReport[] {
  const reports: TsanReport[] = [];
  let block: string[] | undefined;
  const close = () => {
    if (block === undefined) return;
    const warning = block.map((l) => WARNING.exec(l)).find((m) => m !== null);
    if (warning) {
      const summary = block.map((l) => SUMMARY.exec(l)).find((m) => m !== null);
      reports.push({ kind: warning[1]!, ...(summary ? { summary: summary[1]! } : {}), text: block.join('\n').trim() });
    }
    block = undefined;
  };
  for (const line of text.split(/\r?\n/)) {
    if (SEPARATOR.test(line.replace(/^[> ]*/, ''))) {
      if (block === undefined) block = [];
      else close();
      continue;
    }
    const fatal = FATAL.exec(line);
    if (fatal && block === undefined) {
      reports.push({ kind: 'fatal', summary: fatal[1]!.trim(), text: line.trim() });
      continue;
    }
    if (block !== undefined) block.push(line);
    else if (WARNING.test(line)) block = [line];
  }
  // A report cut short (the program killed while TSan was writing it) still counts.
  close();
  return reports;
}

/** Whether a text holds anything TSan reports. */
export function mentionsTsan(text: string): boolean {
  return /WARNING: ThreadSanitizer:|FATAL: ThreadSanitizer|ThreadSanitizer: CHECK failed|ThreadSanitizer:DEADLYSIGNAL/.test(text);
}

/** A report found in a log file of a pass: the file says which program (log_exe_name) and which process. */
export interface LoggedTsanReport extends TsanReport {
  file: string;
  exe?: string;
  pid?: number;
}

/**
 * Every report in the log files `tsan.<exe>.<pid>` of `dir`, in file-name order; a file holding text but no
 * report (TSan writes nothing else there in practice) is returned as one report of kind `unparsed`, so nothing TSan
 * said is lost.
 */
export function collectTsanReports(dir: string): LoggedTsanReport[] {
  if (!existsSync(dir)) return [];
  const out: LoggedTsanReport[] = [];
  for (const name of readdirSync(dir).sort()) {
    const file = join(dir, name);
    if (!statSync(file).isFile()) continue;
    const m = /^tsan\.(?:(.*)\.)?(\d+)$/.exec(name);
    const where = { file, ...(m?.[1] ? { exe: m[1] } : {}), ...(m?.[2] ? { pid: Number(m[2]) } : {}) };
    const text = readFileSync(file, 'utf8');
    const reports = parseTsanText(text);
    if (reports.length > 0) for (const r of reports) out.push({ ...r, ...where });
    else if (text.replace(/ThreadSanitizer: reported \d+ warnings/g, '').trim() !== '') out.push({ kind: 'unparsed', text: text.trim(), ...where });
  }
  return out;
}

/**
 * The reports grouped by what they report: the kind and the SUMMARY line (the racing access's frame), or the text
 * for a report without one. The same race met by many programs (every test links the same runtime) is one group.
 */
export function groupTsanReports<R extends TsanReport>(reports: readonly R[]): Array<{ key: string; reports: R[] }> {
  const groups = new Map<string, R[]>();
  for (const r of reports) {
    const key = `${r.kind}: ${r.summary ?? r.text.split('\n')[0]}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.entries()].map(([key, rs]) => ({ key, reports: rs }));
}
