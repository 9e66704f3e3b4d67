// 代办授权 confirmed by the grantor's signature in a video session (issue 23 item 1: "SMS code, or
// signature in a session"): the desk agent serving the grantor sees their pending requests and
// asks; the grantor signs on their own video page; the grant is active, confirmed by signature,
// witnessed by the agent, the image kept; both parties are told. Only the grantor in person.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256Hex, blobStoreOf } from '../../server/db/blobs.ts';
import { createHarness, lastSmsCode, type Harness } from './harness.ts';
import { newCitizen, serviceByCode } from './booking-helpers.ts';
import {
	LICENSE,
	openDesk,
	openVideoSession,
	PNG_BYTES,
	SIGNATURE_PNG,
	type Citizen
} from './builders.ts';
import { answer, byRound, withSecondNode } from './two-nodes.ts';

let h: Harness;

beforeEach(async () => {
	h = await createHarness();
});
afterEach(() => h.close());

const NEXT_MONTH = '2026-12-26';

async function json(res: Response | Promise<Response>) {
	return answer(await res);
}

/** The proxy asks to act for the grantor (pending); the grant id and the code the grantor got. */
async function ask(proxy: Citizen, grantor: Citizen, items: 'all' | string[] = 'all') {
	// a grantor asked again: past the one-code-a-minute and five-an-hour limits of their phone
	h.clock.advance(13 * 60_000);
	const res = await json(
		h.request('POST', '/api/proxy/grants', {
			token: proxy.token,
			body: { grantorPhone: grantor.phone, items, validUntil: NEXT_MONTH }
		})
	);
	expect(res.status, JSON.stringify(res.body)).toBe(202);
	return {
		grantId: res.body.grantId as string,
		code: lastSmsCode(h.deps.config.dataDir, grantor.phone)!
	};
}

/** The grantor in a video session with an agent, admitted: the agent's token, the session id. */
async function inSession(grantor: Citizen) {
	const agent = await h.loginAs('agent');
	const deskId = (await openDesk(h, agent, '1号窗口', ['A', 'B'])).id;
	const { session } = await openVideoSession(h, agent, deskId, { citizen: grantor });
	const admitted = await json(
		h.request('POST', `/api/video-sessions/${session.id}/admit`, { token: agent })
	);
	expect(admitted.status, JSON.stringify(admitted.body)).toBe(200);
	return { agent, sessionId: session.id };
}

const askSignature = (agent: string, sessionId: string, grantId: string) =>
	json(
		h.request('POST', `/api/video-sessions/${sessionId}/proxy-grants/ask`, {
			token: agent,
			body: { grantId }
		})
	);
const sign = (token: string, sessionId: string, grantId: string) =>
	json(
		h.request('POST', `/api/video-sessions/${sessionId}/grant-signature`, {
			token,
			body: { grantId, image: SIGNATURE_PNG }
		})
	);

async function notices(token: string) {
	const res = await json(h.request('GET', '/api/notifications', { token }));
	expect(res.status).toBe(200);
	return res.body.notifications as { kind: string; params: Record<string, string> }[];
}

