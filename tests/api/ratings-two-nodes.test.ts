// Ratings rules raced by two nodes of the hall on one database (docs/transactions.md listed them
// with no race test): a follow-up resolved twice at once, and the working calendar edited on both
// nodes while bad ratings arrive. Every follow-up's due day must count every calendar edit that
// committed, whichever node made it: the edits and the bad ratings take the `calendar` lock.
// Clock: Thursday 2026-11-26 09:00 Shanghai; every test builds its own state on a fresh hall.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { followUpDueDay } from '../../server/ratings/calendar.ts';
import { createHarness, type Harness } from './harness.ts';
import { newCitizen } from './booking-helpers.ts';
import { openDesk, openVideoSession } from './builders.ts';
import { answer, byRound, withSecondNode, type HallNode } from './two-nodes.ts';

let h: Harness;

beforeEach(async () => {
	h = await createHarness();
});
afterEach(() => h.close());

/** The agent's ended video session with a new citizen at the district desk (ready to be rated). */
async function endedSession(agent: string, deskId: string) {
	const { citizen, ticket, session } = await openVideoSession(h, agent, deskId, {
		citizen: await newCitizen(h)
	});
	const finished = await h.request('POST', `/api/queue/tickets/${ticket.id}/finish`, {
		token: agent
	});
	expect(finished.status).toBe(200);
	return { citizen, session };
}

function rate(node: HallNode, token: string, sessionId: string, score: number) {
	return node.request('POST', '/api/ratings', {
		token,
		body: { subjectType: 'session', subjectId: sessionId, score }
	});
}

/** Every unresolved follow-up's due day, next to the one the calendar as committed gives. */
async function dueDays() {
	const rows = await h.store.all<{ id: string; due_day: string; created_at: number }>(
		"SELECT id, due_day, created_at FROM rating_followups WHERE status IN ('open', 'contacted') ORDER BY id"
	);
	return Promise.all(
		rows.map(async (r) => ({
			id: r.id,
			due: r.due_day,
			expected: await followUpDueDay(h.deps, Number(r.created_at))
		}))
	);
}

describe('ratings on two nodes at once', () => {
	it('a follow-up resolved on both nodes at once: one 200, one 409 wrong_state, one resolution', async () => {
		await withSecondNode(h, async (second, first) => {
			const agent = await h.loginAs('agent');
			const supervisor = await h.loginAs('supervisor');
			const desk = await openDesk(h, agent, '1号窗口', ['A', 'B']);
			for (let round = 0; round < 10; round++) {
				const { citizen, session } = await endedSession(agent, desk.id);
				const rated = await answer(await rate(first, citizen.token, session.id, 1));
				expect(rated.status).toBe(201);
				const followUp = (await h.store.get<{ id: string }>(
					'SELECT id FROM rating_followups WHERE rating_id = ?',
					[(rated.body.rating as { id: string }).id]
				))!;
				const contacted = await h.request('POST', `/api/rating-followups/${followUp.id}/contact`, {
					token: supervisor,
					body: { note: '已电话联系' }
				});
				expect(contacted.status).toBe(200);
				const url = `/api/rating-followups/${followUp.id}/resolve`;
				const [a, b] = byRound(round, first, second);
				const results = await Promise.all([
					a.request('POST', url, { token: supervisor, body: { resolution: '已重新办理' } }),
					b.request('POST', url, { token: supervisor, body: { resolution: '已解释政策' } })
				]).then((rs) => Promise.all(rs.map(answer)));
				expect(
					results.map((r) => r.status).sort(),
					`round ${round} ${JSON.stringify(results.map((r) => r.body))}`
				).toEqual([200, 409]);
				expect(results.find((r) => r.status === 409)!.code).toBe('wrong_state');
				const row = await h.store.get<{ status: string; resolution: string }>(
					'SELECT status, resolution FROM rating_followups WHERE id = ?',
					[followUp.id]
				);
				expect(row!.status).toBe('resolved');
				expect(row!.resolution).toBe(results[0].status === 200 ? '已重新办理' : '已解释政策');
			}
		});
	});

	it('two calendar edits on two nodes at once, while a bad rating arrives: every due day counts both edits', async () => {
		await withSecondNode(h, async (second, first) => {
			const agent = await h.loginAs('agent');
			const admin = await h.loginAs('admin');
			const desk = await openDesk(h, agent, '1号窗口', ['A', 'B']);
			// two follow-ups already open, due 15 working days after today
			for (let i = 0; i < 2; i++) {
				const { citizen, session } = await endedSession(agent, desk.id);
				expect((await rate(first, citizen.token, session.id, 2)).status).toBe(201);
			}
			// weekdays inside the follow-ups' 15 working days: each pair is marked, then unmarked
			const pairs = [
				['2026-11-27', '2026-11-30'],
				['2026-12-01', '2026-12-02'],
				['2026-12-03', '2026-12-04'],
				['2026-12-07', '2026-12-08'],
				['2026-12-09', '2026-12-10']
			];
			let round = 0;
			for (const [x, y] of pairs)
				for (const edit of ['set', 'delete'] as const) {
					const [a, b] = byRound(round++, first, second);
					const { citizen, session } = await endedSession(agent, desk.id);
					const change = (node: HallNode, day: string) =>
						edit === 'set'
							? node.request('PUT', `/api/calendar-days/${day}`, {
									token: admin,
									body: { kind: 'holiday', name: '临时休息日' }
								})
							: node.request('DELETE', `/api/calendar-days/${day}`, { token: admin });
					const [onA, onB, rating] = await Promise.all([
						change(a, x),
						change(b, y),
						rate(round % 2 ? a : b, citizen.token, session.id, 1)
					]);
					expect(
						[onA.status, onB.status],
						`${edit} ${x} ${y}: ${await onA.clone().text()} ${await onB.clone().text()}`
					).toEqual(edit === 'set' ? [200, 200] : [204, 204]);
					expect(rating.status).toBe(201);
					const marked = await h.store.all<{ day: string }>(
						'SELECT day FROM calendar_days WHERE day IN (?, ?)',
						[x, y]
					);
					expect(marked).toHaveLength(edit === 'set' ? 2 : 0);
					const days = await dueDays();
					expect(days).toHaveLength(2 + round);
					for (const d of days) expect(d.due, `${edit} ${x} ${y}`).toBe(d.expected);
				}
		});
	});
});
