import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { run } from '../exec.ts';
import { TIMEOUTS } from '../timeouts.ts';

/**
 * Do the products of a tree built with crossloading configured off say "stock OCaml 5.3.0"? Each check has a name
 * (what the report and the output print) and says what it found; a failed one makes the run fail.
 */
export interface ProductCheck {
  name: string;
  ok: boolean;
  /** What was found, in words. */
  detail: string;
}

/** What only crossloading builds, relative to the tree: none may exist with it off. */
export const CROSSLOAD_PRODUCTS = ['ocaml.opt', 'otherlibs/dynlink/ocamlrun.crossload'] as const;

/** The value of `key` in `ocamlc -config`'s output (`key: value` lines), or undefined when it prints no such line. */
export function configValue(output: string, key: string): string | undefined {
  for (const line of output.split('\n')) {
    const m = /^([^:]+): ?(.*)$/.exec(line.replace(/\r$/, ''));
    if (m && m[1] === key) return m[2]!;
  }
  return undefined;
}

const CONFIG_CHECK = 'ocamlc -config says crossload: false';

export function judgeConfig(r: { exitCode: number; stdout: string; stderr: string }): ProductCheck {
  const name = CONFIG_CHECK;
  if (r.exitCode !== 0) return { name, ok: false, detail: `it exited with ${r.exitCode}: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ')}` };
  const value = configValue(r.stdout, 'crossload');
  if (value === undefined) return { name, ok: false, detail: 'it prints no crossload line' };
  return { name, ok: value === 'false', detail: `it prints crossload: ${value}` };
}

export function judgeAbsent(srcDir: string, rel: string): ProductCheck {
  const there = existsSync(join(srcDir, rel));
  return { name: `no ${rel}`, ok: !there, detail: there ? `${rel} exists in the tree` : `${rel} is not in the tree` };
}

const DYNLINK_CHECK = 'Dynlink carries no bytecode units of the Stdlib and never dispatches to bytecode';

/**
 * Native Dynlink with crossloading off: `Dynlink_config.crossload` is false (so a `.cmo` is handled as stock Dynlink
 * handles it) and the generated table of bytecode Stdlib units is empty (so programs do not carry them).
 */
