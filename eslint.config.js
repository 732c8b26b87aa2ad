import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '.stack/', 'dist/', 'test-artifacts/', '.fuzz/', '.chdb/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read settings from src/shared/config.ts' },
      ],
    },
  },
  { files: ['src/shared/config.ts', 'bin/**'], rules: { 'no-restricted-properties': 'off' } },
  { files: ['bin/**'], languageOptions: { globals: { process: 'readonly', console: 'readonly' } } },
);
