import { fail, redirect } from '@sveltejs/kit';
import { callApi } from '$lib/api.ts';
import type { GrantRequest } from '$shared/schemas/proxy.ts';
import type { Actions, PageServerLoad } from './$types';

/** The default last day offered: three months from today (the API checks the real limits). */
function inThreeMonths(): string {
	const d = new Date();
	d.setUTCMonth(d.getUTCMonth() + 3);
	return d.toISOString().slice(0, 10);
}

export const load: PageServerLoad = async ({ fetch: pageFetch, url }) => {
	// the catalogue is public and the same for everyone: asked without the session cookie
	const publicFetch: typeof pageFetch = (input, init) =>
		pageFetch(input, { ...init, credentials: 'omit' });
	const [grants, services] = await Promise.all([
		callApi(pageFetch, (api) => api.proxy.grants.$get()),
		callApi(publicFetch, (api) => api.services.$get({ query: {} }))
	]);
	return {
		grants: grants.ok ? grants.data.grants : [],
		grantsError: grants.ok ? null : grants.error,
		services: services.ok ? services.data.items.map((s) => ({ id: s.id, name: s.name })) : [],
		defaultUntil: inThreeMonths(),
		stopped: url.searchParams.has('stopped')
	};
};

export const actions: Actions = {
	/** 为家人代办: a code goes to the grantor's phone (the same answer whether it has an account). */
	request: async ({ request, fetch }) => {
		const form = await request.formData();
		const grantorPhone = String(form.get('grantorPhone') ?? '').trim();
		const scope = form.get('scope') === 'chosen' ? 'chosen' : 'all';
		const chosen = form.getAll('items').map(String);
		const validUntil = String(form.get('validUntil') ?? '');
		const kept = { grantorPhone, scope, chosen, validUntil };
		const items: GrantRequest['items'] = scope === 'all' ? 'all' : chosen;
		const res = await callApi(fetch, (api) =>
			api.proxy.grants.$post({ json: { grantorPhone, items, validUntil } })
		);
		if (!res.ok) return fail(res.status, { ...kept, error: res.error, requested: null });
		return { ...kept, error: null, requested: res.data };
	},
	/** The code the grantor received, typed by the proxy. */
	confirm: async ({ request, fetch }) => {
		const form = await request.formData();
		const id = String(form.get('grantId') ?? '');
		const code = String(form.get('code') ?? '').trim();
		const res = await callApi(fetch, (api) =>
			api.proxy.grants[':id'].confirm.$post({ param: { id }, json: { code } })
		);
		if (!res.ok) return fail(res.status, { confirmError: res.error, confirmFor: id });
		return { confirmed: true };
	},
	revoke: async ({ request, fetch }) => {
		const id = String((await request.formData()).get('grantId') ?? '');
		const res = await callApi(fetch, (api) =>
			api.proxy.grants[':id'].revoke.$post({ param: { id } })
		);
		if (!res.ok) return fail(res.status, { error: res.error });
		return { revoked: true };
	},
	/** 开始代办: this sign-in acts for the grantor from now on, starting at the catalogue. */
	act: async ({ request, fetch }) => {
		const grantId = String((await request.formData()).get('grantId') ?? '');
		const res = await callApi(fetch, (api) => api.proxy.acting.$post({ json: { grantId } }));
		if (!res.ok) return fail(res.status, { error: res.error });
		redirect(303, '/services');
	}
};
