import type { Store } from '../db/store.ts';

export interface ServiceItemRow {
	id: string;
	code: string;
	name: string;
	name_en: string | null;
	category: string;
	department_id: string;
	description: string;
	fee_fen: number;
	time_limit_days: number;
	channel_video: number;
	channel_onsite: number;
	accept_levels: string;
	approve_level: 'city' | 'district' | 'township';
	form_template_id: string | null;
	keywords: string;
	content_hash: string;
	dept_code: string;
	dept_name: string;
	dept_org_unit_id: string;
}

export interface DepartmentRow {
	id: string;
	code: string;
	name: string;
	org_unit_id: string;
}

export interface MaterialRow {
	name: string;
	description: string;
	required: number;
	/** 1: a key material (不可容缺), never accepted on a promise */
	key_material: number;
}

export interface BundleRow {
	id: string;
	code: string;
	name: string;
	description: string;
}

// The department's columns by correlated subqueries, not a JOIN: the same rows (department_id is
// NOT NULL and a foreign key), but better-sqlite3's SQLite re-plans a JOIN with a bound
// parameter on every run, ~120 µs for this one against ~10 (README: Performance; every ticket
// taken reads it twice).
const ITEM_SELECT = `SELECT s.*,
	(SELECT code FROM departments WHERE id = s.department_id) AS dept_code,
	(SELECT name FROM departments WHERE id = s.department_id) AS dept_name,
	(SELECT org_unit_id FROM departments WHERE id = s.department_id) AS dept_org_unit_id
	FROM service_items s`;

