import { describe, expect, it } from 'vitest';
import { addTallies, closingLines, parseTally, stepTally, tallyLine, tallyOf, tallyTotal } from '../harness/outcomes.ts';
import { outcomeOf, summaryLine, tallyResults, type CaseResult, type Status } from '../harness/crosstest/results.ts';

const result = (status: Status, i = 0): CaseResult => ({ test: `own/t${i}`, mode: 'byte', status, durationMs: 1 });

describe('outcomes', () => {
  it("counts crosstest's statuses in four disjoint numbers that sum to the number of results, a timeout as a failure", () => {
    const statuses: Status[] = ['passed', 'passed', 'failed', 'timeout', 'skipped', 'known', 'known', 'known'];
    const results = statuses.map(result);
    const t = tallyResults(results);
    expect(t).toEqual({ passed: 2, failed: 2, skipped: 1, known: 3 });
    expect(tallyTotal(t)).toBe(results.length);
    expect(summaryLine(results)).toBe('crosstest: 2 passed, 2 failed, 1 skipped, 3 known');
    expect(statuses.map(outcomeOf)).toEqual(['passed', 'passed', 'failed', 'failed', 'skipped', 'known', 'known', 'known']);
  });

  it("ends npm test with the known line, then CI's three-number line with the known folded into the skipped", () => {
    const steps = [tallyOf(['passed', 'known', 'skipped']), tallyOf(['passed', 'failed', 'known', 'known'])];
    const total = addTallies(steps);
    expect(tallyLine('test', total)).toBe('test: 2 passed, 1 failed, 1 skipped, 3 known');
    expect(closingLines('test', total)).toEqual([
      'test: 3 known (listed failures, not counted as passed; counted with the skipped on the next line)',
      'test: 2 passed, 1 failed, 4 skipped',
    ]);
    // The line CI parses: `N passed, N failed` alone on a line, `, N skipped` after it, one word with a colon before it.
    expect(closingLines('test', total)[1]).toMatch(/^\w+: \d+ passed, \d+ failed, \d+ skipped$/);
  });

  it('counts a step whose report is missing as one failure, and a failing exit its report does not show as one more', () => {
    const report = tallyOf(['passed', 'passed', 'known']);
    expect(stepTally(true, undefined)).toEqual({ passed: 0, failed: 1, skipped: 0, known: 0 });
    expect(stepTally(false, undefined)).toEqual({ passed: 0, failed: 1, skipped: 0, known: 0 });
    expect(stepTally(true, report)).toEqual(report);
    expect(stepTally(false, report)).toEqual({ ...report, failed: 1 });
    const failing = tallyOf(['passed', 'failed']);
    expect(stepTally(false, failing)).toEqual(failing);
  });

  it('reads a tally back from a report only when it holds the four counts as whole numbers', () => {
    expect(parseTally({ passed: 1, failed: 0, skipped: 2, known: 3, extra: 'x' })).toEqual({ passed: 1, failed: 0, skipped: 2, known: 3 });
    expect(parseTally({ passed: 1, failed: 0, skipped: 2 })).toBeUndefined();
    expect(parseTally({ passed: 1, failed: -1, skipped: 2, known: 0 })).toBeUndefined();
    expect(parseTally({ passed: 1.5, failed: 0, skipped: 2, known: 0 })).toBeUndefined();
    expect(parseTally({ passed: '1', failed: 0, skipped: 2, known: 0 })).toBeUndefined();
    expect(parseTally(null)).toBeUndefined();
    expect(parseTally(undefined)).toBeUndefined();
  });
});
