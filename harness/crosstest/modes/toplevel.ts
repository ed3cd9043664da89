// `ocaml` runs the host as a script and #loads the plugins as bytecode (.cmo).
import { toplevelMode } from '../toplevel-mode.ts';

export default toplevelMode('toplevel', 'ocaml', 'cmo');