describe('a grant signed in the video session', () => {
	it('the agent sees the pending request and asks; the grantor sees it and signs; the grant is active, witnessed, kept and told', async () => {
		const grantor = await newCitizen(h, '王秀兰');
		const proxy = await newCitizen(h, '李建国');
		const license = await serviceByCode(h, LICENSE);
		const { grantId, code } = await ask(proxy, grantor, [license.id]);
		const { agent, sessionId } = await inSession(grantor);

		// the agent: the session citizen's pending request, the proxy masked, not yet asked
		const listed = await json(
			h.request('GET', `/api/video-sessions/${sessionId}/proxy-grants`, { token: agent })
		);
		expect(listed.status).toBe(200);
		expect(listed.body.grants).toEqual([
			expect.objectContaining({
				id: grantId,
				proxy: { name: '李*国', phone: expect.stringMatching(/^152\*{4}\d{4}$/) },
				items: [{ id: license.id, name: license.name }],
				validUntil: NEXT_MONTH,
				asked: false
			})
		]);
		// nothing asked yet: the grantor has nothing to sign, and cannot sign unasked
		const before = await json(
			h.request('GET', `/api/video-sessions/${sessionId}/grant-signature`, {
				token: grantor.token
			})
		);
		expect([before.status, before.body.grant]).toEqual([200, null]);
		expect((await sign(grantor.token, sessionId, grantId)).code).toBe('signature_not_asked');

		const asked = await askSignature(agent, sessionId, grantId);
		expect(asked.status, JSON.stringify(asked.body)).toBe(200);
		expect((asked.body.grants as { asked: boolean }[])[0].asked).toBe(true);
		const events = await h.store.all<{ type: string; actor_id: string }>(
			"SELECT type, actor_id FROM session_events WHERE session_id = ? AND type LIKE 'grant.%' ORDER BY id",
			[sessionId]
		);
		expect(events).toEqual([{ type: 'grant.signature_requested', actor_id: expect.any(String) }]);

		// the grantor: what they authorise
		const shown = await json(
			h.request('GET', `/api/video-sessions/${sessionId}/grant-signature`, {
				token: grantor.token
			})
		);
		expect(shown.status).toBe(200);
		expect(shown.body.grant).toMatchObject({
			id: grantId,
			proxy: { name: '李*国' },
			validUntil: NEXT_MONTH
		});

		const signed = await sign(grantor.token, sessionId, grantId);
		expect(signed.status, JSON.stringify(signed.body)).toBe(200);
		expect(signed.body.grant).toMatchObject({
			id: grantId,
			status: 'active',
			confirmedVia: 'signature',
			role: 'grantor'
		});

		const agentId = (await h.store.get<{ user_id: string }>(
			"SELECT user_id FROM session_participants WHERE session_id = ? AND kind = 'host'",
			[sessionId]
		))!.user_id;
		const row = await h.store.get<Record<string, unknown>>(
			`SELECT status, grantor_id, confirmed_via, confirmed_session_id, witness_id, signature_sha256,
			 signature_file, confirmed_at FROM proxy_grants WHERE id = ?`,
			[grantId]
		);
		const sha = sha256Hex(PNG_BYTES);
		expect(row).toMatchObject({
			status: 'active',
			grantor_id: grantor.id,
			confirmed_via: 'signature',
			confirmed_session_id: sessionId,
			witness_id: agentId,
			signature_sha256: sha
		});
		expect(row!.signature_file).toBeTruthy();
		expect(Number(row!.confirmed_at)).toBeGreaterThan(0);
		expect(
			Buffer.from((await blobStoreOf(h.deps).get('signatures', sha))!),
			'the signature image is kept'
		).toEqual(PNG_BYTES);

		const audit = await h.store.get<{ actor_id: string; detail: string }>(
			"SELECT actor_id, detail FROM audit_log WHERE action = 'proxy.granted' AND target_id = ?",
			[grantId]
		);
		expect(audit!.actor_id).toBe(grantor.id);
		expect(JSON.parse(audit!.detail)).toMatchObject({
			grantor: grantor.id,
			proxy: proxy.id,
			confirmedVia: 'signature',
			sessionId,
			witness: agentId,
			signatureSha256: sha
		});

		// both are told, in the hall and by SMS
		expect((await notices(grantor.token)).map((n) => n.kind)).toContain('proxy_granted');
		const toProxy = (await notices(proxy.token)).find((n) => n.kind === 'proxy_grant_signed');
		expect(toProxy?.params).toMatchObject({ grantorName: '王*兰', validUntil: NEXT_MONTH });
		const grants = (await json(h.request('GET', '/api/proxy/grants', { token: proxy.token }))).body
			.grants as { id: string; confirmedVia: string; grantor: { name: string } }[];
		expect(grants.find((g) => g.id === grantId)).toMatchObject({
			confirmedVia: 'signature',
			grantor: { name: '王*兰' }
		});

		// the proxy may now act; the SMS code of the same request no longer confirms anything
		expect(
			(
				await json(
					h.request('POST', '/api/proxy/acting', { token: proxy.token, body: { grantId } })
				)
			).status
		).toBe(200);
		await json(h.request('DELETE', '/api/proxy/acting', { token: proxy.token }));
		const late = await json(
			h.request('POST', `/api/proxy/grants/${grantId}/confirm`, {
				token: proxy.token,
				body: { code }
			})
		);
		expect([late.status, late.code]).toEqual([409, 'grant_not_pending']);
		// signed already: not pending any more (409), and no longer shown to sign or to ask
		expect((await sign(grantor.token, sessionId, grantId)).code).toBe('grant_not_pending');
		expect((await askSignature(agent, sessionId, grantId)).code).toBe('grant_not_pending');
		expect(
			(
				await json(
					h.request('GET', `/api/video-sessions/${sessionId}/proxy-grants`, { token: agent })
				)
			).body.grants
		).toEqual([]);
	});

	it('an SMS-confirmed grant says so', async () => {
		const grantor = await newCitizen(h);
		const proxy = await newCitizen(h);
		const { grantId, code } = await ask(proxy, grantor);
		const res = await json(
			h.request('POST', `/api/proxy/grants/${grantId}/confirm`, {
				token: proxy.token,
				body: { code }
			})
		);
		expect(res.body.grant).toMatchObject({ status: 'active', confirmedVia: 'sms' });
		expect(
			await h.store.get('SELECT confirmed_via, witness_id FROM proxy_grants WHERE id = ?', [
				grantId
			])
		).toEqual({ confirmed_via: 'sms', witness_id: null });
	});
});