export function createCatalogRepo(db: Store) {
	return {
		// SQLite only: moves whenever another connection (another process sharing the file) commits
		dataVersion: async () =>
			(await db.get<{ data_version: number }>('PRAGMA data_version'))!.data_version,
		listItems: () => db.all<ServiceItemRow>(`${ITEM_SELECT} ORDER BY s.code`),
		findItem: (id: string) => db.get<ServiceItemRow>(`${ITEM_SELECT} WHERE s.id = ?`, [id]),
		findItemByCode: (code: string) =>
			db.get<ServiceItemRow>(`${ITEM_SELECT} WHERE s.code = ?`, [code]),
		listMaterials: (itemId: string) =>
			db.all<MaterialRow>(
				'SELECT name, description, required, key_material FROM service_materials WHERE service_item_id = ? ORDER BY position',
				[itemId]
			),
		listItemBundles: (itemId: string) =>
			db.all<BundleRow>(
				`SELECT b.* FROM bundles b JOIN bundle_items bi ON bi.bundle_id = b.id
		 WHERE bi.service_item_id = ? ORDER BY b.code`,
				[itemId]
			),
		listBundles: () => db.all<BundleRow>('SELECT * FROM bundles ORDER BY code'),
		listBundleItemIds: async (bundleId: string) =>
			(
				await db.all<{ service_item_id: string }>(
					'SELECT service_item_id FROM bundle_items WHERE bundle_id = ? ORDER BY position',
					[bundleId]
				)
			).map((r) => r.service_item_id),
		/** Every bundle's item ids in order, by bundle id (one query for the whole list). */
		bundleItemIdsByBundle: async () => {
			const byBundle = new Map<string, string[]>();
			for (const r of await db.all<{ bundle_id: string; service_item_id: string }>(
				'SELECT bundle_id, service_item_id FROM bundle_items ORDER BY bundle_id, position'
			)) {
				const ids = byBundle.get(r.bundle_id);
				if (ids) ids.push(r.service_item_id);
				else byBundle.set(r.bundle_id, [r.service_item_id]);
			}
			return byBundle;
		},
		findBundleByCode: (code: string) =>
			db.get<BundleRow>('SELECT * FROM bundles WHERE code = ?', [code]),
		listDepartments: () => db.all<DepartmentRow>('SELECT * FROM departments ORDER BY code'),
		findDepartmentByCode: (code: string) =>
			db.get<DepartmentRow>('SELECT * FROM departments WHERE code = ?', [code]),
		categoryExists: async (code: string) =>
			(await db.get<{ code: string }>('SELECT code FROM service_categories WHERE code = ?', [
				code
			])) !== undefined,
		insertItem: async (row: Record<string, unknown>) => {
			await db.run(
				`INSERT INTO service_items (id, code, name, name_en, category, department_id, description, fee_fen,
		   time_limit_days, channel_video, channel_onsite, accept_levels, approve_level, form_template_id,
		   keywords, content_hash, created_at, updated_at)
		 VALUES (@id, @code, @name, @name_en, @category, @department_id, @description, @fee_fen, @time_limit_days,
		   @channel_video, @channel_onsite, @accept_levels, @approve_level, @form_template_id, @keywords,
		   @content_hash, @now, @now)`,
				row
			);
		},
		updateItem: async (row: Record<string, unknown>) => {
			await db.run(
				`UPDATE service_items SET name = @name, name_en = @name_en, category = @category, department_id = @department_id,
		   description = @description, fee_fen = @fee_fen, time_limit_days = @time_limit_days,
		   channel_video = @channel_video, channel_onsite = @channel_onsite, accept_levels = @accept_levels,
		   approve_level = @approve_level, form_template_id = @form_template_id, keywords = @keywords,
		   content_hash = @content_hash, updated_at = @now
		 WHERE id = @id`,
				row
			);
		},
		async replaceMaterials(
			itemId: string,
			rows: { id: string; name: string; description: string; required: boolean; key: boolean }[]
		) {
			await db.run('DELETE FROM service_materials WHERE service_item_id = ?', [itemId]);
			for (const [i, m] of rows.entries())
				await db.run(
					`INSERT INTO service_materials (id, service_item_id, position, name, description, required, key_material)
		 VALUES (@id, @service_item_id, @position, @name, @description, @required, @key_material)`,
					{
						id: m.id,
						service_item_id: itemId,
						position: i + 1,
						name: m.name,
						description: m.description,
						required: m.required ? 1 : 0,
						key_material: m.key ? 1 : 0
					}
				);
		},
		async replaceItemBundles(itemId: string, bundleIds: string[]) {
			await db.run('DELETE FROM bundle_items WHERE service_item_id = ?', [itemId]);
			for (const b of bundleIds)
				await db.run(
					`INSERT INTO bundle_items (bundle_id, service_item_id, position)
		 VALUES (?, ?, (SELECT coalesce(max(position), 0) + 1 FROM bundle_items WHERE bundle_id = ?))`,
					[b, itemId, b]
				);
		},
		async reindex(itemId: string, name: string, keywords: string, body: string) {
			await db.run('DELETE FROM service_search WHERE item_id = ?', [itemId]);
			await db.run(
				'INSERT INTO service_search (item_id, name, keywords, body) VALUES (?, ?, ?, ?)',
				[itemId, name, keywords, body]
			);
		},
		/**
		 * Ids of the items whose name, keywords or body contains any of words (case folded). SQLite:
		 * FTS5's trigram index for words of 3+ characters, LIKE for shorter ones (a trigram index
		 * cannot hold them). PostgreSQL has no FTS5: ILIKE on each column, answered from the pg_trgm
		 * GIN indexes (migrations/postgres/0001_hall.sql), one statement for all the words.
		 */
		async containingAny(words: string[]): Promise<string[]> {
			if (!words.length) return [];
			if (db.dialect === 'postgres') {
				const escaped = words.map((w) => w.replace(/[\\%_]/g, '\\$&'));
				const one = `(name ILIKE ('%' || CAST(? AS TEXT) || '%') OR keywords ILIKE ('%' || CAST(? AS TEXT) || '%') OR body ILIKE ('%' || CAST(? AS TEXT) || '%'))`;
				return (
					await db.all<{ item_id: string }>(
						`SELECT item_id FROM service_search WHERE ${escaped.map(() => one).join(' OR ')}`,
						escaped.flatMap((w) => [w, w, w])
					)
				).map((r) => r.item_id);
			}
			const ids = new Set<string>();
			const quote = (w: string) => `"${w.replace(/"/g, '""')}"`;
			const long = words.filter((w) => [...w].length >= 3);
			if (long.length)
				for (const r of await db.all<{ item_id: string }>(
					'SELECT item_id FROM service_search WHERE service_search MATCH ?',
					[long.map(quote).join(' OR ')]
				))
					ids.add(r.item_id);
			for (const w of words.filter((w) => [...w].length < 3)) {
				const pattern = `%${w.replace(/[%_]/g, '')}%`;
				for (const r of await db.all<{ item_id: string }>(
					'SELECT item_id FROM service_search WHERE name LIKE ? OR keywords LIKE ? OR body LIKE ?',
					[pattern, pattern, pattern]
				))
					ids.add(r.item_id);
			}
			return [...ids];
		},
		/** Every item's searched texts, with its code (ties in the ranking go by code). */
		searchTexts: () =>
			db.all<{ item_id: string; code: string; name: string; keywords: string; body: string }>(
				`SELECT ss.item_id, s.code, ss.name, ss.keywords, ss.body
		 FROM service_search ss JOIN service_items s ON s.id = ss.item_id`
			)
	};
}
export type CatalogRepo = ReturnType<typeof createCatalogRepo>;
