import swc from 'unplugin-swc';
import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// SWC compiles the decorators (with their metadata) that Nest and TypeORM depend on.
const plugins = [swc.vite({ module: { type: 'es6' } })];

export default defineConfig({
  plugins,
  // `#tribunal/<library>` resolves to the library's sources under this condition (package.json `imports`), to dist/ without it.
  resolve: { conditions: ['tribunal-source', ...defaultServerConditions] },
  ssr: { resolve: { conditions: ['tribunal-source', ...defaultServerConditions] } },
  test: {
    // Tiers a contributor can run alone (npm run test:<tier>): pure rules; services with in-memory
    // fakes; the platform over HTTP and sockets (test/api, persistence, embedded, cli); whole-process
    // and fault tests (test/e2e); the browser (test/browser). The last three share the PostgreSQL
    // template built once by the global setup, so they are one vitest project selected by folder.
    projects: [
      {
        // Some pure tests train a network or run a thousand debates: seconds alone, more on a loaded machine.
        test: { name: 'unit', include: ['libs/**/*.test.ts'], exclude: ['libs/core/**'], environment: 'node', testTimeout: 30_000 },
      },
      {
        test: { name: 'service', include: ['libs/core/**/*.test.ts'], environment: 'node', testTimeout: 30_000 },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: true,
          maxWorkers: 2,
        },
      },
    ],
  },
});
