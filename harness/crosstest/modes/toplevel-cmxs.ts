// `ocaml` runs the host as a script and #loads the plugins as native code (.cmxs).
import { toplevelMode } from '../toplevel-mode.ts';

export default toplevelMode('toplevel+cmxs', 'ocaml', 'cmxs');