export function judgeDynlink(config: string | undefined, guestUnits: string | undefined): ProductCheck {
  const name = DYNLINK_CHECK;
  if (config === undefined) return { name, ok: false, detail: 'otherlibs/dynlink/dynlink_config.ml is not in the tree' };
  const flag = /^let crossload = (\w+)/m.exec(config)?.[1];
  if (flag !== 'false') return { name, ok: false, detail: `dynlink_config.ml says crossload = ${flag ?? '(nothing)'}` };
  if (guestUnits === undefined) return { name, ok: true, detail: 'crossload = false; no table of bytecode units' };
  const units = [...guestUnits.matchAll(/^ {2}"([A-Za-z_]+)", "/gm)].map((m) => m[1]);
  return units.length === 0
    ? { name, ok: true, detail: 'crossload = false; the table of bytecode units is empty' }
    : { name, ok: false, detail: `native/dynlink_guest_units.ml embeds ${units.length} units (${units.slice(0, 3).join(', ')}…)` };
}

/** How a bytecode executable starts its interpreter, and which one it names. */
export interface BytecodeRunner {
  /** `#!RUNTIME`; `#!/bin/sh` then `exec RUNTIME "$0" "$@"` (a path too long for #!); an executable stub with the runtime in its RNTM section. */
  launcher: 'shebang' | 'sh' | 'stub';
  runtime: string;
}

/**
 * The runtime a bytecode executable names, read as ocamlc writes it (bytecomp/bytelink.ml, write_header): its
 * first line `#!RUNTIME`, a `#!/bin/sh` script whose second line execs the runtime, or else the RNTM section of
 * the trailing table of sections (bytecomp/bytesections.ml). Undefined when it is none of these.
 */
export function bytecodeRunner(bytes: Buffer): BytecodeRunner | undefined {
  if (bytes.subarray(0, 2).toString('latin1') === '#!') {
    const lines = bytes.subarray(0, 4096).toString('latin1').split('\n');
    const first = lines[0]!.slice(2).trim();
    const exec = /^exec (?:'((?:[^']|'\\'')*)'|(\S+)) "\$0" "\$@"$/.exec(lines[1] ?? '');
    if (exec && /(^|\/)sh$/.test(first)) return { launcher: 'sh', runtime: exec[1] !== undefined ? exec[1].replace(/'\\''/g, "'") : exec[2]! };
    return { launcher: 'shebang', runtime: first };
  }
  // The trailer: number of sections (4 bytes, big-endian), then the 12-byte magic number Caml1999X…
  if (bytes.length < 16 || !bytes.subarray(bytes.length - 12).toString('latin1').startsWith('Caml1999X')) return undefined;
  const count = bytes.readUInt32BE(bytes.length - 16);
  const tocPos = bytes.length - 16 - 8 * count;
  if (tocPos < 0) return undefined;
  // Sections lie end to end just before the table, in its order.
  let end = tocPos;
  const entries = Array.from({ length: count }, (_, i) => ({ name: bytes.subarray(tocPos + 8 * i, tocPos + 8 * i + 4).toString('latin1'), len: bytes.readUInt32BE(tocPos + 8 * i + 4) }));
  for (let i = entries.length - 1; i >= 0; i--) {
    const start = end - entries[i]!.len;
    if (start < 0) return undefined;
    if (entries[i]!.name === 'RNTM') return { launcher: 'stub', runtime: bytes.subarray(start, end).toString('latin1').replace(/\0.*$/s, '') };
    end = start;
  }
  return undefined;
}

/** The built toplevel `ocaml` must be run by `ocamlrun`, as stock 5.3.0's, not by `ocamlrun.crossload`. */
export function judgeOcamlRunner(bytes: Buffer | undefined): ProductCheck {
  const name = 'ocaml names ocamlrun';
  if (bytes === undefined) return { name, ok: false, detail: 'ocaml is not in the tree' };
  const runner = bytecodeRunner(bytes);
  if (runner === undefined) return { name, ok: false, detail: 'ocaml has no #! line and no RNTM section: not a bytecode executable ocamlc wrote' };
  const how = runner.launcher === 'shebang' ? 'its first line names' : runner.launcher === 'sh' ? 'its #!/bin/sh header execs' : 'its RNTM section names';
  return { name, ok: basename(runner.runtime) === 'ocamlrun', detail: `${how} ${runner.runtime}` };
}

/** Every check, on a tree built in place (nothing installed): `runtime/ocamlrun ./ocamlc -config`, files, `ocaml`'s header. */
export async function checkStockProducts(srcDir: string): Promise<ProductCheck[]> {
  const ocamlrun = join(srcDir, 'runtime', 'ocamlrun');
  const config = existsSync(ocamlrun)
    ? judgeConfig(await run(ocamlrun, ['./ocamlc', '-config'], { cwd: srcDir, timeoutMs: TIMEOUTS.toolQueryMs }))
    : { name: CONFIG_CHECK, ok: false, detail: 'runtime/ocamlrun is not in the tree (not built?)' };
  const ocaml = join(srcDir, 'ocaml');
  const read = (rel: string) => (existsSync(join(srcDir, rel)) ? readFileSync(join(srcDir, rel), 'utf8') : undefined);
  return [
    config,
    ...CROSSLOAD_PRODUCTS.map((rel) => judgeAbsent(srcDir, rel)),
    judgeOcamlRunner(existsSync(ocaml) ? readFileSync(ocaml) : undefined),
    judgeDynlink(read('otherlibs/dynlink/dynlink_config.ml'), read('otherlibs/dynlink/native/dynlink_guest_units.ml')),
  ];
}
