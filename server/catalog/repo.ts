import { perConnection, type Db } from '../db/index.ts';

export interface ServiceItemRow {
	id: string;
	code: string;
	name: string;
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

const ITEM_SELECT = `SELECT s.*, d.code AS dept_code, d.name AS dept_name, d.org_unit_id AS dept_org_unit_id
	FROM service_items s JOIN departments d ON d.id = s.department_id`;

export const createCatalogRepo = perConnection((db: Db) => {
	const all = db.prepare<[], ServiceItemRow>(`${ITEM_SELECT} ORDER BY s.code`);
	const byId = db.prepare<[string], ServiceItemRow>(`${ITEM_SELECT} WHERE s.id = ?`);
	const byCode = db.prepare<[string], ServiceItemRow>(`${ITEM_SELECT} WHERE s.code = ?`);
	const materials = db.prepare<[string], MaterialRow>(
		'SELECT name, description, required, key_material FROM service_materials WHERE service_item_id = ? ORDER BY position'
	);
	const itemBundles = db.prepare<[string], BundleRow>(
		`SELECT b.* FROM bundles b JOIN bundle_items bi ON bi.bundle_id = b.id
		 WHERE bi.service_item_id = ? ORDER BY b.code`
	);
	const bundles = db.prepare<[], BundleRow>('SELECT * FROM bundles ORDER BY code');
	const bundleItemIds = db.prepare<[string], { service_item_id: string }>(
		'SELECT service_item_id FROM bundle_items WHERE bundle_id = ? ORDER BY position'
	);
	const bundleByCode = db.prepare<[string], BundleRow>('SELECT * FROM bundles WHERE code = ?');
	const departments = db.prepare<[], DepartmentRow>('SELECT * FROM departments ORDER BY code');
	const departmentByCode = db.prepare<[string], DepartmentRow>(
		'SELECT * FROM departments WHERE code = ?'
	);
	const categoryExists = db.prepare<[string], { code: string }>(
		'SELECT code FROM service_categories WHERE code = ?'
	);
	const insertItem = db.prepare(
		`INSERT INTO service_items (id, code, name, category, department_id, description, fee_fen,
		   time_limit_days, channel_video, channel_onsite, accept_levels, approve_level, form_template_id,
		   keywords, content_hash, created_at, updated_at)
		 VALUES (@id, @code, @name, @category, @department_id, @description, @fee_fen, @time_limit_days,
		   @channel_video, @channel_onsite, @accept_levels, @approve_level, @form_template_id, @keywords,
		   @content_hash, @now, @now)`
	);
	const updateItem = db.prepare(
		`UPDATE service_items SET name = @name, category = @category, department_id = @department_id,
		   description = @description, fee_fen = @fee_fen, time_limit_days = @time_limit_days,
		   channel_video = @channel_video, channel_onsite = @channel_onsite, accept_levels = @accept_levels,
		   approve_level = @approve_level, form_template_id = @form_template_id, keywords = @keywords,
		   content_hash = @content_hash, updated_at = @now
		 WHERE id = @id`
	);
	const deleteMaterials = db.prepare('DELETE FROM service_materials WHERE service_item_id = ?');
	const insertMaterial = db.prepare(
		`INSERT INTO service_materials (id, service_item_id, position, name, description, required, key_material)
		 VALUES (@id, @service_item_id, @position, @name, @description, @required, @key_material)`
	);
	const deleteItemBundles = db.prepare('DELETE FROM bundle_items WHERE service_item_id = ?');
	const insertBundleItem = db.prepare(
		`INSERT INTO bundle_items (bundle_id, service_item_id, position)
		 VALUES (?, ?, (SELECT coalesce(max(position), 0) + 1 FROM bundle_items WHERE bundle_id = ?))`
	);
	const deleteSearch = db.prepare('DELETE FROM service_search WHERE item_id = ?');
	const insertSearch = db.prepare(
		'INSERT INTO service_search (item_id, name, keywords, body) VALUES (?, ?, ?, ?)'
	);
	const matchSearch = db.prepare<[string], { item_id: string }>(
		'SELECT item_id FROM service_search WHERE service_search MATCH ?'
	);
	const likeSearch = db.prepare<[string, string, string], { item_id: string }>(
		`SELECT item_id FROM service_search WHERE name LIKE ? OR keywords LIKE ? OR body LIKE ?`
	);
	const searchText = db.prepare<
		[],
		{ item_id: string; name: string; keywords: string; body: string }
	>('SELECT item_id, name, keywords, body FROM service_search');

	// moves whenever another connection (another process sharing the file) commits a write
	const dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();

	return {
		dataVersion: () => dataVersion.get()!,
		listItems: () => all.all(),
		findItem: (id: string) => byId.get(id),
		findItemByCode: (code: string) => byCode.get(code),
		listMaterials: (itemId: string) => materials.all(itemId),
		listItemBundles: (itemId: string) => itemBundles.all(itemId),
		listBundles: () => bundles.all(),
		listBundleItemIds: (bundleId: string) =>
			bundleItemIds.all(bundleId).map((r) => r.service_item_id),
		findBundleByCode: (code: string) => bundleByCode.get(code),
		listDepartments: () => departments.all(),
		findDepartmentByCode: (code: string) => departmentByCode.get(code),
		categoryExists: (code: string) => categoryExists.get(code) !== undefined,
		insertItem: (row: Record<string, unknown>) => void insertItem.run(row),
		updateItem: (row: Record<string, unknown>) => void updateItem.run(row),
		replaceMaterials(
			itemId: string,
			rows: { id: string; name: string; description: string; required: boolean; key: boolean }[]
		) {
			deleteMaterials.run(itemId);
			rows.forEach((m, i) =>
				insertMaterial.run({
					id: m.id,
					service_item_id: itemId,
					position: i + 1,
					name: m.name,
					description: m.description,
					required: m.required ? 1 : 0,
					key_material: m.key ? 1 : 0
				})
			);
		},
		replaceItemBundles(itemId: string, bundleIds: string[]) {
			deleteItemBundles.run(itemId);
			for (const b of bundleIds) insertBundleItem.run(b, itemId, b);
		},
		reindex(itemId: string, name: string, keywords: string, body: string) {
			deleteSearch.run(itemId);
			insertSearch.run(itemId, name, keywords, body);
		},
		matchSearch: (query: string) => matchSearch.all(query).map((r) => r.item_id),
		likeSearch: (pattern: string) =>
			likeSearch.all(pattern, pattern, pattern).map((r) => r.item_id),
		searchTexts: () => searchText.all()
	};
});
export type CatalogRepo = ReturnType<typeof createCatalogRepo>;
