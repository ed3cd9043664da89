import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { writeReports, xmlAttribute, xmlText } from '../harness/crosstest/report.ts';
import { summaryLine, type CaseResult } from '../harness/crosstest/results.ts';

interface Element {
  name: string;
  attributes: Record<string, string>;
  text: string;
}

/** Parses with saxes, a conforming XML 1.0 parser: it reports every well-formedness error, forbidden characters included. */
function parseStrictly(xml: string): { errors: string[]; elements: Element[] } {
  const parser = new SaxesParser();
  const errors: string[] = [];
  const elements: Element[] = [];
  const open: Element[] = [];
  parser.on('error', (e) => errors.push(e.message));
  parser.on('opentag', (tag) => {
    const el = { name: tag.name, attributes: { ...(tag.attributes as Record<string, string>) }, text: '' };
    elements.push(el);
    open.push(el);
  });
  parser.on('text', (t) => {
    if (open.length > 0) open[open.length - 1]!.text += t;
  });
  parser.on('closetag', () => open.pop());
  parser.write(xml).close();
  return { errors, elements };
}

/** What a garbage plugin file and a coloured compiler message put in the output: every character XML 1.0 forbids. */
const CONTROL = 'nul\x00 bell\x07 \x1b[31mError\x1b[0m form-feed\x0c lone\ud800surrogate low\udc00 \ufffe\uffff';

const meta = { prefix: '/p', modes: ['byte'], date: '2025-01-01T00:00:00Z', subset: 'full corpus', durationMs: 1_000, jobs: 2 };

const results: CaseResult[] = [
  { test: 'own/passes 😀', mode: 'byte', status: 'passed', durationMs: 12 },
  { test: 'own/build', mode: 'native', status: 'failed', durationMs: 30, reason: 'build failed', buildOutput: `ocamlopt -c x.ml\n${CONTROL}\r\nend <&> ]]> "q"` },
  {
    test: 'own/bad_input',
    mode: 'byte/gc-stress',
    status: 'failed',
    durationMs: 5,
    reason: 'stdout differs from line 3',
    mismatches: [{ what: 'stdout', firstLine: 3, diff: `--- expected\n+++ byte/gc-stress/stdout\n-garbage: ok\n+garbage: ${CONTROL}` }],
  },
  { test: 'own/hang', mode: 'native+cmo', status: 'timeout', durationMs: 60_000, reason: 'killed after 60s' },
  { test: 'own/skip', mode: 'toplevel', status: 'skipped', durationMs: 0, reason: `the compiler says: ${CONTROL}` },
  { test: 'own/listed', mode: 'toplevel.opt', status: 'known', durationMs: 7, reason: `known failure: because (observed: "\x07" & <x>)` },
  { test: 'own/listed2', mode: 'toplevel.opt', status: 'known', durationMs: 7, reason: 'known failure: again' },
];

describe('reports/junit.xml', () => {
  it('parses as XML 1.0 when compiler output and diffs hold control characters, with counts equal to the summary line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wb-junit-'));
    writeReports(dir, results, meta);
    const { errors, elements } = parseStrictly(readFileSync(join(dir, 'junit.xml'), 'utf8'));
    expect(errors).toEqual([]);

    const [, passed, failed, skipped, known] = summaryLine(results).match(/^crosstest: (\d+) passed, (\d+) failed, (\d+) skipped, (\d+) known$/)!.map(Number);
    expect([passed, failed, skipped, known]).toEqual([1, 3, 1, 2]);
    const suite = elements.find((e) => e.name === 'testsuite')!.attributes;
    expect(Number(suite.tests)).toBe(passed! + failed! + skipped! + known!);
    expect(Number(suite.failures)).toBe(failed);
    expect(Number(suite.skipped)).toBe(skipped! + known!);
    expect(elements.filter((e) => e.name === 'testcase')).toHaveLength(results.length);
    expect(elements.filter((e) => e.name === 'failure')).toHaveLength(failed!);
    expect(elements.filter((e) => e.name === 'skipped')).toHaveLength(skipped! + known!);

    // What was printed survives, the forbidden characters as visible escapes.
    const visible = 'nul\\x00 bell\\x07 \\x1b[31mError\\x1b[0m form-feed\\x0c lone\\ud800surrogate low\\udc00 \\ufffe\\uffff';
    const [buildFailure, diffFailure] = elements.filter((e) => e.name === 'failure');
    expect(buildFailure!.text).toBe(`ocamlopt -c x.ml\n${visible}\r\nend <&> ]]> "q"`);
    expect(buildFailure!.attributes.message).toBe('build failed');
    expect(diffFailure!.text).toContain(`+garbage: ${visible}`);
    const skips = elements.filter((e) => e.name === 'skipped').map((e) => e.attributes.message);
    expect(skips).toEqual([`the compiler says: ${visible}`, 'known failure: because (observed: "\\x07" & <x>)', 'known failure: again']);
    expect(elements.find((e) => e.name === 'testcase')!.attributes).toMatchObject({ name: 'own/passes 😀', classname: 'crosstest.byte' });
  });

  it('is checked by a parser that rejects what XML 1.0 forbids', () => {
    for (const bad of ['<a>\x07</a>', '<a>\x00</a>', '<a m="\x1b"/>', '<a>\x0c</a>', '<a>\ufffe</a>', '<a>&#7;</a>', '<a>&</a>']) {
      expect(parseStrictly(bad).errors, JSON.stringify(bad)).not.toEqual([]);
    }
    expect(parseStrictly('<a m="&#9;&#10;">\t\n\r 😀 é</a>').errors).toEqual([]);
  });
});

describe('XML escaping', () => {
  it('replaces each character XML 1.0 forbids with a visible escape and keeps every other', () => {
    const forbidden = ['\x00', '\x01', '\x08', '\x0b', '\x0c', '\x0e', '\x1b', '\x1f', '\ufffe', '\uffff', '\ud800', '\udbff', '\udc00', '\udfff'];
    expect(forbidden.map(xmlText)).toEqual(['\\x00', '\\x01', '\\x08', '\\x0b', '\\x0c', '\\x0e', '\\x1b', '\\x1f', '\\ufffe', '\\uffff', '\\ud800', '\\udbff', '\\udc00', '\\udfff']);
    // A surrogate pair is one character (U+1F600), allowed; a high surrogate before another high one is alone.
    expect(xmlText('\ud83d\ude00 \ud83d\ud83d\ude00')).toBe('\ud83d\ude00 \\ud83d\ud83d\ude00');
    expect(xmlText('a\tb\nc\rd\x7f é <&>"')).toBe('a\tb\nc&#13;d\x7f é &lt;&amp;&gt;"');
    expect(xmlAttribute('a\tb\nc\rd "<&>" \x07')).toBe('a&#9;b&#10;c&#13;d &quot;&lt;&amp;&gt;&quot; \\x07');
  });
});
