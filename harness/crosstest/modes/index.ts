import type { Mode } from '../mode.ts';
import { underGcStress } from '../gc-stress.ts';
import byte from './byte.ts';
import native from './native.ts';
import nativeCmo from './native-cmo.ts';
import nativeEval from './native-eval.ts';
import byteCmxs from './byte-cmxs.ts';
import toplevel from './toplevel.ts';
import toplevelStock from './toplevel-stock.ts';
import toplevelCmxs from './toplevel-cmxs.ts';
import toplevelOpt from './toplevel-opt.ts';
import toplevelOptCmxs from './toplevel-opt-cmxs.ts';

/** Every base mode, in report order; each mode of the patched compiler also runs under GC stress. */
const BASE_MODES: Mode[] = [byte, native, nativeCmo, nativeEval, byteCmxs, toplevelStock, toplevel, toplevelCmxs, toplevelOpt, toplevelOptCmxs];

/** The names a test's `skipModes` may use. */
export const BASE_MODE_NAMES: readonly string[] = BASE_MODES.map((m) => m.name);

export const ALL_MODES: Mode[] = BASE_MODES.flatMap((m) => (m.compiler === 'stock' ? [m] : [m, underGcStress(m)]));
