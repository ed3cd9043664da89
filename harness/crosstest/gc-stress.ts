import { TIMEOUTS } from '../timeouts.ts';
import type { Mode } from './mode.ts';

/**
 * GC stress: a 4k-word minor heap (a minor collection every few allocations)
 * and a low space_overhead (frequent major slices). Behaviour must not change.
 */
export const GC_STRESS_PARAMS = 's=4k,o=20';

/**
 * The same mode, same build, run under GC stress with TIMEOUTS.gcStressFactor times the time limit (collecting
 * that often makes programs several times slower). Its runs have their own directory, as every mode's (runner.ts).
 */
export function underGcStress(mode: Mode): Mode {
  return {
    ...mode,
    name: `${mode.name}/gc-stress`,
    baseName: mode.baseName ?? mode.name,
    run: (ctx) => mode.run({ ...ctx, ocamlRunParam: GC_STRESS_PARAMS, timeoutMs: ctx.timeoutMs * TIMEOUTS.gcStressFactor }),
    skip: (test) => mode.skip?.(test) ?? test.skipUnderGcStress,
  };
}
