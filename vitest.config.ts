import { defineConfig } from 'vitest/config';

// Unit and integration tests live beside the code as *.test.ts; scenarios are cucumber's.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    pool: 'forks',
    globalSetup: ['test/temp-root.ts'],
    testTimeout: 20000,
    hookTimeout: 20000,
    reporters: ['default', 'json'],
    outputFile: { json: '.tmp/vitest.json' },
  },
});
