// 代办授权 (issue 23 items 1 and 3) through the API: a citizen asks to act for someone, the
// grantor's SMS code confirms it, the proxy switches to acting for them and books, takes a number
// and fills a case of the granted item; the records say who acted; the grantor is told; revoked,
// expired or outside the grant, nothing. Every test starts on a fresh hall.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sessionIdFromToken } from '../../server/auth/session.ts';
import { deliverDueNotifications } from '../../server/notify/outbox.ts';
import { signInKey } from '../../server/realtime/bus.ts';
import { createHarness, lastSmsCode, type Harness } from './harness.ts';
import { book, newCitizen, serviceByCode, slotAt } from './booking-helpers.ts';
import {
	handInMaterials,
	LICENSE,
	LICENSE_VALUES,
	SIGNATURE_PNG,
	type Citizen
} from './builders.ts';
import { answer, byRound, withSecondNode } from './two-nodes.ts';
import type { Grant } from '../../shared/schemas/proxy.ts';

let h: Harness;
let license: { id: string; name: string };
let food: { id: string; name: string };
let pension: { id: string; name: string };

beforeEach(async () => {
	h = await createHarness();
	license = await serviceByCode(h, LICENSE);
	food = await serviceByCode(h, '370281-XZSP-014');
	pension = await serviceByCode(h, '370281-YBJ-002');
});
afterEach(() => h.close());

const TODAY = '2026-11-26';
const NEXT_MONTH = '2026-12-26';

async function json(res: Response | Promise<Response>) {
	return answer(await res);
}

/** The proxy asks to act for the grantor; returns the grant id and the code the grantor got. */
async function ask(
	proxy: Citizen,
	grantor: { phone: string },
	items: 'all' | string[] = 'all',
	validUntil = NEXT_MONTH
) {
	const res = await json(
		h.request('POST', '/api/proxy/grants', {
			token: proxy.token,
			body: { grantorPhone: grantor.phone, items, validUntil }
		})
	);
	expect(res.status, JSON.stringify(res.body)).toBe(202);
	return {
		grantId: res.body.grantId as string,
		code: lastSmsCode(h.deps.config.dataDir, grantor.phone)
	};
}

/** A confirmed grant from grantor to proxy. */
async function granted(
	proxy: Citizen,
	grantor: Citizen,
	items: 'all' | string[] = 'all',
	validUntil = NEXT_MONTH
) {
	const { grantId, code } = await ask(proxy, grantor, items, validUntil);
	const res = await json(
		h.request('POST', `/api/proxy/grants/${grantId}/confirm`, {
			token: proxy.token,
			body: { code }
		})
	);
	expect(res.status, JSON.stringify(res.body)).toBe(200);
	return grantId;
}

async function actFor(proxy: Citizen, grantId: string) {
	const res = await json(
		h.request('POST', '/api/proxy/acting', { token: proxy.token, body: { grantId } })
	);
	expect(res.status, JSON.stringify(res.body)).toBe(200);
	return res.body.acting as { state: string; applicant: { id: string; name: string } };
}

async function notices(token: string) {
	const res = await json(h.request('GET', '/api/notifications', { token }));
	expect(res.status).toBe(200);
	return res.body.notifications as { kind: string; params: Record<string, string> }[];
}

const put = (token: string, id: string, key: string, value: unknown, revision = 0) =>
	h.request('PUT', `/api/cases/${id}/fields/${key}`, { token, body: { value, revision } });