describe('who may sign', () => {
	it('401 without a session, 403 to the wrong role, to another citizen and to a proxy acting for the grantor; 409 once not pending', async () => {
		const grantor = await newCitizen(h, '王秀兰');
		const proxy = await newCitizen(h, '李建国');
		const { grantId } = await ask(proxy, grantor);
		const { agent, sessionId } = await inSession(grantor);
		expect((await askSignature(agent, sessionId, grantId)).status).toBe(200);

		const routes: [string, string, unknown][] = [
			['GET', `/api/video-sessions/${sessionId}/proxy-grants`, undefined],
			['POST', `/api/video-sessions/${sessionId}/proxy-grants/ask`, { grantId }],
			['GET', `/api/video-sessions/${sessionId}/grant-signature`, undefined],
			[
				'POST',
				`/api/video-sessions/${sessionId}/grant-signature`,
				{ grantId, image: SIGNATURE_PNG }
			]
		];
		for (const [method, url, body] of routes) {
			const anonymous = await json(h.request(method, url, { body }));
			expect([anonymous.status, anonymous.code], `${method} ${url}`).toEqual([
				401,
				'unauthenticated'
			]);
		}
		// wrong role: the citizen on the agent's routes, the agent and a grid worker on the grantor's
		const grid = await h.loginAs('grid');
		for (const [method, url, body] of routes.slice(0, 2))
			expect((await json(h.request(method, url, { token: grantor.token, body }))).status).toBe(403);
		for (const [method, url, body] of routes.slice(2)) {
			expect((await json(h.request(method, url, { token: agent, body }))).status).toBe(403);
			expect((await json(h.request(method, url, { token: grid, body }))).status).toBe(403);
		}
		// another agent, not serving this session
		const other = await h.loginAs('township');
		expect((await askSignature(other, sessionId, grantId)).status).toBe(403);

		// not the session's citizen: the proxy themself, and a stranger
		const stranger = await newCitizen(h);
		for (const who of [proxy, stranger]) {
			const res = await sign(who.token, sessionId, grantId);
			expect(res.status, JSON.stringify(res.body)).toBe(403);
		}

		// a proxy acting for the grantor (under another, active grant) is not the grantor in person
		const family = await newCitizen(h, '王小明');
		const other2 = await ask(family, grantor);
		expect(
			(
				await json(
					h.request('POST', `/api/proxy/grants/${other2.grantId}/confirm`, {
						token: family.token,
						body: { code: other2.code }
					})
				)
			).status
		).toBe(200);
		expect(
			(
				await json(
					h.request('POST', '/api/proxy/acting', {
						token: family.token,
						body: { grantId: other2.grantId }
					})
				)
			).status
		).toBe(200);
		const acting = await sign(family.token, sessionId, grantId);
		expect([acting.status, acting.code]).toEqual([403, 'signature_in_person']);
		expect((await h.store.get('SELECT status FROM proxy_grants WHERE id = ?', [grantId]))!).toEqual(
			{ status: 'pending' }
		);

		// the proxy revokes the request: nothing left to sign (409)
		expect(
			(await json(h.request('POST', `/api/proxy/grants/${grantId}/revoke`, { token: proxy.token })))
				.status
		).toBe(200);
		const revoked = await sign(grantor.token, sessionId, grantId);
		expect([revoked.status, revoked.code]).toEqual([409, 'grant_not_pending']);
	});
});

describe('two nodes', () => {
	it('the SMS code and the signature at once: exactly one confirms, the other is told 409', async () => {
		const grantor = await newCitizen(h, '王秀兰');
		const { agent, sessionId } = await inSession(grantor);
		await withSecondNode(h, async (second, first) => {
			for (let round = 0; round < 6; round++) {
				const proxy = await newCitizen(h);
				const { grantId, code } = await ask(proxy, grantor);
				expect((await askSignature(agent, sessionId, grantId)).status).toBe(200);
				const [a, b] = byRound(round, first, second);
				const results = await Promise.all([
					a
						.request('POST', `/api/proxy/grants/${grantId}/confirm`, {
							token: proxy.token,
							body: { code }
						})
						.then(answer),
					b
						.request('POST', `/api/video-sessions/${sessionId}/grant-signature`, {
							token: grantor.token,
							body: { grantId, image: SIGNATURE_PNG }
						})
						.then(answer)
				]);
				const statuses = results.map((r) => r.status).sort();
				expect(statuses, JSON.stringify(results)).toEqual([200, 409]);
				expect(results.find((r) => r.status === 409)!.code).toBe('grant_not_pending');
				const row = await h.store.get<{ status: string; confirmed_via: string }>(
					'SELECT status, confirmed_via FROM proxy_grants WHERE id = ?',
					[grantId]
				);
				// the row says how the winner confirmed it
				expect(row).toEqual({
					status: 'active',
					confirmed_via: results[0].status === 200 ? 'sms' : 'signature'
				});
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
