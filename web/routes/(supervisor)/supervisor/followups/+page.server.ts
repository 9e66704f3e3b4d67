import { fail } from '@sveltejs/kit';
import { callApi, submitted } from '$lib/api.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, url }) => {
	const status = url.searchParams.get('status') ?? '';
	const res = await callApi(fetch, (api) =>
		api['rating-followups'].$get({ query: status ? { status: submitted(status) } : {} })
	);
	return {
		status,
		followUps: res.ok ? res.data.followUps : [],
		error: res.ok ? null : res.error
	};
};

async function step(request: Request, fetch: typeof globalThis.fetch, path: 'contact' | 'resolve') {
	const form = await request.formData();
	const id = String(form.get('id') ?? '');
	const value = String(form.get(path === 'contact' ? 'note' : 'resolution') ?? '');
	const res =
		path === 'contact'
			? await callApi(fetch, (api) =>
					api['rating-followups'][':id'].contact.$post({ param: { id }, json: { note: value } })
				)
			: await callApi(fetch, (api) =>
					api['rating-followups'][':id'].resolve.$post({
						param: { id },
						json: { resolution: value }
					})
				);
	if (!res.ok) return fail(res.status, { id, error: res.error, value });
	return { id, done: path };
}

/** 查看完整号码: an explicit, audited action (a POST), never part of an ordinary page load. */
async function revealPhone(request: Request, fetch: typeof globalThis.fetch) {
	const id = String((await request.formData()).get('id') ?? '');
	const res = await callApi(fetch, (api) =>
		api['rating-followups'][':id']['reveal-phone'].$post({ param: { id } })
	);
	if (!res.ok) return fail(res.status, { id, error: res.error });
	return { id, phone: res.data.phone };
}

export const actions: Actions = {
	reveal: ({ request, fetch }) => revealPhone(request, fetch),
	contact: ({ request, fetch }) => step(request, fetch, 'contact'),
	resolve: ({ request, fetch }) => step(request, fetch, 'resolve')
};
