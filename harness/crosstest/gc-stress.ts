import type { Mode } from './mode.ts';

/**
 * GC stress: a 4k-word minor heap (a minor collection every few allocations)
 * and a low space_overhead (frequent major slices). Behaviour must not change.
 */
export const GC_STRESS_PARAMS = 's=4k,o=20';

/** Collecting that often makes programs several times slower: they get this much more time. */
export const GC_STRESS_TIME_FACTOR = 3;

/** The same mode, same build, run under GC stress. */
export function underGcStress(mode: Mode): Mode {
  return {
    ...mode,
    name: `${mode.name}/gc-stress`,
    baseName: mode.baseName ?? mode.name,
    run: (ctx) => mode.run({ ...ctx, ocamlRunParam: GC_STRESS_PARAMS, timeoutMs: ctx.timeoutMs * GC_STRESS_TIME_FACTOR }),
    skip: (test) => test.skipUnderGcStress,
  };
}
