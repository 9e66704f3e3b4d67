// Queue rules raced by two nodes of the hall on one database (docs/transactions.md listed them
// with no race test): call-next against the citizen's cancel, two openings of one desk and one
// agent opening two desks, close against call-next, transfer against finish, the closing sweep
// run by both nodes, kiosks issuing at once and a double rejoin. Clock: Thursday 2026-11-26 09:00 Shanghai. Every test builds its own
// state on a fresh hall (no desk open, nobody waiting), so the tests run in any order.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { openEngine } from '../../server/engine.ts';
import { cancelTicketsAtClosing } from '../../server/queue/closing.ts';
import { count, createHarness, START, type Harness } from './harness.ts';
import { newCitizen, serviceByCode } from './booking-helpers.ts';
import { desksOf, ticketOf } from './queue-helpers.ts';
import { callNext, deskNamed, LICENSE, newStaff, openDesk, takeTicket } from './builders.ts';

let h: Harness;
let license: { id: string };
const MIN = 60_000;
const HOUR = 60 * MIN;

beforeEach(async () => {
	h = await createHarness();
	license = await serviceByCode(h, LICENSE);
});
afterEach(() => h.close());

/**
 * A second node of the hall on the harness's database, as another process would run it: on
 * PostgreSQL its own engine (its own pool, whose connections really run in parallel with the
 * harness's) and its own app. On SQLite the second app shares the harness's connection: a second
 * connection in this one process would block the event loop in its busy wait while the first
 * holds the write lock; the store's gate serialises them, as the write lock does between
 * processes. (The pattern of cases.test.ts and collab.test.ts.)
 */
function secondNode() {
	const own = h.engine === 'postgres';
	const engine = own ? openEngine(h.deps.config) : h.deps.engine;
	const deps = { ...h.deps, engine, store: engine.store };
	const app = createApp(deps);
	return {
		deps,
		request: (method: string, url: string, o: { token: string; body?: unknown }) =>
			Promise.resolve(
				app.request(
					url,
					{
						method,
						headers: {
							authorization: `Bearer ${o.token}`,
							...(o.body === undefined ? {} : { 'content-type': 'application/json' })
						},
						body: o.body === undefined ? undefined : JSON.stringify(o.body)
					},
					{ ip: '203.0.113.8' }
				)
			),
		close: async () => {
			if (own) await engine.close();
		}
	};
}
type Node = ReturnType<typeof secondNode>;

/** The harness's app as a node, so a round can swap which node sends which request. */
const first = {
	request: (method: string, url: string, o: { token: string; body?: unknown }) =>
		h.request(method, url, o)
};

const post = (node: Pick<Node, 'request'>, token: string, url: string, body?: unknown) =>
	node.request('POST', url, { token, body });

async function errorCode(res: Response) {
	return ((await res.json()) as { error: { code: string } }).error.code;
}

async function events(ticketId: string, type: string) {
	return count(h.store, `queue_events WHERE ticket_id = '${ticketId}' AND type = '${type}'`);
}

async function withNode(run: (node: Node) => Promise<void>) {
	const node = secondNode();
	try {
		await run(node);
	} finally {
		await node.close();
	}
}

