import { callApi } from '$lib/api.ts';
import type { MyDay } from '$shared/schemas/stats.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, url }) => {
	const day = url.searchParams.get('day');
	const res = await callApi<{ myDay: MyDay }>(
		fetch,
		`/api/stats/my-day${day ? `?day=${encodeURIComponent(day)}` : ''}`
	);
	return { myDay: res.ok ? res.data.myDay : null, error: res.ok ? null : res.error, day };
};
