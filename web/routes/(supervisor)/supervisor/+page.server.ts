import { loadOrgUnits } from '$lib/org-unit.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, parent }) => {
	const { user } = await parent();
	const orgUnits = await loadOrgUnits(fetch);
	return { orgUnit: orgUnits.find((o) => o.id === user.orgUnitId) ?? null };
};
