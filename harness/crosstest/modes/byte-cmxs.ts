// bytecode host loading the plugins as native code (.cmxs). The host opts in at link
// time with `ocamlc -crossload`: it then runs on the native runner ocamlrun.crossload,
// whose Stdlib and Dynlink are native (see docs/crossload.md).
import { dynlinkMode } from '../dynlink-mode.ts';

export default dynlinkMode('byte+cmxs', 'byte', 'cmxs', ['-crossload']);
