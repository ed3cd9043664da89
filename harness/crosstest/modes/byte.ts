// bytecode host, bytecode plugins (.cmo): the pure bytecode reference run.
import { dynlinkMode } from '../dynlink-mode.ts';

export default dynlinkMode('byte', 'byte', 'cmo');
