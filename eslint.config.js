import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import pluginVue from 'eslint-plugin-vue';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'data/**', 'coverage/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      'no-console': 'error',
    },
  },
  {
    // STYLE: domain/ is pure rules; it imports nothing outside itself but the shared contracts.
    files: ['apps/server/src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['@cimorings/ocpp', '@cimorings/ocpp/schemas'].map((name) => ({
            name,
            message: 'OCPP wire types belong to ocpp/: domain/ speaks in domain terms',
          })),
          patterns: [{ group: ['../*', '!./*'], message: 'domain/ imports nothing outside itself' }],
        },
      ],
    },
  },
  {
    // STYLE: services hold rules, not transports: they never import Fastify, Socket.IO, ocpp-rpc or
    // the OCPP message types.
    files: ['apps/server/src/services/**/*.ts', 'apps/server/src/repositories/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...['fastify', 'socket.io', 'ocpp-rpc'].map((name) => ({
              name,
              message: 'services and repositories do not know the transports',
            })),
            // Wire types belong to the OCPP layer: services take domain inputs, not OCPP payloads.
            ...['@cimorings/ocpp', '@cimorings/ocpp/schemas'].map((name) => ({
              name,
              message: 'OCPP payloads are converted to domain inputs in ocpp/',
            })),
          ],
          patterns: [
            { group: ['**/http/*', '**/ocpp/*', '**/realtime/*'], message: 'no transport imports here' },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/*/test/**/*.ts', '**/*.test.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // The documentation's example programs print what they receive: that is their job.
    files: ['docs/examples/**/*.mjs'],
    rules: { 'no-console': 'off' },
  },
  // The dashboard (apps/web): Vue single-file components in TypeScript, running in the browser.
  ...pluginVue.configs['flat/essential'],
  {
    files: ['apps/web/**/*.vue'],
    languageOptions: {
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] },
      globals: { ...globals.browser },
    },
  },
  {
    files: ['apps/web/src/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
