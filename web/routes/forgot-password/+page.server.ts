import { fail, redirect } from '@sveltejs/kit';
import { callApi } from '$lib/api.ts';
import { sendPhoneCode } from '$lib/phone-code-action.ts';
import { ROLE_HOME } from '$shared/roles.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	if (locals.user) redirect(303, ROLE_HOME[locals.user.role]);
};

export const actions: Actions = {
	sendCode: ({ request, fetch }) => sendPhoneCode(request, fetch, 'reset'),
	reset: async ({ request, fetch }) => {
		const form = await request.formData();
		const phone = String(form.get('phone') ?? '');
		const code = String(form.get('code') ?? '');
		const password = String(form.get('password') ?? '');
		const values = { phone, sent: null, retrySeconds: null };
		if (password !== String(form.get('confirm') ?? ''))
			return fail(400, { ...values, mismatch: true, error: null });
		const res = await callApi(fetch, (api) =>
			api.auth['password-reset'].$post({ json: { phone, code, password } })
		);
		if (!res.ok) return fail(res.status, { ...values, mismatch: false, error: res.error });
		// signed in with the new password; every other session has ended
		redirect(303, ROLE_HOME[res.data.user.role]);
	}
};
