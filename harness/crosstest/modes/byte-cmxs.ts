// bytecode host loading the plugins as native code (.cmxs). The host opts in at link
// time with `ocamlc -crossload`: it then runs on the native runner ocamlrun.crossload,
// whose Stdlib and Dynlink are native (see docs/crossload.md). Native code links only
// against native units, so the host's libraries (the test's Api, OCaml's Testing) are
// .cmxs too, as a user of native plugins would have them, loaded by a generic bytecode
// loader before the host's main unit, a .cmo (native-libraries.ts).
import { dynlinkMode } from '../dynlink-mode.ts';

export default dynlinkMode('byte+cmxs', 'byte', 'cmxs', { linkFlags: ['-crossload'], nativeLibraries: true });
