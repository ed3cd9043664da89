import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../exec.ts';

/**
 * Question 4: how long each toplevel takes to answer a script of N phrases
 * (type-checking and compiling dominate), measured as wall time of the
 * whole run, the toplevels interleaved within each repetition.
 */
export const TOPLEVELS = ['ocaml', 'ocaml.opt', 'ocamlnat'] as const;

export function phraseScript(dir: string, phrases: number): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `phrases-${phrases}.ml`);
  const lines: string[] = [];
  for (let i = 0; i < phrases; i++) {
    lines.push(
      `type r${i} = { a${i} : int; b${i} : string list };;`,
      `let f${i} (x : r${i}) = List.length x.b${i} + x.a${i} * ${i};;`,
      `let v${i} = f${i} { a${i} = ${i}; b${i} = List.init ${i % 7} string_of_int };;`,
    );
  }
  lines.push(`print_int (${Array.from({ length: Math.min(phrases, 50) }, (_, i) => `v${i}`).join(' + ')});;`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/**
 * Where a toplevel is: installed in prefix/bin, or, for ocamlnat, in the
 * build tree, where 5.3.0's `make` builds it even though only
 * --enable-native-toplevel installs it (it finds the installed stdlib).
 */
export function toplevelPath(prefix: string, toplevel: string, buildTree?: string): string | undefined {
  const candidates = [join(prefix, 'bin', toplevel), ...(toplevel === 'ocamlnat' && buildTree ? [join(buildTree, 'ocamlnat')] : [])];
  return candidates.find((p) => existsSync(p));
}

export async function timeToplevel(prefix: string, toplevel: string, script: string, buildTree?: string): Promise<number | string> {
  const bin = toplevelPath(prefix, toplevel, buildTree);
  if (!bin) return toplevel === 'ocamlnat' ? 'not built (configure --enable-native-toplevel)' : `no ${toplevel} in ${prefix}/bin`;
  const r = await run(bin, ['-noinit', script], { cwd: join(script, '..'), timeoutMs: 600_000 });
  if (r.exitCode !== 0) return `exit ${r.exitCode}: ${(r.stderr || r.stdout).trim().split('\n').pop()}`;
  return r.durationMs / 1000;
}
