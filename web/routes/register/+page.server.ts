import { fail, redirect } from '@sveltejs/kit';
import { callApi } from '$lib/api.ts';
import { ROLE_HOME } from '$shared/roles.ts';
import type { Actions, PageServerLoad } from './$types';
import { sendPhoneCode } from '$lib/phone-code-action.ts';

export const load: PageServerLoad = ({ locals }) => {
	if (locals.user) redirect(303, ROLE_HOME[locals.user.role]);
};

export const actions: Actions = {
	sendCode: ({ request, fetch }) => sendPhoneCode(request, fetch, 'register', ['name']),
	register: async ({ request, fetch }) => {
		const form = await request.formData();
		const phone = String(form.get('phone') ?? '');
		const code = String(form.get('code') ?? '');
		const name = String(form.get('name') ?? '');
		const password = String(form.get('password') ?? '');
		const values = { phone, name, sent: null, retrySeconds: null };
		if (password !== String(form.get('confirm') ?? ''))
			return fail(400, { ...values, mismatch: true, error: null });
		const res = await callApi(fetch, (api) =>
			api.auth.register.$post({ json: { phone, code, name, password } })
		);
		if (!res.ok) return fail(res.status, { ...values, mismatch: false, error: res.error });
		redirect(303, ROLE_HOME.citizen);
	}
};
