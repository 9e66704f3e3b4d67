import { callApi } from '$lib/api.ts';
import type { PendingRating, Rating } from '$shared/schemas/ratings.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, depends }) => {
	depends('app:ratings');
	const [pending, ratings] = await Promise.all([
		callApi<{ pending: PendingRating[] }>(fetch, '/api/ratings/pending'),
		callApi<{ ratings: Rating[] }>(fetch, '/api/ratings')
	]);
	return {
		pending: pending.ok ? pending.data.pending : [],
		ratings: ratings.ok ? ratings.data.ratings : []
	};
};
