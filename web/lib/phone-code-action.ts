// The `?/sendCode` form action that registration and 忘记密码 share: asks the API to text a code
// and hands the page back what it typed (never a password), what was sent, or why not.
import { fail } from '@sveltejs/kit';
import { callApi } from './api.ts';

export async function sendPhoneCode(
	request: Request,
	fetch: typeof globalThis.fetch,
	purpose: 'register' | 'reset',
	keep: readonly string[] = []
) {
	const form = await request.formData();
	const phone = String(form.get('phone') ?? '');
	const kept = Object.fromEntries(keep.map((k) => [k, String(form.get(k) ?? '')]));
	const res = await callApi(fetch, (api) =>
		api.auth['phone-codes'].$post({ json: { phone, purpose } })
	);
	if (!res.ok)
		return fail(res.status, {
			...kept,
			phone,
			sent: null,
			mismatch: false,
			error: res.error,
			retrySeconds: res.status === 429 ? Number(res.headers.get('retry-after') ?? 60) : null
		});
	return { ...kept, phone, sent: res.data, mismatch: false, error: null, retrySeconds: null };
}
