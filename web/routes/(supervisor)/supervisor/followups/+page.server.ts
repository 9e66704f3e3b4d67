import { fail } from '@sveltejs/kit';
import { callApi } from '$lib/api.ts';
import type { FollowUp } from '$shared/schemas/ratings.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, url }) => {
	const status = url.searchParams.get('status') ?? '';
	const res = await callApi<{ followUps: FollowUp[] }>(
		fetch,
		`/api/rating-followups${status ? `?status=${encodeURIComponent(status)}` : ''}`
	);
	const open = url.searchParams.get('open');
	// the one being handled shows the citizen's full phone number, for the call
	const detail = open
		? await callApi<{ followUp: FollowUp }>(
				fetch,
				`/api/rating-followups/${encodeURIComponent(open)}`
			)
		: null;
	return {
		status,
		followUps: res.ok ? res.data.followUps : [],
		detail: detail?.ok ? detail.data.followUp : null,
		error: res.ok ? null : res.error
	};
};

async function step(
	request: Request,
	fetch: typeof globalThis.fetch,
	path: 'contact' | 'resolve',
	field: 'note' | 'resolution'
) {
	const form = await request.formData();
	const id = String(form.get('id') ?? '');
	const value = String(form.get(field) ?? '');
	const res = await callApi(fetch, `/api/rating-followups/${encodeURIComponent(id)}/${path}`, {
		body: { [field]: value }
	});
	if (!res.ok) return fail(res.status, { id, error: res.error, value });
	return { id, done: path };
}

export const actions: Actions = {
	contact: ({ request, fetch }) => step(request, fetch, 'contact', 'note'),
	resolve: ({ request, fetch }) => step(request, fetch, 'resolve', 'resolution')
};