describe('granting', () => {
	it('the proxy asks, the grantor gets a code naming the proxy, and the code confirms the grant both see under 我的', async () => {
		const grantor = await newCitizen(h, '王秀兰');
		const proxy = await newCitizen(h, '李建国');
		const { grantId, code } = await ask(proxy, grantor, [license.id]);
		const sms = h.sms.sent.filter((m) => m.phone === grantor.phone);
		expect(sms).toHaveLength(1);
		// who asks (masked) and for what, so the grantor knows whom the code lets in
		expect(sms[0].text).toContain('李*国');
		expect(sms[0].text).toContain(license.name);
		expect(sms[0].text).toContain(NEXT_MONTH);

		// before confirmation the proxy sees only the number they typed
		const pending = (await json(h.request('GET', '/api/proxy/grants', { token: proxy.token }))).body
			.grants as Grant[];
		expect(pending).toEqual([
			expect.objectContaining({
				id: grantId,
				role: 'proxy',
				status: 'pending',
				grantor: {
					id: null,
					name: null,
					phone: `${grantor.phone.slice(0, 3)}****${grantor.phone.slice(7)}`
				}
			})
		]);

		const ok = await json(
			h.request('POST', `/api/proxy/grants/${grantId}/confirm`, {
				token: proxy.token,
				body: { code }
			})
		);
		expect(ok.status).toBe(200);
		expect(ok.body.grant).toMatchObject({
			status: 'active',
			grantor: { id: grantor.id, name: '王*兰' },
			proxy: { id: proxy.id, name: '李*国' },
			items: [{ id: license.id, name: license.name }],
			validUntil: NEXT_MONTH,
			expired: false
		});
		const mine = (await json(h.request('GET', '/api/proxy/grants', { token: grantor.token }))).body
			.grants as Grant[];
		expect(mine).toEqual([
			expect.objectContaining({ id: grantId, role: 'grantor', status: 'active' })
		]);
		// the grantor hears of it in the hall and by SMS: a grant they did not mean is revoked at once
		expect((await notices(grantor.token)).map((n) => n.kind)).toContain('proxy_granted');
		await deliverDueNotifications(h.deps);
		expect(h.sms.sent.filter((m) => m.phone === grantor.phone).at(-1)!.text).toContain(
			'您已授权李*国'
		);
		// the trail names who confirmed what
		const audit = await h.store.get<{ actor_id: string; detail: string }>(
			"SELECT actor_id, detail FROM audit_log WHERE action = 'proxy.granted'"
		);
		expect(audit?.actor_id).toBe(proxy.id);
		expect(JSON.parse(audit!.detail)).toMatchObject({ grantor: grantor.id, proxy: proxy.id });
	});

	it('a wrong code is refused and the grant stays pending; a code sent for an earlier request does not confirm the renewed one', async () => {
		const grantor = await newCitizen(h);
		const proxy = await newCitizen(h);
		const first = await ask(proxy, grantor);
		const wrong = first.code === '000000' ? '111111' : '000000';
		const res = await json(
			h.request('POST', `/api/proxy/grants/${first.grantId}/confirm`, {
				token: proxy.token,
				body: { code: wrong }
			})
		);
		expect(res.status).toBe(400);
		expect(res.code).toBe('invalid_code');
		h.clock.advance(61_000);
		// asked again: the same request, renewed with a new code; the old one is spent
		const second = await ask(proxy, grantor, [license.id]);
		expect(second.grantId).toBe(first.grantId);
		const old = await json(
			h.request('POST', `/api/proxy/grants/${first.grantId}/confirm`, {
				token: proxy.token,
				body: { code: first.code }
			})
		);
		expect(old.code).toBe('invalid_code');
		expect(
			(await h.store.get<{ status: string }>('SELECT status FROM proxy_grants WHERE id = ?', [
				first.grantId
			]))!.status
		).toBe('pending');
		// someone else cannot confirm the proxy's request even with the right code
		const other = await newCitizen(h);
		const stranger = await json(
			h.request('POST', `/api/proxy/grants/${first.grantId}/confirm`, {
				token: other.token,
				body: { code: second.code }
			})
		);
		expect(stranger.status).toBe(404);
	});

	it('answers the same whether or not the phone has an account, and sends a code only to an account', async () => {
		const proxy = await newCitizen(h);
		const grantor = await newCitizen(h);
		const known = await json(
			h.request('POST', '/api/proxy/grants', {
				token: proxy.token,
				body: { grantorPhone: grantor.phone, items: 'all', validUntil: NEXT_MONTH }
			})
		);
		const nobody = await json(
			h.request('POST', '/api/proxy/grants', {
				token: proxy.token,
				body: { grantorPhone: '13912345678', items: 'all', validUntil: NEXT_MONTH }
			})
		);
		expect(nobody.status).toBe(known.status);
		expect(Object.keys(nobody.body).sort()).toEqual(Object.keys(known.body).sort());
		expect(nobody.body.expiresInSeconds).toBe(known.body.expiresInSeconds);
		expect(h.sms.sent.filter((m) => m.phone === '13912345678')).toEqual([]);
		// both are listed alike: pending, the typed number, no name
		const grants = (await json(h.request('GET', '/api/proxy/grants', { token: proxy.token }))).body
			.grants as Grant[];
		expect(grants.map((g) => [g.status, g.grantor.id, g.grantor.name])).toEqual([
			['pending', null, null],
			['pending', null, null]
		]);
	});

	it('refuses a request for oneself, a past day, an unknown item, and a second request while a grant is active', async () => {
		const proxy = await newCitizen(h);
		const grantor = await newCitizen(h);
		const refuse = async (body: Record<string, unknown>, status: number, code: string) => {
			const res = await json(h.request('POST', '/api/proxy/grants', { token: proxy.token, body }));
			expect(res.status, JSON.stringify(body)).toBe(status);
			expect(res.code).toBe(code);
		};
		const base = { grantorPhone: grantor.phone, items: 'all', validUntil: NEXT_MONTH };
		await refuse({ ...base, grantorPhone: proxy.phone }, 400, 'validation_failed');
		await refuse({ ...base, validUntil: '2026-11-25' }, 400, 'validation_failed');
		await refuse({ ...base, items: ['no-such-item'] }, 400, 'validation_failed');
		await refuse({ ...base, items: [] }, 400, 'validation_failed');
		await granted(proxy, grantor);
		h.clock.advance(61_000);
		await refuse(base, 409, 'grant_active');
	});
});

