// The lint rule that keeps features apart (eslint.config.js): a feature under server/ calls
// another feature's rule functions, never its repo.ts. Linted here through ESLint's Node API on
// snippets placed at paths inside server/, so the rule is shown to fail, not only to pass.
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
// The snippets are not files on disk, which the type-aware promise rules (and the project
// service they need) cannot lint: those are left out here; the rules under test need no types.
const eslint = new ESLint({
	cwd: root,
	overrideConfig: [
		{
			files: ['**/*.ts'],
			languageOptions: { parserOptions: { projectService: false } },
			rules: {
				'@typescript-eslint/no-floating-promises': 'off',
				'@typescript-eslint/no-misused-promises': 'off',
				'@typescript-eslint/await-thenable': 'off'
			}
		}
	]
});

/** The boundary errors ESLint reports for `code` as if it were the file at `file`. */
async function boundaryErrors(file: string, code: string): Promise<string[]> {
	const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
	return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('feature boundaries (no-restricted-imports on repo.ts)', { timeout: 60_000 }, () => {
	it("fails a feature that imports another feature's repo.ts", async () => {
		const errors = await boundaryErrors(
			'server/queue/example.ts',
			"import { createCatalogRepo } from '../catalog/repo.ts';\nexport const repo = createCatalogRepo;\n"
		);
		expect(errors).toHaveLength(1);
		expect(errors[0]).toContain("Another feature's repo.ts");
	});

	it('fails a type-only import and one from a feature subfolder too', async () => {
		expect(
			await boundaryErrors(
				'server/collab/example.ts',
				"import type { CaseRow } from '../cases/repo.ts';\nexport type Row = CaseRow;\n"
			)
		).toHaveLength(1);
		expect(
			await boundaryErrors(
				'server/assistant/retrieval/example.ts',
				"import { createQueueRepo } from '../../queue/repo';\nexport const repo = createQueueRepo;\n"
			)
		).toHaveLength(1);
	});

	it("lets a feature import its own repo.ts and another feature's rules", async () => {
		expect(
			await boundaryErrors(
				'server/queue/example.ts',
				"import { createQueueRepo } from './repo.ts';\nimport { findServiceSummary } from '../catalog/catalog.ts';\nimport { sqliteStore } from '../db/store.ts';\nexport const used = [createQueueRepo, findServiceSummary, sqliteStore];\n"
			)
		).toEqual([]);
		expect(
			await boundaryErrors(
				'server/assistant/retrieval/example.ts',
				"import { createAssistantRepo } from '../repo.ts';\nexport const repo = createAssistantRepo;\n"
			)
		).toEqual([]);
	});
});

/** The messages of `rule` ESLint reports for `code` as if it were the file at `file`. */
async function ruleErrors(rule: string, file: string, code: string): Promise<string[]> {
	const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
	return result.messages.filter((m) => m.ruleId === rule).map((m) => m.message);
}

describe('rules see the Store, not the driver (issue 20)', { timeout: 60_000 }, () => {
	it('fails a feature that imports a database driver or runs statements on the raw connection', async () => {
		expect(
			await ruleErrors(
				'no-restricted-imports',
				'server/queue/example.ts',
				"import Database from 'better-sqlite3';\nimport pg from 'pg';\nexport const used = [Database, pg];\n"
			)
		).toHaveLength(2);
		expect(
			await ruleErrors(
				'no-restricted-syntax',
				'server/cases/example.ts',
				"import type { Deps } from '../deps.ts';\nexport const read = (deps: Deps) => deps.db.prepare('SELECT 1').get();\n"
			)
		).toEqual(['A rule uses deps.store (all/get/run/transaction), never the raw connection.']);
	});

	it('lets server/db/ use the drivers, and a rule use the store', async () => {
		expect(
			await ruleErrors(
				'no-restricted-imports',
				'server/db/example.ts',
				"import Database from 'better-sqlite3';\nexport const used = Database;\n"
			)
		).toEqual([]);
		expect(
			await ruleErrors(
				'no-restricted-syntax',
				'server/cases/example.ts',
				"import type { Deps } from '../deps.ts';\nexport const read = (deps: Deps) => deps.store.get('SELECT 1');\n"
			)
		).toEqual([]);
	});
});
