import { callApi } from './api.ts';
import type { OrgUnit } from '$shared/schemas/auth.ts';

/** All org units (staff only), from the API. */
export async function loadOrgUnits(fetch: typeof globalThis.fetch): Promise<OrgUnit[]> {
	const res = await callApi<{ orgUnits: OrgUnit[] }>(fetch, '/api/org-units');
	return res.ok ? res.data.orgUnits : [];
}
