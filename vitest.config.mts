import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);
// .ci/run asks for a JSON report to print its one closing line from.
const jsonOutput = process.env.VITEST_JSON_OUTPUT;

export default defineConfig({
  resolve: {
    // graphql ships CJS (main) and ESM (module) builds; Node loads the CJS one for
    // every dependency, so the tests must too, or schemas cross "realms".
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['**/*.test.ts'],
    // type-graphql's decorators need the Reflect metadata API before any of them run.
    setupFiles: ['reflect-metadata'],
    exclude: ['node_modules/**', 'dist/**'],
    testTimeout: 30_000,
    ...(jsonOutput ? { reporters: ['default', 'json'], outputFile: { json: jsonOutput } } : {}),
    hookTimeout: 60_000,
    pool: 'forks',
    // Two cores: more workers only queue up behind each other.
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
