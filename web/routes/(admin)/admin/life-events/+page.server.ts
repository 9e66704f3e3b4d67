import { callApi } from '$lib/api.ts';
import type { PageServerLoad } from './$types';

/**
 * The life events published so far, the catalog (items to add, theme items to start from) and,
 * for the one picked (?theme=), its newest version: the editor starts from its definition.
 */
export const load: PageServerLoad = async ({ fetch, url }) => {
	const [offers, services] = await Promise.all([
		callApi(fetch, (api) => api['life-events'].$get()),
		callApi(fetch, (api) => api.services.$get({ query: {} }))
	]);
	const themeItemId = url.searchParams.get('theme') ?? '';
	const latest = themeItemId
		? await callApi(fetch, (api) =>
				api.admin['life-events'][':id'].$get({ param: { id: themeItemId } })
			)
		: null;
	return {
		lifeEvents: offers.ok ? offers.data.lifeEvents : [],
		items: services.ok ? services.data.items : [],
		themeItemId,
		// null: a new life event on this theme item (the API answers 404 until its first version)
		latest: latest?.ok ? latest.data.lifeEvent : null
	};
};
