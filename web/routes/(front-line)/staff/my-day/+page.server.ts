import { callApi } from '$lib/api.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, url }) => {
	const day = url.searchParams.get('day');
	const res = await callApi(fetch, (api) =>
		api.stats['my-day'].$get({ query: day ? { day } : {} })
	);
	return { myDay: res.ok ? res.data.myDay : null, error: res.ok ? null : res.error, day };
};
