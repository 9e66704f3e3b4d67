import type { Deps } from '../deps.ts';
import { AppError } from '../http/errors.ts';
import type { OrgLevel } from '../../shared/roles.ts';
import type {
	Bundle,
	Channel,
	Department,
	ServiceItem,
	ServiceSummary
} from '../../shared/schemas/catalog.ts';
import { createCatalogRepo, type DepartmentRow, type ServiceItemRow } from './repo.ts';
import { searchItemIds } from './search.ts';
import { cachedCatalog } from './cache.ts';
import { keptUnderTables } from '../db/kept-under-tables.ts';

export function toDepartment(row: DepartmentRow): Department {
	return { id: row.id, code: row.code, name: row.name, orgUnitId: row.org_unit_id };
}

export function channelsOf(
	row: Pick<ServiceItemRow, 'channel_video' | 'channel_onsite'>
): Channel[] {
	return [
		...(row.channel_video ? (['video'] as const) : []),
		...(row.channel_onsite ? (['onsite'] as const) : [])
	];
}

export function toServiceSummary(row: ServiceItemRow): ServiceSummary {
	return {
		id: row.id,
		code: row.code,
		name: row.name,
		nameEn: row.name_en,
		category: row.category,
		department: {
			id: row.department_id,
			code: row.dept_code,
			name: row.dept_name,
			orgUnitId: row.dept_org_unit_id
		},
		channels: channelsOf(row),
		acceptLevels: row.accept_levels.split(',') as OrgLevel[],
		approveLevel: row.approve_level,
		feeFen: row.fee_fen,
		timeLimitDays: row.time_limit_days
	};
}

export interface ServiceFilter {
	q?: string;
	level?: OrgLevel;
	channel?: Channel;
	department?: string;
	bundle?: string;
}

export async function listServices(deps: Deps, filter: ServiceFilter): Promise<ServiceSummary[]> {
	const repo = createCatalogRepo(deps.store);
	if (!filter.q?.trim() && !filter.level && !filter.channel && !filter.department && !filter.bundle)
		return cachedCatalog(deps.store, 'summaries', async () =>
			(await repo.listItems()).map(toServiceSummary)
		);
	let rows = await cachedCatalog(deps.store, 'items', () => repo.listItems());
	if (filter.q?.trim()) {
		const order = await searchItemIds(repo, filter.q, (key, load) =>
			cachedCatalog(deps.store, key, load)
		);
		const byId = new Map(rows.map((r) => [r.id, r]));
		rows = order.map((id) => byId.get(id)!).filter(Boolean);
	}
	if (filter.level) rows = rows.filter((r) => r.accept_levels.split(',').includes(filter.level!));
	if (filter.channel) rows = rows.filter((r) => channelsOf(r).includes(filter.channel!));
	if (filter.department) rows = rows.filter((r) => r.dept_code === filter.department);
	if (filter.bundle) {
		const bundle = await repo.findBundleByCode(filter.bundle);
		const ids = new Set(bundle ? await repo.listBundleItemIds(bundle.id) : []);
		rows = rows.filter((r) => ids.has(r.id));
	}
	return rows.map(toServiceSummary);
}

export async function getService(deps: Deps, id: string): Promise<ServiceItem> {
	const repo = createCatalogRepo(deps.store);
	const row = await repo.findItem(id);
	if (!row) throw AppError.notFound('Service item');
	const materials = await listServiceMaterials(deps, id);
	const bundles = await repo.listItemBundles(id);
	return {
		...toServiceSummary(row),
		description: row.description,
		keywords: row.keywords ? row.keywords.split(' ') : [],
		formTemplateId: row.form_template_id,
		materials,
		bundles: bundles.map((b) => ({ id: b.id, code: b.code, name: b.name }))
	};
}

/** A service item's summary (channels, levels, its department), for the features that serve it. */
export async function findServiceSummary(
	deps: Deps,
	id: string
): Promise<ServiceSummary | undefined> {
	return keptUnderTables(deps, ITEM_TABLES, id, async () => {
		const row = await createCatalogRepo(deps.store).findItem(id);
		return row && frozenSummary(toServiceSummary(row));
	});
}
/** What an item's summary is read from. */
const ITEM_TABLES = ['service_items', 'departments'];
/** A summary shared by every caller (keptUnderTables): none of them may change it. */
function frozenSummary(s: ServiceSummary): ServiceSummary {
	Object.freeze(s.department);
	Object.freeze(s.channels);
	Object.freeze(s.acceptLevels);
	return Object.freeze(s);
}

/** A service item's id by its catalog code (the demo seed refers to items by code). */
export async function serviceIdByCode(deps: Deps, code: string): Promise<string | undefined> {
	return (await createCatalogRepo(deps.store).findItemByCode(code))?.id;
}

/** The materials an application for the item needs, in order. */
export async function listServiceMaterials(
	deps: Deps,
	serviceId: string
): Promise<{ name: string; description: string; required: boolean; key: boolean }[]> {
	return (await createCatalogRepo(deps.store).listMaterials(serviceId)).map((m) => ({
		name: m.name,
		description: m.description,
		required: m.required === 1,
		key: m.key_material === 1
	}));
}

export async function isMaterialOf(
	deps: Deps,
	serviceId: string,
	material: string
): Promise<boolean> {
	return (await listServiceMaterials(deps, serviceId)).some((m) => m.name === material);
}

export function listDepartments(deps: Deps): Promise<Department[]> {
	return cachedCatalog(deps.store, 'departments', async () =>
		(await createCatalogRepo(deps.store).listDepartments()).map(toDepartment)
	);
}

export function listBundles(deps: Deps): Promise<Bundle[]> {
	const repo = createCatalogRepo(deps.store);
	return cachedCatalog(deps.store, 'bundles', async () => {
		// every bundle's items from one query, not one per bundle
		const bundles = await repo.listBundles();
		const itemIds = await repo.bundleItemIdsByBundle();
		return bundles.map((b) => ({
			id: b.id,
			code: b.code,
			name: b.name,
			description: b.description,
			itemIds: itemIds.get(b.id) ?? []
		}));
	});
}
