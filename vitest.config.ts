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
    projects: [
      {
        test: { name: 'unit', include: ['libs/**/*.test.ts'], environment: 'node' },
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
