import { callApi } from '$lib/api.ts';
import { addDays } from '$shared/dates.ts';
import type { PageServerLoad } from './$types';

/** Default range: the last 14 days up to today. */
const DEFAULT_DAYS = 14;

export const load: PageServerLoad = async ({ fetch, url }) => {
	const orgUnit = url.searchParams.get('orgUnit') || '';
	const scope = orgUnit ? { orgUnit } : {};
	const live = await callApi(fetch, (api) => api.stats.live.$get({ query: scope }));
	const today = live.ok ? live.data.live.at.slice(0, 10) : new Date().toISOString().slice(0, 10);
	const to = url.searchParams.get('to') || today;
	const from = url.searchParams.get('from') || addDays(to, -(DEFAULT_DAYS - 1));
	const range = { from, to, ...scope };
	const [history, homeVisits, lifeEvents] = await Promise.all([
		callApi(fetch, (api) => api.stats.history.$get({ query: range })),
		callApi(fetch, (api) => api.stats['home-visits'].$get({ query: range })),
		callApi(fetch, (api) => api.stats['life-events'].$get({ query: range }))
	]);
	return {
		from,
		to,
		orgUnit,
		// for the CSV links and the live stream, built in the page with the same typed client
		range,
		scope,
		live: live.ok ? live.data.live : null,
		history: history.ok ? history.data : null,
		// 入户办 per community (issue 23)
		homeVisits: homeVisits.ok ? homeVisits.data.homeVisits : [],
		// 一件事一次办 per life event (issue 24)
		lifeEvents: lifeEvents.ok ? lifeEvents.data.lifeEvents : [],
		error: history.ok ? null : history.error
	};
};
