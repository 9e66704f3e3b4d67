// Cases and co-guided forms through the API. Every test starts on a fresh hall (form templates
// at version 1, no desk open).
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { openEngine } from '../../server/engine.ts';
import { count, createHarness, type Harness } from './harness.ts';
import { newCitizen, serviceByCode } from './booking-helpers.ts';
import {
	handInMaterials,
	openDesk,
	openVideoSession,
	SIGNATURE_PNG as PNG,
	LICENSE_VALUES as complete
} from './builders.ts';

let h: Harness;
let license: { id: string };

beforeEach(async () => {
	h = await createHarness();
	license = await serviceByCode(h, '370281-XZSP-001');
});
afterEach(() => h.close());

async function newCase(token: string, body: Record<string, unknown> = { serviceId: license.id }) {
	const res = await h.request('POST', '/api/cases', { token, body });
	expect(res.status).toBe(201);
	return (await res.json()).case;
}
const put = (token: string, id: string, key: string, value: unknown, revision: number) =>
	h.request('PUT', `/api/cases/${id}/fields/${key}`, { token, body: { value, revision } });

/**
 * A second node of the hall on the harness's database, as another process would run it: on
 * PostgreSQL its own engine (its own pool, whose connections really run in parallel with the
 * harness's) and its own app. On SQLite the second app shares the harness's connection: a second
 * connection in this one process would block the event loop in its busy wait while the first
 * holds the write lock (processes race on SQLite in races.test.ts); the store's gate serialises
 * them, as the write lock does between processes.
 */
