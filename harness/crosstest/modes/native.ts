// native host, native plugins (.cmxs): the pure native reference run.
import { dynlinkMode } from '../dynlink-mode.ts';

export default dynlinkMode('native', 'native', 'cmxs');
