// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/** Domain code (deciders, events, policies, rules) stays pure: no framework, database or client imports. */
const domainFiles = [
  'src/**/*.decider.ts',
  'src/**/*.events.ts',
  'src/**/*.policy.ts',
  'src/**/*.rules.ts',
  'src/**/domain/**/*.ts',
  'src/domain-kernel/**/*.ts',
  'src/records/archive-code.ts',
  'src/**/*.state.ts',
  'src/**/*.commands.ts',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench/**', 'coverage/**', 'bin/**', '*.js', '*.mjs'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name='only']", message: 'Focused tests hide the rest of the suite.' },
      ],
    },
  },
  {
    files: domainFiles,
    ignores: ['src/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@nestjs/*'], message: 'Domain code must not depend on NestJS.' },
            { group: ['better-sqlite3', 'mongodb', '@kurrent/*', '@eventstore/*', 'fastify', '@fastify/*'], message: 'Domain code must not touch a database or client.' },
            { group: ['jose', 'pino', 'node:fs', 'fs', 'node:crypto', 'crypto'], message: 'Domain code gets time, ids and identity with the command.' },
            { group: ['**/event-store/**', '**/read-store/**', '**/http/**', '**/auth/**', '**/config/**'], message: 'Domain code must not import infrastructure.' },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Time comes in with the command (injected clock).' },
        { object: 'Math', property: 'random', message: 'Ids come in with the command.' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Time comes in with the command (injected clock).' },
      ],
    },
  },
);
