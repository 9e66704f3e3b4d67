import { callApi, type ApiError } from '$lib/api.ts';
import { addDays } from '$shared/dates.ts';
import type { LiveSnapshot, StatsHistory } from '$shared/schemas/stats.ts';
import type { PageServerLoad } from './$types';

/** Default range: the last 14 days up to today. */
const DEFAULT_DAYS = 14;

export const load: PageServerLoad = async ({ fetch, url }) => {
	const orgUnit = url.searchParams.get('orgUnit') || '';
	const scope = orgUnit ? `orgUnit=${encodeURIComponent(orgUnit)}` : '';
	const live = await callApi<{ live: LiveSnapshot }>(
		fetch,
		`/api/stats/live${scope ? `?${scope}` : ''}`
	);
	const today = live.ok ? live.data.live.at.slice(0, 10) : new Date().toISOString().slice(0, 10);
	const to = url.searchParams.get('to') || today;
	const from = url.searchParams.get('from') || addDays(to, -(DEFAULT_DAYS - 1));
	const query = new URLSearchParams({ from, to, ...(orgUnit ? { orgUnit } : {}) }).toString();
	const history = await callApi<StatsHistory>(fetch, `/api/stats/history?${query}`);
	return {
		from,
		to,
		orgUnit,
		query,
		scope,
		live: live.ok ? live.data.live : null,
		history: history.ok ? history.data : null,
		error: history.ok ? null : (history.error as ApiError)
	};
};
