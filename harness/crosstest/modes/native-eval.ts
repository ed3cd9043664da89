// native host compiling the plugins' sources at run time with the Eval library (ocamleval.cmxa): each plugin is
// evaluated as `#mod_use "plugin.ml"` and runs as bytecode in the guest interpreter (eval-program.ts). Its plugins
// are bytecode, as in native+cmo, so it is held to the same references (those of the .cmo plugins).
import type { Mode } from '../mode.ts';
import { buildEvalProgram, EVAL_MODE, evalLibrary, hasEvalLibrary, runEvalProgram } from '../eval-program.ts';
import { probeMode } from '../probe.ts';
import { hasTool, onNormalRuntime } from '../toolchain.ts';

const probes = new Map<string, Promise<string | undefined>>();

const nativeEval: Mode = {
  name: EVAL_MODE,
  compiler: 'patched',
  pluginFormat: 'cmo',
  family: 'program',
  buildKey: EVAL_MODE,
  unavailable(tc) {
    if (!hasTool(tc, 'ocamlopt')) return Promise.resolve(`no ocamlopt in ${tc.prefix}`);
    if (!hasEvalLibrary(tc)) return Promise.resolve(`no Eval library: ${evalLibrary(tc)} is not installed`);
    // On the normal runtime (toolchain.ts, onNormalRuntime): a runtime variant's failures are the tests'.
    if (!probes.has(tc.prefix)) probes.set(tc.prefix, probeMode(nativeEval, onNormalRuntime(tc)));
    return probes.get(tc.prefix)!;
  },
  build: buildEvalProgram,
  run: runEvalProgram,
};

export default nativeEval;
