import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { checkTools, type Tool } from '../preflight.ts';

/**
 * What a TSan build of OCaml 5.3 needs beyond the build tools (harness/preflight.ts): a C compiler that links
 * `-fsanitize=thread` (gcc's libtsan; configure: "libtsan is necessary for TSan") and libunwind's header and library
 * (configure: "libunwind is necessary for TSan", linked with -lunwind -lunwind-x86_64 on amd64). Checked by compiling
 * and linking a program as configure does, before the build, so a missing one is named with its Debian package.
 */
export const TSAN_PROGRAM = '#include <libunwind.h>\nint main(void) { unw_context_t c; return unw_getcontext(&c); }\n';

async function ccLinksTsanWithLibunwind(): Promise<string | undefined> {
  const dir = mkdtempSync(join(tmpdir(), 'wb-tsan-check-'));
  try {
    writeFileSync(join(dir, 't.c'), TSAN_PROGRAM);
    const r = await execa('cc', ['-fsanitize=thread', 't.c', '-o', 't', '-lunwind', '-lunwind-x86_64'], { cwd: dir, reject: false });
    if (r.exitCode === 0) return undefined;
    const why = `${r.stderr}`.split('\n').find((l) => /error|cannot find/.test(l))?.trim() ?? `exit ${r.exitCode}`;
    return `cc cannot build a ThreadSanitizer program with libunwind (${why})`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const TSAN_TOOLS: readonly Tool[] = [
  { command: 'cc', debianPackage: 'libunwind-dev libtsan2', why: 'OCaml --enable-tsan needs libtsan and libunwind', check: ccLinksTsanWithLibunwind },
];

export async function checkTsanTools(): Promise<void> {
  await checkTools(TSAN_TOOLS);
}
