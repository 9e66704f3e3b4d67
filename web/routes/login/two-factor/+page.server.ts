// The second step of a staff sign-in (server/auth/two-factor.ts): the code from the authenticator
// app, a recovery code instead, or setting the app up the first time (QR code, first code, the
// recovery codes shown once).
import { fail, redirect } from '@sveltejs/kit';
import QRCode from 'qrcode';
import { callApi, type ApiError } from '$lib/api.ts';
import { safeNext } from '$lib/guard.ts';
import { ROLE_HOME } from '$shared/roles.ts';
import type { Actions, PageServerLoad } from './$types';

function loginAgain(url: URL): never {
	const next = safeNext(url.searchParams.get('next'));
	redirect(303, next ? `/login?next=${encodeURIComponent(next)}` : '/login');
}

export const load: PageServerLoad = async ({ locals, fetch, url }) => {
	// signed in already (the second factor given earlier)
	if (locals.user)
		redirect(303, safeNext(url.searchParams.get('next')) ?? ROLE_HOME[locals.user.role]);
	const res = await callApi(fetch, (api) => api.auth['two-factor'].$get());
	if (!res.ok) loginAgain(url);
	return {
		step: res.data.step,
		name: res.data.user.name,
		home: safeNext(url.searchParams.get('next')) ?? ROLE_HOME[res.data.user.role],
		next: safeNext(url.searchParams.get('next')),
		recovery: url.searchParams.has('recovery')
	};
};

/** What a refused step answers: the API's error and, when locked, the minutes to wait. */
function refused(res: { status: number; error: ApiError; headers: Headers }, extra = {}) {
	return fail(res.status, {
		error: res.error,
		retryMinutes: Math.ceil(Number(res.headers.get('retry-after') ?? 60) / 60),
		...extra
	});
}

/** The otpauth:// URI drawn as a QR code: an SVG image shown as a data: URL (no script, no network). */
async function qrCode(uri: string): Promise<string> {
	const svg = await QRCode.toString(uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
	return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

const home = (url: URL, role: keyof typeof ROLE_HOME) =>
	safeNext(url.searchParams.get('next')) ?? ROLE_HOME[role];

export const actions: Actions = {
	verify: async ({ request, fetch, url }) => {
		const code = String((await request.formData()).get('code') ?? '');
		const res = await callApi(fetch, (api) =>
			api.auth['two-factor'].verify.$post({ json: { code } })
		);
		if (!res.ok) return refused(res);
		redirect(303, home(url, res.data.user.role));
	},
	recover: async ({ request, fetch, url }) => {
		const recoveryCode = String((await request.formData()).get('recoveryCode') ?? '');
		const res = await callApi(fetch, (api) =>
			api.auth['two-factor'].recover.$post({ json: { recoveryCode } })
		);
		if (!res.ok) return refused(res);
		redirect(303, home(url, res.data.user.role));
	},
	setup: async ({ fetch }) => {
		const res = await callApi(fetch, (api) => api.auth['two-factor'].setup.$post());
		if (!res.ok) return refused(res);
		return { setup: { ...res.data, qr: await qrCode(res.data.uri) } };
	},
	enrol: async ({ request, fetch, url }) => {
		const form = await request.formData();
		const code = String(form.get('code') ?? '');
		const res = await callApi(fetch, (api) =>
			api.auth['two-factor'].enrol.$post({ json: { code } })
		);
		if (!res.ok) {
			// the same secret again, so the app the user just set up still fits: it came back
			// in the form (the user's own, shown to them a moment ago)
			const secret = String(form.get('secret') ?? '');
			const uri = String(form.get('uri') ?? '');
			const setup = /^otpauth:\/\/totp\//.test(uri) ? { secret, uri, qr: await qrCode(uri) } : null;
			return refused(res, { setup });
		}
		return { recoveryCodes: res.data.recoveryCodes, home: home(url, res.data.user.role) };
	}
};
