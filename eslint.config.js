import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default ts.config(
	{ ignores: ['build/', '.svelte-kit/', 'node_modules/', 'data/'] },
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	prettier,
	...svelte.configs.prettier,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } },
		rules: {
			'no-undef': 'off',
			// The hall is served at the root (no paths.base), so plain hrefs are right; every
			// navigation target is exercised by the e2e tests.
			'svelte/no-navigation-without-resolve': 'off',
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_' }
			]
		}
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts'],
		languageOptions: {
			parserOptions: {
				projectService: true,
				extraFileExtensions: ['.svelte'],
				parser: ts.parser,
				svelteConfig
			}
		}
	},
	{
		// A feature (server/<feature>/) calls another feature's rule functions, never its repo.ts:
		// the owner of a table is the one place its rules live (README: Architecture). Its own
		// ./repo.ts (or ../repo.ts from a subfolder) is fine; server/db is shared infrastructure.
		files: ['server/*/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					// the driver stays behind the Store (server/db/): a rule sees no dialect (README:
					// Transactions, and the way to PostgreSQL)
					paths: [
						{
							name: 'better-sqlite3',
							message: 'Rules use the Store (deps.store); only server/db/ knows the driver.'
						},
						{
							name: 'pg',
							message: 'Rules use the Store (deps.store); only server/db/ knows the driver.'
						}
					],
					patterns: [
						{
							regex: '^(\\.\\./)+([^./][^/]*/)+repo(\\.[jt]s)?$',
							message:
								"Another feature's repo.ts: call a rule or query function that feature exports instead."
						}
					]
				}
			]
		}
	},
	{
		// No rule prepares or runs statements on a raw connection: they go through the Store, which
		// the PostgreSQL adapter also implements. The SQLite online backup is engine-bound.
		files: ['server/*/**/*.ts'],
		ignores: ['server/db/**', 'server/ops/**'],
		rules: {
			'no-restricted-syntax': [
				'error',
				{
					selector:
						'CallExpression[callee.property.name=/^(prepare|exec|pragma|transaction|backup)$/][callee.object.property.name=/^(db|sqlite)$/]',
					message: 'A rule uses deps.store (all/get/run/transaction), never the raw connection.'
				}
			]
		}
	},
	{
		// The hall's rules are asynchronous (the Store): a promise used as a condition or a
		// predicate, or never awaited, is a silent bug TypeScript alone lets through.
		files: ['server/**/*.ts', 'scripts/**/*.ts', 'tests/**/*.ts', 'web/**/*.ts'],
		languageOptions: { parserOptions: { projectService: true } },
		rules: {
			'@typescript-eslint/no-floating-promises': 'error',
			'@typescript-eslint/no-misused-promises': 'error',
			'@typescript-eslint/await-thenable': 'error'
		}
	},
	{
		// server/db/ is the one place that knows the drivers
		files: ['server/db/**/*.ts'],
		rules: { 'no-restricted-imports': 'off' }
	},
	{
		// web/ talks to the server only through /api; hooks.server.ts alone mounts the Hono app.
		files: ['web/**/*'],
		ignores: ['web/hooks.server.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{ group: ['**/server/**'], message: 'web/ talks to the server through /api only.' }
					]
				}
			]
		}
	}
);
