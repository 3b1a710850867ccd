import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/core/**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { process: 'readonly', setInterval: 'readonly' } },
  },
  {
    // CommonJS stand-ins the CLI bundle puts in place of a package's CommonJS file (vite.cli.config.ts).
    files: ['scripts/**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['scripts/**/*.mjs', 'bin/**/*.js'],
    languageOptions: {
      globals: { console: 'readonly', process: 'readonly', Buffer: 'readonly', URL: 'readonly' },
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    // The core runs (and is tested) in plain Node: only the shell in src/main may touch Electron.
    files: ['src/core/**/*.ts', 'src/cli/**/*.ts', 'src/shared/**/*.ts', 'src/renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'Electron belongs to the shell in src/main; keep the core runnable in plain Node.',
            },
          ],
          patterns: [
            {
              group: ['electron/*', 'electron-log/main', 'electron-log/renderer', 'electron-log/preload'],
              message: 'Electron belongs to the shell in src/main.',
            },
            {
              group: ['**/main/*', '**/main'],
              message: 'The core must not depend on the Electron shell (src/main).',
            },
          ],
        },
      ],
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Product code states how it knows a value is there; tests may assert it with `!`.
    files: ['src/**/*.{ts,tsx}'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'error' },
  },
)
