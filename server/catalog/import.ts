// Catalog import from JSONL or CSV. Every row is validated first; then, in one transaction,
// rows are upserted by code. A row whose content hash equals the stored one is left alone, so
// importing the same file twice changes nothing.
import { recordAudit } from '../audit/audit.ts';
import { createHash } from 'node:crypto';
import { parse as parseCsv } from 'csv-parse/sync';
import type { Deps } from '../deps.ts';
import { AppError } from '../http/errors.ts';
import { newId } from '../ids.ts';
import { lockKey } from '../db/dialect.ts';
import {
	ImportRowSchema,
	type ImportInput,
	type ImportReport,
	type ImportRow
} from '../../shared/schemas/catalog.ts';
import { createCatalogRepo, type CatalogRepo } from './repo.ts';
import { forgetCatalog } from './cache.ts';

export const MAX_IMPORT_ROWS = 5000;

interface Rejection {
	row: number;
	field: string;
	message: string;
}

/** File text → raw records with their 1-based row numbers (CSV: the header is row 1). */
function readRecords(
	format: 'jsonl' | 'csv',
	content: string
): { row: number; value: unknown }[] | Rejection {
	if (format === 'jsonl') {
		return content
			.split(/\r?\n/)
			.map((line, i) => ({ line: line.trim(), row: i + 1 }))
			.filter((l) => l.line)
			.map(({ line, row }) => {
				try {
					return { row, value: JSON.parse(line) as unknown };
				} catch {
					return { row, value: Symbol.for('bad-json') };
				}
			});
	}
	try {
		const records = parseCsv(content.replace(/^\uFEFF/, ''), {
			columns: true,
			skip_empty_lines: true,
			trim: true
		}) as Record<string, string>[];
		return records.map((value, i) => ({ row: i + 2, value }));
	} catch (err) {
		return { row: 0, field: 'content', message: `not readable as CSV: ${(err as Error).message}` };
	}
}

/** fn remembered by its argument, for the lookups of one import. */
function once<T>(fn: (code: string) => Promise<T>): (code: string) => Promise<T> {
	const seen = new Map<string, Promise<T>>();
	return (code) => {
		let value = seen.get(code);
		if (!value) {
			value = fn(code);
			seen.set(code, value);
		}
		return value;
	};
}

function contentHash(row: ImportRow, departmentId: string): string {
	return createHash('sha256')
		.update(JSON.stringify({ ...row, departmentId }))
		.digest('hex');
}

async function validate(repo: CatalogRepo, records: { row: number; value: unknown }[]) {
	// one query per distinct code, not one per row (a file names the same few again and again)
	const department = once((code: string) => repo.findDepartmentByCode(code));
	const categoryExists = once((code: string) => repo.categoryExists(code));
	const bundleByCode = once((code: string) => repo.findBundleByCode(code));
	const rejected: Rejection[] = [];
	const good: { row: number; data: ImportRow; departmentId: string; bundleIds: string[] }[] = [];
	const seen = new Map<string, number>();
	for (const { row, value } of records) {
		if (typeof value === 'symbol') {
			rejected.push({ row, field: '_', message: 'not valid JSON' });
			continue;
		}
		const parsed = ImportRowSchema.safeParse(value);
		const problems: Rejection[] = parsed.success
			? []
			: parsed.error.issues.map((issue) => ({
					row,
					field: issue.path.join('.') || '_',
					message: issue.message
				}));
		// References are checked even when other fields are wrong, so one report names every problem.
		const raw = (typeof value === 'object' && value !== null ? value : {}) as Record<
			string,
			unknown
		>;
		const departmentCode = typeof raw.departmentCode === 'string' ? raw.departmentCode.trim() : '';
		const dept = departmentCode ? await department(departmentCode) : undefined;
		if (departmentCode && !dept)
			problems.push({
				row,
				field: 'departmentCode',
				message: `no department with code ${departmentCode}`
			});
		if (!parsed.success) {
			rejected.push(...problems);
			continue;
		}
		const data = parsed.data;
		if (data.category && !(await categoryExists(data.category)))
			problems.push({ row, field: 'category', message: `no category ${data.category}` });
		const bundleIds: string[] = [];
		for (const code of data.bundles) {
			const bundle = await bundleByCode(code);
			if (bundle) bundleIds.push(bundle.id);
			else problems.push({ row, field: 'bundles', message: `no bundle with code ${code}` });
		}
		if (seen.has(data.code))
			problems.push({
				row,
				field: 'code',
				message: `repeats the code of row ${seen.get(data.code)}`
			});
		seen.set(data.code, row);
		if (problems.length) rejected.push(...problems);
		else good.push({ row, data, departmentId: dept!.id, bundleIds });
	}
	return { rejected, good };
}

