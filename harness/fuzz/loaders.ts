import { join } from 'node:path';
import type { HostName, Prefixes } from './build.ts';
import type { FileKind } from './layout.ts';

/** Which side of the comparison a loader is on. */
export type Role = 'crossload' | 'stock';

/** A loader host of one file kind, and the command line that feeds it a file. */
export interface Loader {
  role: Role;
  /** e.g. `native host (patched) loading bytecode into the guest` */
  description: string;
  command(file: string): [string, string[]];
}

/**
 * The two loaders of each file kind:
 * - .cmo/.cma: crossloading = a native program of the patched compiler (its Dynlink runs bytecode in the guest);
 *   stock = a bytecode program of pristine 5.3.0, run by its ocamlrun;
 * - .cmxs: crossloading = an `ocamlc -crossload` program run by ocamlrun.crossload (bytecode loading a native
 *   plugin); stock = a native program of pristine 5.3.0.
 */
export function loadersFor(kind: FileKind, hosts: Record<HostName, string>, p: Prefixes): Record<Role, Loader> {
  if (kind === 'cmxs') {
    return {
      crossload: {
        role: 'crossload',
        description: 'bytecode host (ocamlc -crossload) on ocamlrun.crossload',
        command: (file) => [join(p.prefix, 'bin', 'ocamlrun.crossload'), [hosts['crossload-byte'], file]],
      },
      stock: { role: 'stock', description: 'native host of pristine 5.3.0', command: (file) => [hosts['stock-native'], [file]] },
    };
  }
  return {
    crossload: { role: 'crossload', description: 'native host (patched compiler), bytecode in the guest', command: (file) => [hosts['crossload-native'], [file]] },
    stock: { role: 'stock', description: "bytecode host of pristine 5.3.0 on its ocamlrun", command: (file) => [join(p.pristine, 'bin', 'ocamlrun'), [hosts['stock-byte'], file]] },
  };
}