describe('acting for the grantor', () => {
	it('books and takes a number for the grantor: the records are the grantor’s, say the proxy acted, and the grantor is told', async () => {
		const grantor = await newCitizen(h, '王秀兰');
		const proxy = await newCitizen(h, '李建国');
		const grantId = await granted(proxy, grantor, [license.id]);
		const acting = await actFor(proxy, grantId);
		expect(acting).toMatchObject({
			state: 'active',
			applicant: { id: grantor.id, name: '王秀兰' }
		});
		const me = (await json(h.request('GET', '/api/me', { token: proxy.token }))).body;
		expect(me.user).toMatchObject({ id: proxy.id });
		expect(me.acting).toMatchObject({ grantId, state: 'active', applicant: { id: grantor.id } });

		const slot = await slotAt(h, license.id, '2026-11-27', '10:00');
		const booked = await json(book(h, proxy.token, { slotId: slot.id, serviceId: license.id }));
		expect(booked.status).toBe(201);
		const appt = booked.body.appointment as { id: string; actedBy: unknown };
		expect(appt.actedBy).toEqual({ id: proxy.id, as: 'proxy' });
		expect(
			await h.store.get('SELECT citizen_id, acted_by, acted_as FROM appointments WHERE id = ?', [
				appt.id
			])
		).toEqual({ citizen_id: grantor.id, acted_by: proxy.id, acted_as: 'proxy' });

		const took = await json(
			h.request('POST', '/api/queue/tickets', {
				token: proxy.token,
				body: { serviceId: license.id, channel: 'video' }
			})
		);
		expect(took.status).toBe(201);
		const ticket = took.body.ticket as { id: string; code: string; actedBy: unknown };
		expect(ticket.actedBy).toEqual({ id: proxy.id, as: 'proxy' });
		expect(
			await h.store.get('SELECT citizen_id, acted_by, acted_as FROM tickets WHERE id = ?', [
				ticket.id
			])
		).toEqual({ citizen_id: grantor.id, acted_by: proxy.id, acted_as: 'proxy' });

		// the grantor sees both as theirs, and was told of each in the hall and by SMS
		const theirs = (await json(h.request('GET', '/api/appointments', { token: grantor.token })))
			.body.appointments as { id: string }[];
		expect(theirs.map((a) => a.id)).toEqual([appt.id]);
		const kinds = (await notices(grantor.token)).map((n) => n.kind);
		expect(kinds).toEqual(
			expect.arrayContaining(['proxy_appointment_booked', 'proxy_ticket_taken'])
		);
		expect(kinds).not.toContain('appointment_booked');
		await deliverDueNotifications(h.deps);
		const texts = h.sms.sent.filter((m) => m.phone === grantor.phone).map((m) => m.text);
		expect(texts.some((t) => t.includes('代办人李*国为您预约了'))).toBe(true);
		expect(texts.some((t) => t.includes(`代办人李*国为您取了`) && t.includes(ticket.code))).toBe(
			true
		);

		// back to themself, the proxy's own lists hold none of it
		expect(
			(await json(h.request('DELETE', '/api/proxy/acting', { token: proxy.token }))).status
		).toBe(200);
		const own = (await json(h.request('GET', '/api/appointments', { token: proxy.token }))).body
			.appointments as unknown[];
		expect(own).toEqual([]);
		expect(
			(await json(h.request('GET', '/api/me', { token: proxy.token }))).body.acting
		).toBeNull();

		// a booking made by the citizen themself says so
		const self = await json(
			book(h, proxy.token, {
				slotId: (await slotAt(h, license.id, '2026-11-27', '11:00')).id,
				serviceId: license.id
			})
		);
		expect(self.body.appointment).toMatchObject({ actedBy: { id: proxy.id, as: 'self' } });

		// the trail: the proxy started and ended acting for the grantor
		const trail = await h.store.all<{ action: string; actor_id: string; detail: string }>(
			"SELECT action, actor_id, detail FROM audit_log WHERE action LIKE 'proxy.acting%' ORDER BY seq"
		);
		expect(trail.map((t) => [t.action, t.actor_id, JSON.parse(t.detail).actingFor])).toEqual([
			['proxy.acting_started', proxy.id, grantor.id],
			['proxy.acting_ended', proxy.id, grantor.id]
		]);
	});

	it('fills and submits a case of the granted item: each step names the proxy as actor and the grantor as applicant; the signature stays the grantor’s own', async () => {
		const grantor = await newCitizen(h, '王秀兰');
		const proxy = await newCitizen(h, '李建国');
		await actFor(proxy, await granted(proxy, grantor, [license.id]));
		const created = await json(
			h.request('POST', '/api/cases', { token: proxy.token, body: { serviceId: license.id } })
		);
		expect(created.status).toBe(201);
		const kase = created.body.case as { id: string; citizen: { id: string } };
		expect(kase.citizen.id).toBe(grantor.id);
		for (const [key, value] of Object.entries(LICENSE_VALUES))
			expect((await put(proxy.token, kase.id, key, value)).status).toBe(200);
		await handInMaterials(h, proxy.token, kase.id);

		const sign = await json(
			h.request('POST', `/api/cases/${kase.id}/signature`, {
				token: proxy.token,
				body: { image: SIGNATURE_PNG }
			})
		);
		expect(sign.status).toBe(403);
		expect(sign.code).toBe('signature_in_person');
		// the grantor signs on their own device; the proxy then submits
		expect(
			(
				await h.request('POST', `/api/cases/${kase.id}/signature`, {
					token: grantor.token,
					body: { image: SIGNATURE_PNG }
				})
			).status
		).toBe(200);
		const submitted = await json(
			h.request('POST', `/api/cases/${kase.id}/submit`, { token: proxy.token })
		);
		expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);

		const timeline = (
			(await json(h.request('GET', `/api/cases/${kase.id}`, { token: grantor.token }))).body
				.case as { timeline: { type: string; actorId: string; actedFor: { id: string } | null }[] }
		).timeline;
		const by = (type: string) => timeline.filter((e) => e.type === type);
		for (const type of ['case.created', 'field.changed', 'document.uploaded', 'case.submitted'])
			for (const e of by(type)) {
				expect(e.actorId, type).toBe(proxy.id);
				expect(e.actedFor?.id, type).toBe(grantor.id);
			}
		expect(by('case.submitted')).toHaveLength(1);
		// the signature is the grantor's own act
		const signed = timeline.find((e) => e.type === 'case.signed');
		expect(signed).toMatchObject({ actorId: grantor.id, actedFor: null });
		const fields = (
			(await json(h.request('GET', `/api/cases/${kase.id}`, { token: grantor.token }))).body
				.case as { fields: { key: string; updatedBy: string }[] }
		).fields;
		expect(fields.find((f) => f.key === 'name')?.updatedBy).toBe(proxy.id);
		expect((await notices(grantor.token)).map((n) => n.kind)).toContain('proxy_case_submitted');
		// the receipt names the applicant and, separately, who submitted for them
		const receipt = (
			await json(h.request('GET', `/api/cases/${kase.id}/receipt`, { token: grantor.token }))
		).body as { applicant: { name: string }; submittedBy: unknown };
		expect(receipt.applicant.name).toBe('王秀兰');
		expect(receipt.submittedBy).toEqual({ id: proxy.id, name: '李建国', as: 'proxy' });
	});

	it('sees only the granted items: not the grantor’s other cases and appointments, nor their ratings or notices', async () => {
		const grantor = await newCitizen(h);
		const proxy = await newCitizen(h);
		// the grantor's own business, outside the grant
		const otherCase = (
			await json(
				h.request('POST', '/api/cases', { token: grantor.token, body: { serviceId: pension.id } })
			)
		).body.case as { id: string };
		const foodSlot = await slotAt(h, food.id, '2026-11-27', '10:00');
		const otherAppt = (
			await json(book(h, grantor.token, { slotId: foodSlot.id, serviceId: food.id }))
		).body.appointment as { id: string };
		const grantedCase = (
			await json(
				h.request('POST', '/api/cases', { token: grantor.token, body: { serviceId: license.id } })
			)
		).body.case as { id: string };

		await actFor(proxy, await granted(proxy, grantor, [license.id]));
		const cases = (await json(h.request('GET', '/api/cases', { token: proxy.token }))).body
			.cases as { id: string }[];
		expect(cases.map((c) => c.id)).toEqual([grantedCase.id]);
		expect(
			(await json(h.request('GET', '/api/appointments', { token: proxy.token }))).body.appointments
		).toEqual([]);
		for (const url of [
			`/api/cases/${otherCase.id}`,
			`/api/cases/${otherCase.id}/events`,
			`/api/appointments/${otherAppt.id}`
		]) {
			const res = await json(h.request('GET', url, { token: proxy.token }));
			expect([res.status, res.code], url).toEqual([403, 'item_not_granted']);
		}
		expect(
			(
				await json(
					h.request('PUT', `/api/cases/${otherCase.id}/fields/name`, {
						token: proxy.token,
						body: { value: 'x', revision: 0 }
					})
				)
			).code
		).toBe('item_not_granted');
		expect(
			(await json(h.request('GET', `/api/cases/${grantedCase.id}`, { token: proxy.token }))).status
		).toBe(200);
		// nothing new outside the grant either
		const other = await json(
			book(h, proxy.token, {
				slotId: (await slotAt(h, food.id, '2026-11-27', '11:00')).id,
				serviceId: food.id
			})
		);
		expect([other.status, other.code]).toEqual([403, 'item_not_granted']);
		const ticket = await json(
			h.request('POST', '/api/queue/tickets', {
				token: proxy.token,
				body: { serviceId: food.id, channel: 'video' }
			})
		);
		expect([ticket.status, ticket.code]).toEqual([403, 'item_not_granted']);
		const kase = await json(
			h.request('POST', '/api/cases', { token: proxy.token, body: { serviceId: pension.id } })
		);
		expect([kase.status, kase.code]).toEqual([403, 'item_not_granted']);
		// the grantor's notices, ratings, waitlist and settings are theirs alone
		for (const [method, url] of [
			['GET', '/api/notifications'],
			['GET', '/api/ratings'],
			['GET', '/api/ratings/pending'],
			['GET', '/api/waitlist'],
			['PUT', '/api/me/preferences'],
			['POST', '/api/proxy/grants']
		]) {
			const res = await json(
				h.request(method, url, { token: proxy.token, body: method === 'GET' ? undefined : {} })
			);
			expect([res.status, res.code], `${method} ${url}`).toEqual([403, 'acting_for_someone']);
		}
	});

	it('an all-items grant reaches every item of the grantor', async () => {
		const grantor = await newCitizen(h);
		const proxy = await newCitizen(h);
		const other = (
			await json(
				h.request('POST', '/api/cases', { token: grantor.token, body: { serviceId: pension.id } })
			)
		).body.case as { id: string };
		await actFor(proxy, await granted(proxy, grantor, 'all'));
		expect(
			(await json(h.request('GET', `/api/cases/${other.id}`, { token: proxy.token }))).status
		).toBe(200);
		const res = await json(
			book(h, proxy.token, {
				slotId: (await slotAt(h, food.id, '2026-11-27', '10:00')).id,
				serviceId: food.id
			})
		);
		expect(res.status).toBe(201);
	});

	it('acts only under an active grant of one’s own', async () => {
		const grantor = await newCitizen(h);
		const proxy = await newCitizen(h);
		const stranger = await newCitizen(h);
		const { grantId } = await ask(proxy, grantor);
		const pending = await json(
			h.request('POST', '/api/proxy/acting', { token: proxy.token, body: { grantId } })
		);
		expect([pending.status, pending.code]).toEqual([409, 'grant_not_active']);
		h.clock.advance(61_000); // the grantor's phone gets one code a minute
		const confirmed = await granted(stranger, grantor);
		const notMine = await json(
			h.request('POST', '/api/proxy/acting', { token: proxy.token, body: { grantId: confirmed } })
		);
		expect(notMine.status).toBe(404);
	});
});

