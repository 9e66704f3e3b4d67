import { callApi } from './api.ts';

/** All org units (staff only), from the API. */
export async function loadOrgUnits(fetch: typeof globalThis.fetch) {
	const res = await callApi(fetch, (api) => api['org-units'].$get());
	return res.ok ? res.data.orgUnits : [];
}
