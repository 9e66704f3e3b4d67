import { callApi, submitted } from '$lib/api.ts';
import type { PageServerLoad } from './$types';
import { keptViews } from './kept-views.ts';

const FILTERS = ['q', 'department', 'bundle', 'level', 'channel'] as const;
type Filter = Partial<Record<(typeof FILTERS)[number], string>>;

type CatalogPage = NonNullable<Awaited<ReturnType<typeof readCatalogPage>>>['page'];
const kept = keptViews<CatalogPage>();

export const load: PageServerLoad = async ({ fetch: pageFetch, url }) => {
	// The catalog is public and the same for everyone: asked without the visitor's cookie, the
	// API does not check the session again (the hook has already done it once).
	const fetch: typeof pageFetch = (input, init) =>
		pageFetch(input, { ...init, credentials: 'omit' });
	const filter: Filter = {};
	for (const key of FILTERS) {
		const v = url.searchParams.get(key)?.trim();
		if (v) filter[key] = v;
	}
	// the filters in FILTERS' order: one key per query
	const query = JSON.stringify(filter);
	const held = kept.get(query);
	const read = await readCatalogPage(fetch, filter, held?.etag);
	if (!read) return held!.view;
	if (read.etag) kept.set(query, read.etag, read.page);
	return read.page;
};

/** The page's data, or null when the API says the page made under `etag` is still right (304). */
async function readCatalogPage(fetch: typeof globalThis.fetch, filter: Filter, etag?: string) {
	const { level, channel, ...text } = filter;
	// one read for the list and its filters' vocabularies (GET /api/catalog)
	const found = await callApi(fetch, (api) =>
		api.catalog.$get({
			query: {
				...text,
				...(level ? { level: submitted(level) } : {}),
				...(channel ? { channel: submitted(channel) } : {})
			},
			header: etag ? { 'if-none-match': etag } : {}
		})
	);
	if (etag && found.status === 304) return null;
	// a filter the API refuses (a level that is none) is said on the page, whose filters are
	// still offered: the vocabularies then come from a read without the filters
	const view = found.ok
		? found.data
		: await callApi(fetch, (api) => api.catalog.$get({ query: {}, header: {} })).then((all) =>
				all.ok ? all.data : { departments: [], bundles: [], lifeEvents: [] }
			);
	const offers = view.lifeEvents;
	/** A life event (one application for several items): the one whose items are all in the bundle. */
	const lifeEventOf = (itemIds: readonly string[]) =>
		offers.find((l) => l.items.every((i) => itemIds.includes(i.itemId)));
	const chosenBundle = view.bundles.find((b) => b.code === filter.bundle);
	const page = {
		filter,
		// what the list shows of each item, no more: this data is written into the page (a phone
		// downloads it, the server serializes it on every request)
		items: found.ok
			? found.data.items.map(({ id, name, department, channels, timeLimitDays }) => ({
					id,
					name,
					department: { name: department.name },
					channels,
					timeLimitDays
				}))
			: [],
		error: found.ok ? null : found.error,
		departments: view.departments.map(({ id, code, name }) => ({ id, code, name })),
		// each bundle says whether one application covers it (a life event); the life event's
		// offer itself only for the bundle chosen, the one place the list shows it
		bundles: view.bundles.map(({ id, code, name, description, itemIds }) => ({
			id,
			code,
			name,
			description,
			lifeEvent: lifeEventOf(itemIds) !== undefined
		})),
		chosenLifeEvent: filter.bundle ? (lifeEventOf(chosenBundle?.itemIds ?? []) ?? null) : null
	};
	return { page, etag: found.ok ? found.headers.get('etag') : null };
}
