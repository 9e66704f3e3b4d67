import { error } from '@sveltejs/kit';
import QRCode from 'qrcode';
import { callApi } from '$lib/api.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, params, url }) => {
	const res = await callApi(fetch, (api) =>
		api.cases[':id'].receipt.$get({ param: { id: params.id } })
	);
	if (!res.ok) error(res.status === 409 ? 404 : res.status, { message: res.error.message });
	// the QR code is drawn here, as an SVG image the page shows as a data: URL (no script, no network)
	const svg = await QRCode.toString(new URL(res.data.casePath, url.origin).href, {
		type: 'svg',
		margin: 1,
		errorCorrectionLevel: 'M'
	});
	return {
		receipt: res.data,
		qr: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`
	};
};
