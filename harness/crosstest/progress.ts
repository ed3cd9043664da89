import { Listr } from 'listr2';
import { emptyTally, tallyText } from '../outcomes.ts';
import { rendererOptions } from '../task-renderer.ts';
import { outcomeOf, type CaseResult } from './results.ts';

/**
 * Shows results as they come: on a terminal, one listr2 task whose title
 * counts what is done (failures listed under it); elsewhere (CI, a pipe),
 * one plain line per result.
 */
export async function withProgress<T>(total: number, work: (onResult: (r: CaseResult) => void) => Promise<T>): Promise<T> {
  const line = (r: CaseResult) => `${r.status.padEnd(7)} ${r.test} [${r.mode}]${r.reason ? ` — ${r.reason}` : ''}`;
  if (rendererOptions().renderer === 'simple') return work((r) => console.log(line(r)));
  let result: T | undefined;
  let done = 0;
  const tally = emptyTally();
  await new Listr(
    [
      {
        title: `crosstest: 0/${total}`,
        task: async (_ctx, task) => {
          result = await work((r) => {
            done++;
            const outcome = outcomeOf(r.status);
            tally[outcome]++;
            if (outcome === 'failed') task.output = line(r);
            task.title = `crosstest: ${done}/${total} (${tallyText(tally)})`;
          });
        },
        rendererOptions: { persistentOutput: true, outputBar: 10 },
      },
    ],
    { renderer: 'default', fallbackRenderer: 'simple' },
  ).run();
  return result as T;
}
