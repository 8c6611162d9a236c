import tseslint from 'typescript-eslint';

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
    // Tests read loosely typed HTTP bodies.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Settings are read once, in libs/config; the tests' own harness may read its database address.
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: ['apps/cli/src/main.ts', 'apps/cli/src/run-process.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...noFocusedOrSkippedTests,
        { object: 'process', property: 'env', message: 'read settings through libs/config' },
      ],
    },
  },
);
