import { callApi } from '$lib/api.ts';
import type { Bundle, Department, ServiceSummary } from '$shared/schemas/catalog.ts';
import type { PageServerLoad } from './$types';

const FILTERS = ['q', 'department', 'bundle', 'level', 'channel'] as const;

export const load: PageServerLoad = async ({ fetch, url }) => {
	const params = new URLSearchParams();
	const filter: Record<string, string> = {};
	for (const key of FILTERS) {
		const v = url.searchParams.get(key)?.trim();
		if (v) {
			params.set(key, v);
			filter[key] = v;
		}
	}
	const [items, departments, bundles] = await Promise.all([
		callApi<{ items: ServiceSummary[] }>(fetch, `/api/services?${params}`),
		callApi<{ departments: Department[] }>(fetch, '/api/departments'),
		callApi<{ bundles: Bundle[] }>(fetch, '/api/bundles')
	]);
	return {
		filter,
		items: items.ok ? items.data.items : [],
		error: items.ok ? null : items.error,
		departments: departments.ok ? departments.data.departments : [],
		bundles: bundles.ok ? bundles.data.bundles : []
	};
};
