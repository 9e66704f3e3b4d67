// Where a citizen may queue for an item (就近办): the hall of the item's department and the halls
// below it (the townships' 便民服务中心) whose level the item's accept levels include and that
// have a desk serving the item's category, so a desk there can call the ticket. The choice
// defaults to the hall the citizen last queued at among them, else the department's.
import type { Deps } from '../deps.ts';
import { keptUnderTables } from '../db/kept-under-tables.ts';
import { AppError } from '../http/errors.ts';
import type { User } from '../../shared/schemas/auth.ts';
import type { ServiceSummary } from '../../shared/schemas/catalog.ts';
import type { ItemHalls } from '../../shared/schemas/queue.ts';
import { orgSubtreeOf } from '../access/org-units.ts';
import { orgUnitsIn } from '../accounts/accounts.ts';
import { findServiceSummary } from '../catalog/catalog.ts';
import { createQueueRepo } from './repo.ts';

type Hall = Awaited<ReturnType<typeof orgUnitsIn>>[number];

// Every take and every item page asks which halls offer the item: kept per department, category
// and accept levels until the org units or the desks may have changed (a ticket taken does not
// change them; server/db/kept-under-tables.ts).
/** The halls offering the item, the department's first. */
function hallsOffering(deps: Deps, item: ServiceSummary): Promise<readonly Hall[]> {
	const key = `${item.department.orgUnitId}|${item.category}|${item.acceptLevels.join(',')}`;
	return keptUnderTables(deps, ['org_units', 'desks'], key, () => readHallsOffering(deps, item));
}

async function readHallsOffering(deps: Deps, item: ServiceSummary): Promise<Hall[]> {
	const home = item.department.orgUnitId;
	const subtree = await orgSubtreeOf(deps, home);
	const serving = new Set(
		(await createQueueRepo(deps.store).desksIn(subtree))
			.filter((d) => d.categories.split(',').includes(item.category))
			.map((d) => d.org_unit_id)
	);
	// only the units that may be halls, in one query: a take asks this, and a city-level item's
	// subtree is every unit of the city
	return (await orgUnitsIn(deps, [home, ...serving]))
		.filter((o) => o.id === home || item.acceptLevels.includes(o.level))
		.sort((a, b) => (a.id === home ? -1 : b.id === home ? 1 : a.code.localeCompare(b.code)));
}

export async function hallsForItem(
	deps: Deps,
	serviceId: string,
	citizen: User | null
): Promise<ItemHalls> {
	const item = await findServiceSummary(deps, serviceId);
	if (!item) throw AppError.notFound('Service item');
	const halls = await hallsOffering(deps, item);
	const last =
		citizen?.role === 'citizen'
			? await createQueueRepo(deps.store).lastHallOfCitizen(
					citizen.id,
					halls.map((h) => h.id)
				)
			: undefined;
	return {
		halls: halls.map((o) => ({ id: o.id, code: o.code, name: o.name, level: o.level })),
		defaultHallId: last ?? item.department.orgUnitId
	};
}

/** 400 naming hallId unless the item may be queued for there. */
export async function requireHallOffering(
	deps: Deps,
	item: ServiceSummary,
	hallId: string
): Promise<void> {
	if (!(await hallsOffering(deps, item)).some((o) => o.id === hallId))
		throw AppError.validation({ hallId: 'this hall does not offer the item' });
}
