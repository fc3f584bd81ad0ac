import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{src,db,jobs,collector,dashboards,test}/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // In CI, also write the results as JSON so .ci/run can print a one-line summary.
    reporters: process.env.CI
      ? ['default', ['json', { outputFile: 'test-results/vitest.json' }]]
      : ['default'],
  },
});
