import { callApi } from '$lib/api.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, depends }) => {
	depends('app:ratings');
	const [pending, ratings] = await Promise.all([
		callApi(fetch, (api) => api.ratings.pending.$get()),
		callApi(fetch, (api) => api.ratings.$get())
	]);
	return {
		pending: pending.ok ? pending.data.pending : [],
		ratings: ratings.ok ? ratings.data.ratings : []
	};
};