describe('two nodes on one database: the queue', () => {
	it('a desk calls next while the citizen cancels the same waiting ticket: exactly one wins', async () => {
		await withNode(async (node) => {
			const agent = await h.loginAs('agent');
			const desk = await openDesk(h, agent);
			for (let round = 0; round < 6; round++) {
				const c = await newCitizen(h);
				const t = await takeTicket(h, c.token, { serviceId: license.id, channel: 'video' });
				const [callNode, cancelNode] = round % 2 ? [first, node] : [node, first];
				const [call, cancel] = await Promise.all([
					post(callNode, agent, `/api/desks/${desk.id}/call-next`),
					post(cancelNode, c.token, `/api/queue/tickets/${t.id}/cancel`)
				]);
				const after = await ticketOf(h, c.token, t.id);
				if (call.status === 200) {
					expect((await call.json()).ticket.id, `round ${round}`).toBe(t.id);
					expect(cancel.status, `round ${round}`).toBe(409);
					expect(await errorCode(cancel)).toBe('not_waiting');
					expect(after.status).toBe('called');
					expect(await events(t.id, 'ticket.cancelled')).toBe(0);
					expect(await events(t.id, 'ticket.called')).toBe(1);
					expect((await post(first, agent, `/api/queue/tickets/${t.id}/finish`)).status).toBe(200);
				} else {
					expect(call.status, `round ${round}`).toBe(204); // nobody waits any more
					expect(cancel.status, `round ${round}`).toBe(200);
					expect(after).toMatchObject({ status: 'cancelled', cancelReason: 'citizen' });
					expect(await events(t.id, 'ticket.called')).toBe(0);
					expect(await events(t.id, 'ticket.cancelled')).toBe(1);
				}
			}
		});
	});

	it('two agents open the same desk at once: one 200, one 409 desk_taken', async () => {
		await withNode(async (node) => {
			const agent = await h.loginAs('agent');
			const desk = await deskNamed(h, agent, '2号窗口');
			const other = await newStaff(h, {
				username: 'agent.race',
				name: '孙磊',
				role: 'agent',
				orgUnitId: desk.orgUnitId,
				password: 'Agent#2026'
			});
			for (let round = 0; round < 5; round++) {
				const body = { categories: ['A'] };
				const [a, b] = await Promise.all([
					post(first, agent, `/api/desks/${desk.id}/open`, body),
					post(node, other, `/api/desks/${desk.id}/open`, body)
				]);
				expect([a.status, b.status].sort(), `round ${round}`).toEqual([200, 409]);
				const [winner, loser] = a.status === 200 ? [agent, b] : [other, a];
				expect(await errorCode(loser)).toBe('desk_taken');
				// the loser cannot act at the desk; the winner can (only its agent may close it)
				const losing = winner === agent ? other : agent;
				expect((await post(first, losing, `/api/desks/${desk.id}/close`)).status).toBe(409);
				expect(await count(h.store, `queue_events WHERE type = 'desk.opened'`)).toBe(round + 1);
				expect((await post(first, winner, `/api/desks/${desk.id}/close`)).status).toBe(200);
			}
		});
	});

	it('one agent opens two desks at once: one succeeds, the other 409 already_serving', async () => {
		await withNode(async (node) => {
			const agent = await h.loginAs('agent');
			const desks = await desksOf(h, agent);
			const a = desks.find((d) => d.name === '1号窗口')!;
			// a desk of another hall the agent sees, when the demo has one (else the same hall)
			const b = desks.find((d) => d.orgUnitId !== a.orgUnitId) ?? desks.find((d) => d.id !== a.id)!;
			for (let round = 0; round < 5; round++) {
				const body = { categories: ['A'] };
				const [ra, rb] = await Promise.all([
					post(round % 2 ? first : node, agent, `/api/desks/${a.id}/open`, body),
					post(round % 2 ? node : first, agent, `/api/desks/${b.id}/open`, body)
				]);
				expect([ra.status, rb.status].sort(), `round ${round}`).toEqual([200, 409]);
				const [won, loser] = ra.status === 200 ? [a, rb] : [b, ra];
				expect(await errorCode(loser)).toBe('already_serving');
				const served = await h.store.all<{ id: string }>(
					'SELECT id FROM desks WHERE served_by IS NOT NULL'
				);
				expect(served.map((d) => d.id)).toEqual([won.id]);
				expect((await post(first, agent, `/api/desks/${won.id}/close`)).status).toBe(200);
			}
		});
	});

	it('closing a desk races call-next on it: never a ticket called at a closed desk', async () => {
		await withNode(async (node) => {
			const agent = await h.loginAs('agent');
			const desk = await deskNamed(h, agent, '1号窗口');
			for (let round = 0; round < 6; round++) {
				await openDesk(h, agent);
				const c = await newCitizen(h);
				const t = await takeTicket(h, c.token, { serviceId: license.id, channel: 'video' });
				const [closeNode, callNode] = round % 2 ? [first, node] : [node, first];
				const [close, call] = await Promise.all([
					post(closeNode, agent, `/api/desks/${desk.id}/close`),
					post(callNode, agent, `/api/desks/${desk.id}/call-next`)
				]);
				const row = await h.store.get<{ served_by: string | null }>(
					'SELECT served_by FROM desks WHERE id = ?',
					[desk.id]
				);
				const atDesk = await count(
					h.store,
					`tickets WHERE desk_id = '${desk.id}' AND status IN ('called', 'serving')`
				);
				if (close.status === 200) {
					expect(call.status, `round ${round}`).toBe(409);
					expect(await errorCode(call)).toBe('not_your_desk');
					expect(row!.served_by).toBeNull();
					expect(atDesk).toBe(0);
					expect((await ticketOf(h, c.token, t.id)).status).toBe('waiting');
					expect((await post(first, c.token, `/api/queue/tickets/${t.id}/cancel`)).status).toBe(
						200
					);
				} else {
					expect(close.status, `round ${round}`).toBe(409);
					expect(await errorCode(close)).toBe('desk_busy');
					expect(call.status).toBe(200);
					expect((await call.json()).ticket.id).toBe(t.id);
					expect(row!.served_by).not.toBeNull();
					expect(atDesk).toBe(1);
					expect((await post(first, agent, `/api/queue/tickets/${t.id}/finish`)).status).toBe(200);
					expect((await post(first, agent, `/api/desks/${desk.id}/close`)).status).toBe(200);
				}
			}
		});
	});

	it('a transfer races the finish of the same called ticket: exactly one applies', async () => {
		await withNode(async (node) => {
			const agent = await h.loginAs('agent');
			const desk = await openDesk(h, agent, '1号窗口', ['A', 'B']);
			for (let round = 0; round < 6; round++) {
				const c = await newCitizen(h);
				const t = await takeTicket(h, c.token, { serviceId: license.id, channel: 'video' });
				expect((await callNext(h, agent, desk.id))?.id).toBe(t.id);
				const [transferNode, finishNode] = round % 2 ? [first, node] : [node, first];
				const [transfer, finish] = await Promise.all([
					post(transferNode, agent, `/api/queue/tickets/${t.id}/transfer`, { category: 'B' }),
					post(finishNode, agent, `/api/queue/tickets/${t.id}/finish`)
				]);
				expect([transfer.status, finish.status].sort(), `round ${round}`).toEqual([200, 409]);
				const after = await ticketOf(h, c.token, t.id);
				const transferred = await events(t.id, 'ticket.transferred');
				const finished = await events(t.id, 'ticket.finished');
				if (finish.status === 200) {
					expect(await errorCode(transfer)).toBe('wrong_state');
					expect(after.status).toBe('done');
					expect([transferred, finished]).toEqual([0, 1]);
				} else {
					expect(await errorCode(finish)).toBe('not_called');
					expect(after).toMatchObject({ status: 'waiting', category: 'B' });
					expect([transferred, finished]).toEqual([1, 0]);
					expect((await post(first, c.token, `/api/queue/tickets/${t.id}/cancel`)).status).toBe(
						200
					);
				}
			}
		});
	});

	it('two kiosks on two nodes issue tickets at once: every number once, none skipped', async () => {
		await withNode(async (node) => {
			const agent = await h.loginAs('agent');
			const hallId = (await deskNamed(h, agent, '1号窗口')).orgUnitId;
			const rounds = 12;
			const issued: { id: string; code: string }[] = [];
			for (let round = 0; round < rounds; round++) {
				const body = { serviceId: license.id, hallId };
				const answers = await Promise.all([
					post(first, agent, '/api/queue/kiosk-tickets', body),
					post(node, agent, '/api/queue/kiosk-tickets', body),
					post(node, agent, '/api/queue/kiosk-tickets', { ...body, priorityReason: 'elderly' })
				]);
				for (const res of answers) {
					expect(res.status, `round ${round}`).toBe(201);
					issued.push((await res.json()).ticket);
				}
			}
			const rows = await h.store.all<{ number: number; code: string; category: string }>(
				"SELECT number, code, category FROM tickets WHERE hall_id = ? AND channel = 'onsite' ORDER BY number",
				[hallId]
			);
			expect(rows).toHaveLength(rounds * 3);
			expect(new Set(rows.map((r) => r.category)).size).toBe(1);
			// gap-free from 1, each number once, and the counter row at the last one
			expect(rows.map((r) => r.number)).toEqual(rows.map((_, i) => i + 1));
			expect(new Set(issued.map((t) => t.code)).size).toBe(rounds * 3);
			const counter = await h.store.get<{ last_number: number }>(
				'SELECT last_number FROM ticket_counters WHERE hall_id = ? AND category = ?',
				[hallId, rows[0].category]
			);
			expect(counter!.last_number).toBe(rounds * 3);
			expect(await count(h.store, `queue_events WHERE type = 'ticket.issued'`)).toBe(rounds * 3);
		});
	});

	it('a citizen rejoins after a no-show on both nodes at once: one 200, one 409 cannot_rejoin, back in line once', async () => {
		await withNode(async (node) => {
			const agent = await h.loginAs('agent');
			const desk = await openDesk(h, agent);
			for (let round = 0; round < 10; round++) {
				const c = await newCitizen(h);
				const t = await takeTicket(h, c.token, { serviceId: license.id, channel: 'video' });
				// two tickets behind it, so the rejoin computes a place among waiting tickets
				const behind = [];
				for (let i = 0; i < 2; i++) {
					h.clock.advance(1000);
					behind.push(
						await takeTicket(h, (await newCitizen(h)).token, {
							serviceId: license.id,
							channel: 'video'
						})
					);
				}
				expect((await callNext(h, agent, desk.id))?.id).toBe(t.id);
				expect((await post(first, agent, `/api/queue/tickets/${t.id}/no-show`)).status).toBe(200);
				const [a, b] = await Promise.all([
					post(round % 2 ? first : node, c.token, `/api/queue/tickets/${t.id}/rejoin`),
					post(round % 2 ? node : first, c.token, `/api/queue/tickets/${t.id}/rejoin`)
				]);
				expect([a.status, b.status].sort(), `round ${round}`).toEqual([200, 409]);
				expect(await errorCode(a.status === 409 ? a : b)).toBe('cannot_rejoin');
				const row = await h.store.get<{ status: string; rejoins: number; order_key: number }>(
					'SELECT status, rejoins, order_key FROM tickets WHERE id = ?',
					[t.id]
				);
				expect(row).toMatchObject({ status: 'waiting', rejoins: 1 });
				expect(await events(t.id, 'ticket.rejoined')).toBe(1);
				// placed behind the two that were waiting, once
				const last = await h.store.get<{ order_key: number }>(
					'SELECT order_key FROM tickets WHERE id = ?',
					[behind[1].id]
				);
				expect(row!.order_key).toBe(last!.order_key + 1);
				// the hall is emptied for the next round: the two, then the rejoined ticket, are served
				for (const next of [behind[0], behind[1], t]) {
					expect((await callNext(h, agent, desk.id))?.id, `round ${round}`).toBe(next.id);
					expect((await post(first, agent, `/api/queue/tickets/${next.id}/finish`)).status).toBe(
						200
					);
				}
			}
		});
	});

	it('both nodes sweep at closing at once: each waiting ticket cancelled once, one event and one notice', async () => {
		await withNode(async (node) => {
			// Thursday, then Friday: tickets taken at 16:30, the sweep at 17:00
			for (let round = 0; round < 2; round++) {
				const day = START + round * 24 * HOUR; // 09:00 of the round's day
				h.clock.now = day + 7.5 * HOUR; // 16:30
				// signed in and the desk opened at 16:30 (a staff session idles out over hours)
				const agent = await h.loginAs('agent');
				const desk = await openDesk(h, agent);
				const called = await takeTicket(h, (await newCitizen(h)).token, {
					serviceId: license.id,
					channel: 'video'
				});
				expect((await callNext(h, agent, desk.id))?.id).toBe(called.id);
				const waiting = [];
				for (let i = 0; i < 4; i++) {
					h.clock.advance(1000);
					const c = await newCitizen(h);
					waiting.push(await takeTicket(h, c.token, { serviceId: license.id, channel: 'video' }));
				}
				h.clock.now = day + 8 * HOUR; // 17:00
				const [a, b] = await Promise.all([
					cancelTicketsAtClosing(h.deps),
					cancelTicketsAtClosing(node.deps)
				]);
				expect(a + b, `round ${round}`).toBe(waiting.length);
				for (const t of waiting) {
					const row = await h.store.get<{ status: string; cancel_reason: string }>(
						'SELECT status, cancel_reason FROM tickets WHERE id = ?',
						[t.id]
					);
					expect(row).toEqual({ status: 'cancelled', cancel_reason: 'hall_closed' });
					expect(await events(t.id, 'ticket.cancelled')).toBe(1);
					for (const channel of ['in_app', 'sms'])
						expect(
							await count(
								h.store,
								`notifications WHERE kind = 'ticket_cancelled_closing' AND channel = '${channel}' AND dedupe_key LIKE 'ticket-closed:${t.id}%'`
							),
							`${t.code} ${channel}`
						).toBe(1);
				}
				// the ticket called before closing is left alone
				expect(
					(
						await h.store.get<{ status: string }>('SELECT status FROM tickets WHERE id = ?', [
							called.id
						])
					)?.status
				).toBe('called');
				expect(await events(called.id, 'ticket.cancelled')).toBe(0);
				// signed in again (the session idled out over the half hour), the agent serves it on
				const back = await h.loginAs('agent');
				expect((await post(first, back, `/api/queue/tickets/${called.id}/finish`)).status).toBe(
					200
				);
				expect((await post(first, back, `/api/desks/${desk.id}/close`)).status).toBe(200);
			}
		});
	});
});
