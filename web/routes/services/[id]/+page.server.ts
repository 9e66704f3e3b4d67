import { error } from '@sveltejs/kit';
import { callApi } from '$lib/api.ts';
import type { ServiceItem } from '$shared/schemas/catalog.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, params }) => {
	const res = await callApi<ServiceItem>(fetch, `/api/services/${encodeURIComponent(params.id)}`);
	if (!res.ok)
		error(res.status === 404 ? 404 : 500, { message: res.error.message, code: res.error.code });
	return { item: res.data };
};
