import { callApi } from '$lib/api.ts';
import type { AuditPage } from '$shared/schemas/audit.ts';
import type { PageServerLoad } from './$types';

const FILTERS = ['actor', 'action', 'from', 'to'] as const;

export const load: PageServerLoad = async ({ fetch, url }) => {
	const filter = Object.fromEntries(
		FILTERS.map((k) => [k, url.searchParams.get(k)?.trim() ?? ''])
	) as Record<(typeof FILTERS)[number], string>;
	const query = new URLSearchParams(Object.entries(filter).filter(([, v]) => v));
	const csv = `/api/admin/audit.csv${query.size ? `?${query}` : ''}`;
	const before = url.searchParams.get('before');
	if (before) query.set('before', before);
	const res = await callApi<AuditPage>(fetch, `/api/admin/audit?${query}`);
	const older = res.ok && res.data.next !== null ? new URLSearchParams(query) : null;
	older?.set('before', String(res.ok ? res.data.next : ''));
	return {
		filter,
		csv,
		olderHref: older ? `?${older}` : null,
		page: res.ok ? res.data : null,
		error: res.ok ? null : res.error
	};
};
