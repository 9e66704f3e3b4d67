// Writes retried with an Idempotency-Key land once (issue 22, item 5): the pages retry after a
// dropped connection with the first try's key; the answer of a write that committed comes back
// again, a write that was refused runs afresh. Two tries at once (on PostgreSQL from two nodes
// with their own pools) make one write. Every test on a fresh hall.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { openEngine } from '../../server/engine.ts';
import { pruneIdempotencyKeys } from '../../server/http/idempotency.ts';
import { count, createHarness, type Harness } from './harness.ts';
import { newCitizen, serviceByCode } from './booking-helpers.ts';
import { LICENSE, openDesk, openVideoSession, PNG_BYTES, takeTicket } from './builders.ts';

let h: Harness;
beforeEach(async () => {
	h = await createHarness();
});
afterEach(() => h.close());

const key = () => `test-${randomUUID()}`;

/** A second node on the harness's database (PostgreSQL: own engine and pool). */
function secondNode() {
	const own = h.engine === 'postgres';
	const engine = own ? openEngine(h.deps.config) : h.deps.engine;
	const app = createApp({ ...h.deps, engine, store: engine.store });
	return {
		request: (method: string, url: string, token: string, body: unknown, k: string) =>
			Promise.resolve(
				app.request(url, {
					method,
					headers: {
						authorization: `Bearer ${token}`,
						'content-type': 'application/json',
						'idempotency-key': k
					},
					body: JSON.stringify(body)
				})
			),
		close: async () => {
			if (own) await engine.close();
		}
	};
}

async function ticketRequest() {
	const citizen = await newCitizen(h);
	const item = await serviceByCode(h, LICENSE);
	return { citizen, body: { serviceId: item.id, channel: 'video' } };
}

