// bytecode host loading the plugins as native code (.cmxs).
import { dynlinkMode } from '../dynlink-mode.ts';

export default dynlinkMode('byte+cmxs', 'byte', 'cmxs');
