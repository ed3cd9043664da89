import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The tests drive real git and make processes in scratch directories.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
