// native host loading the plugins as bytecode (.cmo), run by the guest interpreter.
import { dynlinkMode } from '../dynlink-mode.ts';

export default dynlinkMode('native+cmo', 'native', 'cmo');
