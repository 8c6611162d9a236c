import tseslint from 'typescript-eslint';

/** A relative import that reaches into another library's folder, from anywhere in the repository. */
const relativeLibraryImport = {
  regex: '^(\\.\\./)+(libs/)?(archive|config|contracts|core|debate|judging|model|persistence|queue|world)/src/',
  message: 'import another library by its alias, #tribunal/<library>, and only what its index exports',
};
/** The domain libraries: plain TypeScript, no framework, no database. */
const DOMAIN = ['archive', 'contracts', 'debate', 'judging', 'model', 'world'];
const infrastructure = {
  group: ['@nestjs/*', 'typeorm', 'pg', 'pg-boss', '@electric-sql/*', 'socket.io', 'express', 'prom-client'],
  message: 'domain libraries stay free of Nest, TypeORM, the database and the network server: put this in a service or an adapter',
};
const platformLibraries = {
  regex: '^#tribunal/(core|persistence|queue|config)$',
  message: 'domain libraries do not depend on the platform libraries above them',
};

const noFocusedOrSkippedTests = ['describe', 'it', 'test'].flatMap((object) =>
  ['only', 'skip'].map((property) => ({ object, property, message: 'no focused or skipped tests' })),
);

export default tseslint.config(
  { ignores: ['eslint.config.js', 'dist/**', 'node_modules/**', '.tribunal/**', 'apps/web/dist/**'] },
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-properties': ['error', ...noFocusedOrSkippedTests],
    },
  },
  {
    files: ['apps/**/*.ts', 'libs/**/*.ts', 'bench/**/*.ts', 'test/**/*.ts', 'migrations/**/*.ts'],
    ignores: ['apps/web/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [relativeLibraryImport] }] },
  },
  {
    files: DOMAIN.map((lib) => `libs/${lib}/src/**/*.ts`),
    rules: { 'no-restricted-imports': ['error', { patterns: [relativeLibraryImport, infrastructure, platformLibraries] }] },
  },
  {
    // Tests read loosely typed HTTP bodies.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Settings are read once, in libs/config; the tests' own harness may read its database address.
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: ['apps/cli/src/main.ts', 'apps/bootstrap/src/start-process.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...noFocusedOrSkippedTests,
        { object: 'process', property: 'env', message: 'read settings through libs/config' },
      ],
    },
  },
);