function secondNode() {
	const own = h.engine === 'postgres';
	const engine = own ? openEngine(h.deps.config) : h.deps.engine;
	const app = createApp({ ...h.deps, engine, store: engine.store });
	return {
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

describe('templates and validation', () => {
	it('validates a field from the definition: a bad ID checksum is that field’s error, nothing stored', async () => {
		const c = await newCitizen(h);
		const kase = await newCase(c.token);
		expect(kase.template.version).toBe(1);
		const bad = await put(c.token, kase.id, 'idNumber', '110105194912310021', 0);
		expect(bad.status).toBe(400);
		expect((await bad.json()).error.fields).toEqual({
			idNumber: 'has a wrong check digit'
		});
		const after = (
			await (await h.request('GET', `/api/cases/${kase.id}`, { token: c.token })).json()
		).case;
		expect(after.fields.find((f: { key: string }) => f.key === 'idNumber')).toMatchObject({
			value: null,
			revision: 0
		});
	});

	it('pins a case to the version it started with when a new version is published', async () => {
		const c = await newCitizen(h);
		const old = await newCase(c.token);
		const admin = await h.loginAs('admin');
		const current = await (
			await h.request('GET', `/api/services/${license.id}/form-template`)
		).json();
		const definition = { ...current.definition, title: current.definition.title + '（2027 版）' };
		const pub = await h.request('POST', '/api/admin/form-templates', {
			token: admin,
			body: { serviceId: license.id, definition }
		});
		expect((await pub.json()).version).toBe(2);
		const fresh = await newCase((await newCitizen(h)).token);
		expect(fresh.template.version).toBe(2);
		const again = (
			await (await h.request('GET', `/api/cases/${old.id}`, { token: c.token })).json()
		).case;
		expect(again.template.version).toBe(1);
	});

	it('requires a conditional field only when it is shown, at submit', async () => {
		const c = await newCitizen(h);
		const kase = await newCase(c.token);
		for (const [key, value] of Object.entries({ ...complete, form: 'family' }))
			expect((await put(c.token, kase.id, key, value, 0)).status).toBe(200);
		await handInMaterials(h, c.token, kase.id);
		await h.request('POST', `/api/cases/${kase.id}/signature`, {
			token: c.token,
			body: { image: PNG }
		});
		const res = await h.request('POST', `/api/cases/${kase.id}/submit`, { token: c.token });
		expect(res.status).toBe(400);
		expect((await res.json()).error.fields).toEqual({ members: 'is required' });
	});
});

describe('revisions and origin', () => {
	it('of two concurrent writes at one revision exactly one wins; the other gets 409 with the current value', async () => {
		const c = await newCitizen(h);
		const kase = await newCase(c.token);
		const [a, b] = await Promise.all([
			put(c.token, kase.id, 'scope', '零售', 0),
			put(c.token, kase.id, 'scope', '批发', 0)
		]);
		expect([a.status, b.status].sort()).toEqual([200, 409]);
		const loser = a.status === 409 ? a : b;
		const winner = a.status === 200 ? a : b;
		const body = await loser.json();
		expect(body.error.code).toBe('stale_revision');
		expect(body.error.current).toMatchObject({
			key: 'scope',
			revision: 1,
			value: (await winner.json()).field.value
		});
	});

	it('marks values staff enter in a session; the citizen must confirm them before submitting', async () => {
		const c = await newCitizen(h, '会话群众');
		const agent = await h.loginAs('agent');
		const desk = await openDesk(h, agent);
		const { session } = await openVideoSession(h, agent, desk.id, { citizen: c });
		const kase = await newCase(agent, { serviceId: license.id, sessionId: session.id });
		expect(kase.citizen.name).toBe('会话群众');
		for (const [key, value] of Object.entries(complete)) {
			const who = key === 'scope' ? agent : c.token;
			expect((await put(who, kase.id, key, value, 0)).status).toBe(200);
		}
		const seen = (
			await (await h.request('GET', `/api/cases/${kase.id}`, { token: c.token })).json()
		).case;
		expect(seen.fields.find((f: { key: string }) => f.key === 'scope')).toMatchObject({
			source: 'staff',
			confirmed: false,
			updatedByName: '李静'
		});

		// staff outside the session may read (ID masked) but not write
		const supervisor = await h.loginAs('supervisor');
		expect((await put(supervisor, kase.id, 'shopName', '别人改的', 0)).status).toBe(403);
		const read = (
			await (await h.request('GET', `/api/cases/${kase.id}`, { token: supervisor })).json()
		).case;
		expect(read.fields.find((f: { key: string }) => f.key === 'idNumber').value).toBe(
			'1101**********002X'
		);
		// another citizen sees nothing
		expect(
			(await h.request('GET', `/api/cases/${kase.id}`, { token: (await newCitizen(h)).token }))
				.status
		).toBe(404);

		await handInMaterials(h, c.token, kase.id);
		await h.request('POST', `/api/cases/${kase.id}/signature`, {
			token: c.token,
			body: { image: PNG }
		});
		const early = await h.request('POST', `/api/cases/${kase.id}/submit`, { token: c.token });
		expect(early.status).toBe(409);
		expect((await early.json()).error).toMatchObject({
			code: 'unconfirmed_values',
			fields: { scope: expect.any(String) }
		});
		expect(
			(await h.request('POST', `/api/cases/${kase.id}/fields/scope/confirm`, { token: c.token }))
				.status
		).toBe(200);
		const done = await h.request('POST', `/api/cases/${kase.id}/submit`, { token: c.token });
		expect(done.status).toBe(200);
		expect((await done.json()).case).toMatchObject({
			status: 'submitted',
			receiptNo: expect.stringMatching(/^SL\d{8}[A-Z2-7]{6}$/)
		});
		expect((await put(c.token, kase.id, 'shopName', '改不了', 0)).status).toBe(409);
	});
});

describe('two nodes on one database', () => {
	it('writes at one revision from two nodes at once: each round exactly one wins, no revision is lost', async () => {
		const node = secondNode();
		try {
			const c = await newCitizen(h);
			const kase = await newCase(c.token);
			const rounds = 6;
			for (let revision = 0; revision < rounds; revision++) {
				const [a, b] = await Promise.all([
					put(c.token, kase.id, 'scope', `零售 ${revision}`, revision),
					node.request('PUT', `/api/cases/${kase.id}/fields/scope`, {
						token: c.token,
						body: { value: `批发 ${revision}`, revision }
					})
				]);
				expect([a.status, b.status].sort()).toEqual([200, 409]);
				const loser = a.status === 409 ? a : b;
				expect((await loser.json()).error).toMatchObject({
					code: 'stale_revision',
					current: { key: 'scope', revision: revision + 1 }
				});
			}
			const after = (
				await (await h.request('GET', `/api/cases/${kase.id}`, { token: c.token })).json()
			).case;
			expect(after.fields.find((f: { key: string }) => f.key === 'scope').revision).toBe(rounds);
			expect(
				await count(h.store, `case_events WHERE case_id = '${kase.id}' AND type = 'field.changed'`)
			).toBe(rounds);
		} finally {
			await node.close();
		}
	});

	it('a write racing the submit on another node: exactly one of them lands', async () => {
		const node = secondNode();
		try {
			const c = await newCitizen(h);
			const kase = await newCase(c.token);
			for (const [key, value] of Object.entries(complete))
				expect((await put(c.token, kase.id, key, value, 0)).status).toBe(200);
			await handInMaterials(h, c.token, kase.id);
			await h.request('POST', `/api/cases/${kase.id}/signature`, {
				token: c.token,
				body: { image: PNG }
			});
			const [submit, write] = await Promise.all([
				h.request('POST', `/api/cases/${kase.id}/submit`, { token: c.token }),
				node.request('PUT', `/api/cases/${kase.id}/fields/scope`, {
					token: c.token,
					body: { value: '改了经营范围', revision: 1 }
				})
			]);
			expect([submit.status, write.status].sort()).toEqual([200, 409]);
			const after = (
				await (await h.request('GET', `/api/cases/${kase.id}`, { token: c.token })).json()
			).case;
			if (submit.status === 200) {
				expect((await write.json()).error.code).toBe('case_locked');
				expect(after).toMatchObject({ status: 'submitted', signature: { valid: true } });
			} else {
				expect((await submit.json()).error.code).toBe('signature_required');
				expect(after).toMatchObject({ status: 'draft', signature: { valid: false } });
			}
		} finally {
			await node.close();
		}
	});

	it('staff start the session’s case on two nodes at once: one case, both get it', async () => {
		const node = secondNode();
		try {
			const c = await newCitizen(h);
			const agent = await h.loginAs('agent');
			const desk = await openDesk(h, agent);
			const { session } = await openVideoSession(h, agent, desk.id, { citizen: c });
			const body = { serviceId: license.id, sessionId: session.id };
			const [a, b] = await Promise.all([
				h.request('POST', '/api/cases', { token: agent, body }),
				node.request('POST', '/api/cases', { token: agent, body })
			]);
			expect([a.status, b.status]).toEqual([201, 201]);
			const [ca, cb] = [(await a.json()).case, (await b.json()).case];
			expect(ca.id).toBe(cb.id);
			expect(await count(h.store, `cases WHERE session_id = '${session.id}'`)).toBe(1);
			expect(
				await count(h.store, `case_events WHERE case_id = '${ca.id}' AND type = 'case.created'`)
			).toBe(1);
		} finally {
			await node.close();
		}
	});
});

describe('documents and signature', () => {
	it('refuses a renamed executable and an oversized file; stores a photo under its SHA-256', async () => {
		const c = await newCitizen(h);
		const kase = await newCase(c.token);
		const upload = (bytes: Uint8Array<ArrayBuffer>, name: string, type: string) => {
			const form = new FormData();
			form.set('material', '经营者身份证明');
			form.set('file', new File([bytes as Uint8Array<ArrayBuffer>], name, { type }));
			return h.app.request(`/api/cases/${kase.id}/documents`, {
				method: 'POST',
				body: form,
				headers: { authorization: `Bearer ${c.token}` }
			});
		};
		const exe = new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03, 0, 0, 0]);
		const refused = await upload(exe, 'photo.jpg', 'image/jpeg');
		expect(refused.status).toBe(415);
		const big = new Uint8Array(11 * 1024 * 1024);
		big.set([0xff, 0xd8, 0xff, 0xe0]);
		expect((await upload(big, 'big.jpg', 'image/jpeg')).status).toBe(413);
		const jpeg = new Uint8Array(5 * 1024 * 1024); // a phone photo: well over the 1 MB JSON limit
		jpeg.set([0xff, 0xd8, 0xff, 0xe0]);
		const ok = await upload(jpeg, 'id.jpg', 'image/jpeg');
		expect(ok.status).toBe(201);
		const doc = (await ok.json()).document;
		expect(doc).toMatchObject({
			mime: 'image/jpeg',
			size: 5 * 1024 * 1024,
			sha256: createHash('sha256').update(jpeg).digest('hex')
		});
	});

	it('a change after signing voids the signature; a new signature allows submitting', async () => {
		const c = await newCitizen(h);
		const kase = await newCase(c.token);
		for (const [key, value] of Object.entries(complete)) await put(c.token, kase.id, key, value, 0);
		await handInMaterials(h, c.token, kase.id);
		const signed = (
			await (
				await h.request('POST', `/api/cases/${kase.id}/signature`, {
					token: c.token,
					body: { image: PNG }
				})
			).json()
		).case;
		expect(signed.signature).toMatchObject({ valid: true });
		await put(c.token, kase.id, 'capital', 60000, 1);
		const after = (
			await (await h.request('GET', `/api/cases/${kase.id}`, { token: c.token })).json()
		).case;
		expect(after.signature.valid).toBe(false);
		expect(after.timeline.map((e: { type: string }) => e.type)).toContain('signature.voided');
		const refused = await h.request('POST', `/api/cases/${kase.id}/submit`, { token: c.token });
		expect((await refused.json()).error.code).toBe('signature_required');
		await h.request('POST', `/api/cases/${kase.id}/signature`, {
			token: c.token,
			body: { image: PNG }
		});
		expect(
			(await h.request('POST', `/api/cases/${kase.id}/submit`, { token: c.token })).status
		).toBe(200);
		const bad = await h.request('POST', `/api/cases/${kase.id}/signature`, {
			token: c.token,
			body: { image: 'data:image/png;base64,AAAA' }
		});
		expect(bad.status).toBe(409); // submitted cases cannot be re-signed
	});
});
