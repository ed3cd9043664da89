// `ocaml.opt` (the bytecode toplevel compiled natively) runs the host as a script and #loads .cmo plugins.
import { toplevelMode } from '../toplevel-mode.ts';

export default toplevelMode('toplevel.opt', 'ocaml.opt', 'cmo');
