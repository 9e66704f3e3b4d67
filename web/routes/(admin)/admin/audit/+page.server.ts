import { apiPath, callApi } from '$lib/api.ts';
import type { PageServerLoad } from './$types';

const FILTERS = ['actor', 'action', 'from', 'to'] as const;

export const load: PageServerLoad = async ({ fetch, url }) => {
	const filter = { actor: '', action: '', from: '', to: '' };
	const given: Partial<typeof filter> = {};
	for (const k of FILTERS) {
		filter[k] = url.searchParams.get(k)?.trim() ?? '';
		if (filter[k]) given[k] = filter[k];
	}
	const csv = apiPath((api) => api.admin['audit.csv'].$path({ query: given }));
	const before = url.searchParams.get('before');
	const query = { ...given, ...(before ? { before } : {}) };
	const res = await callApi(fetch, (api) => api.admin.audit.$get({ query }));
	const next = res.ok ? res.data.next : null;
	return {
		filter,
		csv,
		olderHref: next !== null ? `?${new URLSearchParams({ ...query, before: String(next) })}` : null,
		page: res.ok ? res.data : null,
		error: res.ok ? null : res.error
	};
};
