// Pristine 5.3.0's `ocaml` runs the host as a script and #loads the plugins as bytecode (.cmo), all built by
// pristine 5.3.0: the reference run of the toplevel family (no GC-stress variant: it is not under test).
import { toplevelMode } from '../toplevel-mode.ts';

export default toplevelMode('toplevel.stock', 'ocaml', 'cmo', 'stock');