describe('Idempotency-Key', () => {
	it('a ticket taken twice with one key: one ticket, the same answer, marked as a replay', async () => {
		const { citizen, body } = await ticketRequest();
		const k = key();
		const send = () =>
			h.request('POST', '/api/queue/tickets', {
				token: citizen.token,
				body,
				headers: { 'idempotency-key': k }
			});
		const first = await send();
		expect(first.status).toBe(201);
		const again = await send();
		expect(again.status).toBe(201);
		expect(again.headers.get('idempotent-replayed')).toBe('true');
		expect((await again.json()).ticket.id).toBe((await first.json()).ticket.id);
		expect(
			await h.store.get<{ n: number }>('SELECT count(*) AS n FROM tickets WHERE citizen_id = ?', [
				citizen.id
			])
		).toEqual({ n: 1 });
	});

	it('one key sent 8 times at once from two nodes: one ticket, every answer names it', async () => {
		const { citizen, body } = await ticketRequest();
		const other = secondNode();
		try {
			const k = key();
			const answers = await Promise.all(
				Array.from({ length: 8 }, (_, i) =>
					i % 2
						? other.request('POST', '/api/queue/tickets', citizen.token, body, k)
						: h.request('POST', '/api/queue/tickets', {
								token: citizen.token,
								body,
								headers: { 'idempotency-key': k }
							})
				)
			);
			const ids = await Promise.all(
				answers.map(async (r) => {
					expect(r.status).toBe(201);
					return (await r.json()).ticket.id as string;
				})
			);
			expect(new Set(ids).size).toBe(1);
			expect(
				await h.store.get<{ n: number }>('SELECT count(*) AS n FROM tickets WHERE citizen_id = ?', [
					citizen.id
				])
			).toEqual({ n: 1 });
		} finally {
			await other.close();
		}
	});

	it('the same key for another request is refused (422) and changes nothing', async () => {
		const { citizen, body } = await ticketRequest();
		const k = key();
		const headers = { 'idempotency-key': k };
		expect(
			(await h.request('POST', '/api/queue/tickets', { token: citizen.token, body, headers }))
				.status
		).toBe(201);
		const tickets = await count(h.store, 'tickets');
		const reused = await h.request('POST', '/api/queue/tickets', {
			token: citizen.token,
			body: { ...body, channel: 'onsite' },
			headers
		});
		expect(reused.status).toBe(422);
		expect((await reused.json()).error.code).toBe('idempotency_key_reused');
		expect(await count(h.store, 'tickets')).toBe(tickets);
	});

	it('a refused write keeps no key: the corrected retry with the same key runs', async () => {
		const { citizen, body } = await ticketRequest();
		const k = key();
		const headers = { 'idempotency-key': k };
		const refused = await h.request('POST', '/api/queue/tickets', {
			token: citizen.token,
			body: { ...body, channel: 'carrier-pigeon' },
			headers
		});
		expect(refused.status).toBe(400);
		expect(await count(h.store, 'idempotency_keys')).toBe(0);
		// the same body again is the same (refused) request, run afresh: still 400, nothing kept
		const ok = await h.request('POST', '/api/queue/tickets', {
			token: citizen.token,
			body,
			headers: { 'idempotency-key': key() }
		});
		expect(ok.status).toBe(201);
	});

	it('a key is the caller’s own: another citizen with the same key gets a ticket of their own', async () => {
		const a = await ticketRequest();
		const b = await ticketRequest();
		const headers = { 'idempotency-key': key() };
		const ta = await h.request('POST', '/api/queue/tickets', {
			token: a.citizen.token,
			body: a.body,
			headers
		});
		const tb = await h.request('POST', '/api/queue/tickets', {
			token: b.citizen.token,
			body: b.body,
			headers
		});
		expect([ta.status, tb.status]).toEqual([201, 201]);
		expect((await tb.json()).ticket.id).not.toBe((await ta.json()).ticket.id);
	});

	it('a malformed key is a clear 400 naming the header', async () => {
		const { citizen, body } = await ticketRequest();
		const res = await h.request('POST', '/api/queue/tickets', {
			token: citizen.token,
			body,
			headers: { 'idempotency-key': 'short' }
		});
		expect(res.status).toBe(400);
		expect((await res.json()).error.fields).toHaveProperty('Idempotency-Key');
		expect(await count(h.store, 'tickets')).toBe(0);
	});

	it('call-next retried: the same ticket again, not the next one in line', async () => {
		const staff = await h.loginAs('agent');
		const desk = await openDesk(h, staff);
		const item = await serviceByCode(h, LICENSE);
		for (let i = 0; i < 2; i++)
			await takeTicket(h, (await newCitizen(h)).token, { serviceId: item.id, channel: 'video' });
		const headers = { 'idempotency-key': key() };
		const first = await h.request('POST', `/api/desks/${desk.id}/call-next`, {
			token: staff,
			headers
		});
		const again = await h.request('POST', `/api/desks/${desk.id}/call-next`, {
			token: staff,
			headers
		});
		expect((await again.json()).ticket.id).toBe((await first.json()).ticket.id);
		expect(
			await h.store.get<{ n: number }>("SELECT count(*) AS n FROM tickets WHERE status = 'waiting'")
		).toEqual({ n: 1 });
	});

	it('a chat message and an upload retried land once', async () => {
		const staff = await h.loginAs('agent');
		const desk = await openDesk(h, staff);
		const { session, citizen, item } = await openVideoSession(h, staff, desk.id);
		const chatHeaders = { 'idempotency-key': key() };
		for (let i = 0; i < 2; i++)
			expect(
				(
					await h.request('POST', `/api/video-sessions/${session.id}/chat`, {
						token: citizen.token,
						body: { text: '我的身份证照片发过去了' },
						headers: chatHeaders
					})
				).status
			).toBe(201);
		expect(
			await h.store.get<{ n: number }>(
				"SELECT count(*) AS n FROM session_events WHERE session_id = ? AND type = 'chat'",
				[session.id]
			)
		).toEqual({ n: 1 });

		const created = await h.request('POST', '/api/cases', {
			token: citizen.token,
			body: { serviceId: item.id }
		});
		const theCase = (await created.json()).case as { id: string; materials: { name: string }[] };
		const caseId = theCase.id;
		const material = theCase.materials[0].name;
		const uploadKey = key();
		// a new FormData each try, as a page retrying builds it: a new multipart boundary
		const upload = () => {
			const form = new FormData();
			form.set('material', material);
			form.set('file', new File([new Uint8Array(PNG_BYTES)], 'id.png'));
			return h.app.request(`/api/cases/${caseId}/documents`, {
				method: 'POST',
				body: form,
				headers: { authorization: `Bearer ${citizen.token}`, 'idempotency-key': uploadKey }
			});
		};
		const first = await upload();
		expect(first.status, await first.clone().text()).toBe(201);
		const again = await upload();
		expect(again.status).toBe(201);
		expect(again.headers.get('idempotent-replayed')).toBe('true');
		expect(
			await h.store.get<{ n: number }>(
				'SELECT count(*) AS n FROM case_documents WHERE case_id = ?',
				[caseId]
			)
		).toEqual({ n: 1 });
	});

	it('keys are forgotten after a day', async () => {
		const { citizen, body } = await ticketRequest();
		await h.request('POST', '/api/queue/tickets', {
			token: citizen.token,
			body,
			headers: { 'idempotency-key': key() }
		});
		expect(await pruneIdempotencyKeys(h.deps)).toBe(0);
		h.clock.advance(24 * 3_600_000 + 1);
		expect(await pruneIdempotencyKeys(h.deps)).toBe(1);
	});
});