describe('revoked and expired', () => {
	it('a revoke by the grantor stops the proxy at once: streams end, the next request is refused, only switching back works', async () => {
		const grantor = await newCitizen(h);
		const proxy = await newCitizen(h);
		const grantId = await granted(proxy, grantor);
		await actFor(proxy, grantId);
		let ended = false;
		h.deps.engine.events.onEnd(signInKey(sessionIdFromToken(proxy.token)), () => {
			ended = true;
		});
		const revoked = await json(
			h.request('POST', `/api/proxy/grants/${grantId}/revoke`, { token: grantor.token })
		);
		expect(revoked.status).toBe(200);
		expect(revoked.body.grant).toMatchObject({ status: 'revoked' });
		await new Promise((r) => setTimeout(r, 20));
		expect(ended).toBe(true);

		const slot = await slotAt(h, license.id, '2026-11-27', '10:00');
		const refused = await json(book(h, proxy.token, { slotId: slot.id, serviceId: license.id }));
		expect([refused.status, refused.code]).toEqual([403, 'acting_ended']);
		expect(await h.store.get('SELECT count(*) AS n FROM appointments')).toEqual({ n: 0 });
		const me = (await json(h.request('GET', '/api/me', { token: proxy.token }))).body;
		expect(me.acting).toMatchObject({ grantId, state: 'ended' });
		const again = await json(
			h.request('POST', '/api/proxy/acting', { token: proxy.token, body: { grantId } })
		);
		expect([again.status, again.code]).toEqual([409, 'grant_not_active']);
		expect(
			(await json(h.request('DELETE', '/api/proxy/acting', { token: proxy.token }))).status
		).toBe(200);
		expect(
			(await json(book(h, proxy.token, { slotId: slot.id, serviceId: license.id }))).status
		).toBe(201);
		// revoking twice: 409; the proxy may revoke too (a pending request, here)
		expect(
			(await json(h.request('POST', `/api/proxy/grants/${grantId}/revoke`, { token: proxy.token })))
				.code
		).toBe('grant_revoked');
	});

	it('a grant lasts through its last day: the next day the proxy cannot act, and a session acting is refused', async () => {
		const grantor = await newCitizen(h);
		const proxy = await newCitizen(h);
		const grantId = await granted(proxy, grantor, 'all', TODAY);
		await actFor(proxy, grantId);
		const today = await json(h.request('GET', '/api/appointments', { token: proxy.token }));
		expect(today.status).toBe(200);
		h.clock.advance(24 * 60 * 60_000);
		const refused = await json(h.request('GET', '/api/appointments', { token: proxy.token }));
		expect([refused.status, refused.code]).toEqual([403, 'acting_ended']);
		await json(h.request('DELETE', '/api/proxy/acting', { token: proxy.token }));
		const expired = await json(
			h.request('POST', '/api/proxy/acting', { token: proxy.token, body: { grantId } })
		);
		expect([expired.status, expired.code]).toEqual([409, 'grant_expired']);
		const listed = (await json(h.request('GET', '/api/proxy/grants', { token: grantor.token })))
			.body.grants as { expired: boolean }[];
		expect(listed[0].expired).toBe(true);
	});

	it('a disabled grantor account ends acting', async () => {
		const grantor = await newCitizen(h);
		const proxy = await newCitizen(h);
		await actFor(proxy, await granted(proxy, grantor));
		await h.store.run('UPDATE users SET disabled_at = ? WHERE id = ?', [h.clock.now, grantor.id]);
		const res = await json(h.request('GET', '/api/cases', { token: proxy.token }));
		expect([res.status, res.code]).toEqual([403, 'acting_ended']);
	});
});

