import { error } from '@sveltejs/kit';
import { callApi } from '$lib/api.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, depends }) => {
	depends('app:ratings');
	const [pending, ratings] = await Promise.all([
		callApi(fetch, (api) => api.ratings.pending.$get()),
		callApi(fetch, (api) => api.ratings.$get())
	]);
	// refused (a proxy acting for someone may not see their ratings): +error says why, not an
	// empty page
	for (const res of [pending, ratings])
		if (!res.ok && res.status === 403)
			error(403, { message: res.error.message, code: res.error.code });
	return {
		pending: pending.ok ? pending.data.pending : [],
		ratings: ratings.ok ? ratings.data.ratings : []
	};
};
