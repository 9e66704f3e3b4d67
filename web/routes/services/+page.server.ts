import { callApi, submitted } from '$lib/api.ts';
import type { PageServerLoad } from './$types';

const FILTERS = ['q', 'department', 'bundle', 'level', 'channel'] as const;

export const load: PageServerLoad = async ({ fetch: pageFetch, url }) => {
	// The catalog is public and the same for everyone: asked without the visitor's cookie, the
	// API does not check the session three times more (the hook has already done it once).
	const fetch: typeof pageFetch = (input, init) =>
		pageFetch(input, { ...init, credentials: 'omit' });
	const filter: Partial<Record<(typeof FILTERS)[number], string>> = {};
	for (const key of FILTERS) {
		const v = url.searchParams.get(key)?.trim();
		if (v) filter[key] = v;
	}
	const { level, channel, ...text } = filter;
	const [items, departments, bundles, lifeEvents] = await Promise.all([
		callApi(fetch, (api) =>
			api.services.$get({
				query: {
					...text,
					...(level ? { level: submitted(level) } : {}),
					...(channel ? { channel: submitted(channel) } : {})
				}
			})
		),
		callApi(fetch, (api) => api.departments.$get()),
		callApi(fetch, (api) => api.bundles.$get()),
		callApi(fetch, (api) => api['life-events'].$get())
	]);
	const offers = lifeEvents.ok ? lifeEvents.data.lifeEvents : [];
	/** A life event (one application for several items): the one whose items are all in the bundle. */
	const lifeEventOf = (itemIds: readonly string[]) =>
		offers.find((l) => l.items.every((i) => itemIds.includes(i.itemId)));
	const chosenBundle = bundles.ok
		? bundles.data.bundles.find((b) => b.code === filter.bundle)
		: undefined;
	return {
		filter,
		// what the list shows of each item, no more: this data is written into the page (a phone
		// downloads it, the server serializes it on every request)
		items: items.ok
			? items.data.items.map(({ id, name, department, channels, timeLimitDays }) => ({
					id,
					name,
					department: { name: department.name },
					channels,
					timeLimitDays
				}))
			: [],
		error: items.ok ? null : items.error,
		departments: departments.ok
			? departments.data.departments.map(({ id, code, name }) => ({ id, code, name }))
			: [],
		// each bundle says whether one application covers it (a life event); the life event's
		// offer itself only for the bundle chosen, the one place the list shows it
		bundles: (bundles.ok ? bundles.data.bundles : []).map(
			({ id, code, name, description, itemIds }) => ({
				id,
				code,
				name,
				description,
				lifeEvent: lifeEventOf(itemIds) !== undefined
			})
		),
		chosenLifeEvent: filter.bundle ? (lifeEventOf(chosenBundle?.itemIds ?? []) ?? null) : null
	};
};
