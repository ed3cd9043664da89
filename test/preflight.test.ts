import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkBuildTools } from '../harness/preflight.ts';

const savedPath = process.env.PATH;
afterEach(() => {
  process.env.PATH = savedPath;
});

describe('preflight', () => {
  it('passes on this machine', async () => {
    await expect(checkBuildTools()).resolves.toBeUndefined();
  });

  it('names every missing tool and says what to do', async () => {
    process.env.PATH = mkdtempSync(join(tmpdir(), 'wb-empty-path-'));
    await expect(checkBuildTools()).rejects.toThrow(/missing tools: git .*, make .*, cc /);
  });
});
