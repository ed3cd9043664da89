import { Listr } from 'listr2';
import { rendererOptions } from '../task-renderer.ts';
import type { CaseResult } from './results.ts';

/**
 * Shows results as they come: on a terminal, one listr2 task whose title
 * counts what is done (failures listed under it); elsewhere (CI, a pipe),
 * one plain line per result.
 */
export async function withProgress<T>(total: number, work: (onResult: (r: CaseResult) => void) => Promise<T>): Promise<T> {
  const line = (r: CaseResult) => `${r.status.padEnd(7)} ${r.test} [${r.mode}]${r.reason ? ` — ${r.reason}` : ''}`;
  if (rendererOptions().renderer === 'simple') return work((r) => console.log(line(r)));
  let result: T | undefined;
  const counts = { done: 0, passed: 0, failed: 0, skipped: 0 };
  await new Listr(
    [
      {
        title: `crosstest: 0/${total}`,
        task: async (_ctx, task) => {
          result = await work((r) => {
            counts.done++;
            if (r.status === 'passed') counts.passed++;
            else if (r.status === 'failed' || r.status === 'timeout') {
              counts.failed++;
              task.output = line(r);
            } else counts.skipped++;
            task.title = `crosstest: ${counts.done}/${total} (${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped)`;
          });
        },
        rendererOptions: { persistentOutput: true, outputBar: 10 },
      },
    ],
    { renderer: 'default', fallbackRenderer: 'simple' },
  ).run();
  return result as T;
}
