// ESLint flat config: typescript-eslint's recommended type-checked rules on the whole tree.
// Every rule turned off or tuned below says why next to it.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.data/', '.test-data/', 'emails-preview/', 'test/artifacts/', 'coverage/', 'scripts/api-client/api-types.ts'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: { projectService: { allowDefaultProject: ['*.js', '*.mjs', 'vitest.config.ts', 'bin/*.js', 'scripts/*.mjs'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // tsconfig leaves noUncheckedIndexedAccess off, and the code marks indexed reads it knows are in
      // range with `!` (about 300 of them). This rule would strip every such marker, hiding that
      // reasoning and making it harder to turn noUncheckedIndexedAccess on later. Revisit then.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      // Text is sanitised for XML, MIME and CSV here, so matching control characters is the point.
      'no-control-regex': 'off',
      // `_name` is the usual way to say "this position is unused on purpose" (callbacks, destructuring).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['test/**'],
    rules: {
      // Tests read untyped JSON bodies, MIME parses and CDK templates (`any`) and check their shape with
      // `expect`, which is the check that matters there; typing every response would only restate it.
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      // Fakes implement async ports (`async send() { … }`) without awaiting anything.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Plain JavaScript files (the bin shim, the pre-install script, this config) have no types to check.
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