describe('route access', () => {
	const routes: [string, string, unknown][] = [
		[
			'POST',
			'/api/proxy/grants',
			{ grantorPhone: '13912345678', items: 'all', validUntil: NEXT_MONTH }
		],
		['GET', '/api/proxy/grants', undefined],
		['POST', '/api/proxy/grants/some-id/confirm', { code: '123456' }],
		['POST', '/api/proxy/grants/some-id/revoke', {}],
		['POST', '/api/proxy/acting', { grantId: 'some-id' }],
		['DELETE', '/api/proxy/acting', undefined]
	];

	it('every proxy route answers 401 without a session and 403 to staff', async () => {
		const agent = await h.loginAs('agent');
		for (const [method, url, body] of routes) {
			const anonymous = await json(h.request(method, url, { body }));
			expect([anonymous.status, anonymous.code], `${method} ${url}`).toEqual([
				401,
				'unauthenticated'
			]);
			const staff = await json(h.request(method, url, { token: agent, body }));
			expect(staff.status, `${method} ${url}`).toBe(403);
		}
	});
});

describe('two nodes', () => {
	it('the same grant confirmed at once on two nodes: one active grant, the other 409', async () => {
		await withSecondNode(h, async (second, first) => {
			for (let round = 0; round < 6; round++) {
				const grantor = await newCitizen(h);
				const proxy = await newCitizen(h);
				const { grantId, code } = await ask(proxy, grantor);
				const [a, b] = byRound(round, first, second);
				const confirm = (node: typeof a) =>
					node
						.request('POST', `/api/proxy/grants/${grantId}/confirm`, {
							token: proxy.token,
							body: { code }
						})
						.then(answer);
				const results = await Promise.all([confirm(a), confirm(b)]);
				const statuses = results.map((r) => r.status).sort();
				expect(statuses, JSON.stringify(results)).toEqual([200, 409]);
				expect(results.find((r) => r.status === 409)!.code).toBe('grant_not_pending');
				const rows = await h.store.all<{ status: string }>(
					'SELECT status FROM proxy_grants WHERE proxy_id = ?',
					[proxy.id]
				);
				expect(rows).toEqual([{ status: 'active' }]);
				expect(
					await h.store.get<{ n: number }>(
						"SELECT count(*) AS n FROM audit_log WHERE action = 'proxy.granted' AND target_id = ?",
						[grantId]
					)
				).toEqual({ n: 1 });
			}
		});
	});
});
