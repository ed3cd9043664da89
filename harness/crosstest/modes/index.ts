import type { Mode } from '../mode.ts';
import { underGcStress } from '../gc-stress.ts';
import byte from './byte.ts';
import native from './native.ts';
import nativeCmo from './native-cmo.ts';
import byteCmxs from './byte-cmxs.ts';

/** Every base mode, in report order; each also runs under GC stress. */
const BASE_MODES: Mode[] = [byte, native, nativeCmo, byteCmxs];

export const ALL_MODES: Mode[] = BASE_MODES.flatMap((m) => [m, underGcStress(m)]);
