import type { Harness } from './harness.ts';

export async function desksOf(h: Harness, token: string) {
	const res = await h.request('GET', '/api/desks', { token });
	return (await res.json()).desks as {
		id: string;
		name: string;
		orgUnitId: string;
		open: boolean;
		categories: string[];
	}[];
}

export async function take(h: Harness, token: string, body: Record<string, unknown>) {
	return h.request('POST', '/api/queue/tickets', { token, body });
}

export async function ticketOf(h: Harness, token: string, id: string) {
	return (await (await h.request('GET', `/api/queue/tickets/${id}`, { token })).json()).ticket;
}