export async function importCatalog(deps: Deps, input: ImportInput): Promise<ImportReport> {
	const repo = createCatalogRepo(deps.store);
	const records = readRecords(input.format, input.content);
	if (!Array.isArray(records)) throw AppError.validation({ content: records.message });
	if (!records.length) throw AppError.validation({ content: 'has no rows' });
	if (records.length > MAX_IMPORT_ROWS)
		throw AppError.validation({
			content: `has ${records.length} rows; at most ${MAX_IMPORT_ROWS} per file`
		});
	const { rejected, good } = await validate(repo, records);
	if (rejected.length && input.mode === 'all-or-nothing') {
		const fields: Record<string, string> = {};
		for (const r of rejected) fields[`row ${r.row}.${r.field}`] ??= r.message;
		throw new AppError(
			422,
			'import_rejected',
			`${new Set(rejected.map((r) => r.row)).size} rows are invalid; nothing was imported`,
			{
				fields
			}
		);
	}
	const report: ImportReport = {
		applied: true,
		total: records.length,
		created: 0,
		updated: 0,
		unchanged: 0,
		rejected
	};
	try {
		await applyImport(deps, input, good, rejected.length, report);
	} finally {
		// the pages' cached catalog is read again after an import, also one that failed
		forgetCatalog();
	}
	return report;
}

async function applyImport(
	deps: Deps,
	input: ImportInput,
	good: Awaited<ReturnType<typeof validate>>['good'],
	rejectedCount: number,
	report: ImportReport
): Promise<void> {
	const now = deps.now();
	await deps.store.transaction(async (tx) => {
		// two imports never interleave item by item (PostgreSQL; SQLite's write lock does it there)
		await lockKey(tx, 'catalog-import');
		const repo = createCatalogRepo(tx);
		for (const { data, departmentId, bundleIds } of good) {
			const hash = contentHash(data, departmentId);
			const existing = await repo.findItemByCode(data.code);
			if (existing && existing.content_hash === hash) {
				report.unchanged++;
				continue;
			}
			const id = existing?.id ?? newId();
			const row = {
				id,
				code: data.code,
				name: data.name,
				name_en: data.nameEn ?? null,
				category: data.category ?? existing?.category ?? 'A',
				department_id: departmentId,
				description: data.description,
				fee_fen: data.feeFen,
				time_limit_days: data.timeLimitDays,
				channel_video: data.channels.includes('video') ? 1 : 0,
				channel_onsite: data.channels.includes('onsite') ? 1 : 0,
				accept_levels: [...new Set(data.acceptLevels)].join(','),
				approve_level: data.approveLevel,
				form_template_id: data.formTemplateId ?? null,
				keywords: data.keywords.join(' '),
				content_hash: hash,
				now
			};
			if (existing) {
				await repo.updateItem(row);
				report.updated++;
			} else {
				await repo.insertItem(row);
				report.created++;
			}
			await repo.replaceMaterials(
				id,
				data.materials.map((m) => ({ id: newId(), ...m }))
			);
			await repo.replaceItemBundles(id, bundleIds);
			const department = (await repo.findItem(id))!;
			await repo.reindex(
				id,
				data.name,
				data.keywords.join(' '),
				[
					data.description,
					department.dept_name,
					...data.materials.map((m) => `${m.name} ${m.description}`)
				].join('\n')
			);
		}
		await recordAudit(
			{ ...deps, store: tx },
			{
				action: 'import.catalog',
				detail: {
					format: input.format,
					mode: input.mode,
					created: report.created,
					updated: report.updated,
					unchanged: report.unchanged,
					rejected: rejectedCount
				}
			}
		);
	});
}
