// Case rules raced by two nodes of the hall on one database (docs/transactions.md listed them with
// no race test): a staff value confirmed twice, an upload against the submit, a signature against
// a field write, a document review against the decision, a material owed while it is uploaded,
// and one item's form published twice. Each rule takes the case row lock (the service item's for
// the form), so the case's events record the order in which the two really applied: each test
// checks the outcome against that order. Every test builds its own cases on a fresh hall.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { count, createHarness, type Harness } from './harness.ts';
import { newCitizen, serviceByCode } from './booking-helpers.ts';
import {
	handInMaterials,
	LICENSE,
	LICENSE_VALUES as complete,
	openDesk,
	openVideoSession,
	PNG_BYTES,
	SIGNATURE_PNG as PNG
} from './builders.ts';
import { answer, byRound, withSecondNode, type HallNode } from './two-nodes.ts';

let h: Harness;
let license: { id: string };

beforeEach(async () => {
	h = await createHarness();
	license = await serviceByCode(h, LICENSE);
});
afterEach(() => h.close());

const ROUNDS = 10;
/** 经营场所使用证明: required, not a key material (may be owed). */
const OWED = '经营场所使用证明';

async function newCase(token: string, body: Record<string, unknown> = { serviceId: license.id }) {
	const res = await h.request('POST', '/api/cases', { token, body });
	expect(res.status).toBe(201);
	return (await res.json()).case as { id: string };
}

async function fill(token: string, caseId: string) {
	for (const [key, value] of Object.entries(complete))
		expect(
			(
				await h.request('PUT', `/api/cases/${caseId}/fields/${key}`, {
					token,
					body: { value, revision: 0 }
				})
			).status
		).toBe(200);
}

async function sign(token: string, caseId: string) {
	const res = await h.request('POST', `/api/cases/${caseId}/signature`, {
		token,
		body: { image: PNG }
	});
	expect(res.status).toBe(200);
}

/** A citizen's own case, filled in, with every required material and signed: ready to submit. */
async function readyCase() {
	const citizen = await newCitizen(h);
	const kase = await newCase(citizen.token);
	await fill(citizen.token, kase.id);
	await handInMaterials(h, citizen.token, kase.id);
	await sign(citizen.token, kase.id);
	return { citizen, kase };
}

/** A material's document uploaded through a node (multipart, as the form sends it). */
function upload(node: HallNode, token: string, caseId: string, material: string) {
	const form = new FormData();
	form.set('material', material);
	form.set('file', new File([new Uint8Array(PNG_BYTES)], `${material}.png`));
	return node.raw(`/api/cases/${caseId}/documents`, {
		method: 'POST',
		body: form,
		headers: { authorization: `Bearer ${token}` }
	});
}

/** The id of the case's one event of the type (the events commit in the case lock's order). */
async function eventId(caseId: string, type: string) {
	const rows = await h.store.all<{ id: number }>(
		'SELECT id FROM case_events WHERE case_id = ? AND type = ? ORDER BY id',
		[caseId, type]
	);
	expect(rows, `${type} events`).toHaveLength(1);
	return Number(rows[0].id);
}

const caseRow = (id: string) =>
	h.store.get<{ status: string }>('SELECT status FROM cases WHERE id = ?', [id]);

describe('cases on two nodes at once', () => {
	it('a citizen confirms a staff value on both nodes at once: confirmed once, one event', async () => {
		await withSecondNode(h, async (second, first) => {
			const citizen = await newCitizen(h);
			const agent = await h.loginAs('agent');
			const desk = await openDesk(h, agent);
			const { session } = await openVideoSession(h, agent, desk.id, { citizen });
			const kase = await newCase(agent, { serviceId: license.id, sessionId: session.id });
			for (let round = 0; round < ROUNDS; round++) {
				// staff enter a new value: the citizen must confirm it again
				const put = await h.request('PUT', `/api/cases/${kase.id}/fields/scope`, {
					token: agent,
					body: { value: `日用百货零售 ${round}`, revision: round }
				});
				expect(put.status, `round ${round}`).toBe(200);
				const url = `/api/cases/${kase.id}/fields/scope/confirm`;
				const [a, b] = byRound(round, first, second);
				const results = await Promise.all([
					a.request('POST', url, { token: citizen.token }).then(answer),
					b.request('POST', url, { token: citizen.token }).then(answer)
				]);
				expect(results.map((r) => r.status)).toEqual([200, 200]);
				for (const r of results) expect(r.body.field).toMatchObject({ confirmed: true });
				expect(
					await count(
						h.store,
						`case_events WHERE case_id = '${kase.id}' AND type = 'field.confirmed'`
					),
					`round ${round}`
				).toBe(round + 1);
			}
		});
	});

	it('an upload racing the submit: the document lands before the submit or is refused case_locked', async () => {
		await withSecondNode(h, async (second, first) => {
			for (let round = 0; round < ROUNDS; round++) {
				const { citizen, kase } = await readyCase();
				const [uploadOn, submitOn] = byRound(round, first, second);
				const [uploaded, submitted] = await Promise.all([
					upload(uploadOn, citizen.token, kase.id, OWED).then(answer),
					submitOn
						.request('POST', `/api/cases/${kase.id}/submit`, { token: citizen.token })
						.then(answer)
				]);
				expect(submitted.status, `round ${round}`).toBe(200);
				expect((await caseRow(kase.id))!.status).toBe('submitted');
				const documents = await count(
					h.store,
					`case_documents WHERE case_id = '${kase.id}' AND material = '${OWED}'`
				);
				if (uploaded.status === 201) {
					expect(documents).toBe(2);
					const uploads = await h.store.all<{ id: number }>(
						"SELECT id FROM case_events WHERE case_id = ? AND type = 'document.uploaded' ORDER BY id",
						[kase.id]
					);
					// the late upload committed before the submit, never after it
					expect(Number(uploads.at(-1)!.id)).toBeLessThan(await eventId(kase.id, 'case.submitted'));
				} else {
					expect(uploaded.status, `round ${round} ${JSON.stringify(uploaded.body)}`).toBe(409);
					expect(uploaded.code).toBe('case_locked');
					expect(documents).toBe(1);
				}
			}
		});
	});

	it('a signature racing a field write on another node: the signature is valid exactly when it came after the write', async () => {
		await withSecondNode(h, async (second, first) => {
			const citizen = await newCitizen(h);
			const kase = await newCase(citizen.token);
			await fill(citizen.token, kase.id);
			for (let round = 0; round < ROUNDS; round++) {
				const [signOn, writeOn] = byRound(round, first, second);
				const [signed, written] = await Promise.all([
					signOn
						.request('POST', `/api/cases/${kase.id}/signature`, {
							token: citizen.token,
							body: { image: PNG }
						})
						.then(answer),
					writeOn
						.request('PUT', `/api/cases/${kase.id}/fields/scope`, {
							token: citizen.token,
							body: { value: `日用百货零售 ${round}`, revision: round + 1 }
						})
						.then(answer)
				]);
				expect([signed.status, written.status], `round ${round}`).toEqual([200, 200]);
				const events = await h.store.all<{ id: number; type: string }>(
					"SELECT id, type FROM case_events WHERE case_id = ? AND type IN ('case.signed', 'field.changed') ORDER BY id DESC LIMIT 2",
					[kase.id]
				);
				const signedLast = events[0].type === 'case.signed';
				const view = (
					await (await h.request('GET', `/api/cases/${kase.id}`, { token: citizen.token })).json()
				).case as { signature: { valid: boolean } };
				expect(
					view.signature.valid,
					`round ${round}: signed ${signedLast ? 'after' : 'before'}`
				).toBe(signedLast);
			}
		});
	});

	it('a document review racing the decision on another node: a verdict lands before the approval or is refused case_locked', async () => {
		await withSecondNode(h, async (second, first) => {
			const agent = await h.loginAs('agent');
			for (let round = 0; round < ROUNDS; round++) {
				const { citizen, kase } = await readyCase();
				const submit = await h.request('POST', `/api/cases/${kase.id}/submit`, {
					token: citizen.token
				});
				expect(submit.status).toBe(200);
				for (const step of ['accept', 'forward'])
					expect(
						(await h.request('POST', `/api/cases/${kase.id}/${step}`, { token: agent, body: {} }))
							.status,
						step
					).toBe(200);
				const documentId = (await h.store.get<{ id: string }>(
					'SELECT id FROM case_documents WHERE case_id = ? AND material = ?',
					[kase.id, OWED]
				))!.id;
				const [reviewOn, decideOn] = byRound(round, first, second);
				const [reviewed, approved] = await Promise.all([
					reviewOn
						.request('POST', `/api/cases/${kase.id}/documents/${documentId}/review`, {
							token: agent,
							body: { verdict: 'accepted' }
						})
						.then(answer),
					decideOn
						.request('POST', `/api/cases/${kase.id}/approve`, { token: agent, body: {} })
						.then(answer)
				]);
				expect(approved.status, `round ${round} ${JSON.stringify(approved.body)}`).toBe(200);
				expect((await caseRow(kase.id))!.status).toBe('approved');
				const verdict = await h.store.get<{ review_verdict: string | null }>(
					'SELECT review_verdict FROM case_documents WHERE id = ?',
					[documentId]
				);
				if (reviewed.status === 200) {
					expect(verdict!.review_verdict).toBe('accepted');
					expect(await eventId(kase.id, 'document.reviewed')).toBeLessThan(
						await eventId(kase.id, 'case.approved')
					);
				} else {
					expect(reviewed.status, `round ${round} ${JSON.stringify(reviewed.body)}`).toBe(409);
					expect(reviewed.code).toBe('case_locked');
					expect(verdict!.review_verdict).toBeNull();
					expect(
						await count(
							h.store,
							`case_events WHERE case_id = '${kase.id}' AND type = 'document.reviewed'`
						)
					).toBe(0);
				}
			}
		});
	});

	it('a material owed on one node while the citizen uploads it on the other: owed only before it was handed in, no reminder left', async () => {
		await withSecondNode(h, async (second, first) => {
			const agent = await h.loginAs('agent');
			const desk = await openDesk(h, agent);
			for (let round = 0; round < ROUNDS; round++) {
				const { citizen, ticket, session } = await openVideoSession(h, agent, desk.id);
				const kase = await newCase(agent, { serviceId: license.id, sessionId: session.id });
				const [oweOn, uploadOn] = byRound(round, first, second);
				const [owed, uploaded] = await Promise.all([
					oweOn
						.request('POST', `/api/cases/${kase.id}/owed-materials`, {
							token: agent,
							body: { material: OWED, promise: '本人承诺于12月2日前补交', dueDay: '2026-12-02' }
						})
						.then(answer),
					upload(uploadOn, citizen.token, kase.id, OWED).then(answer)
				]);
				expect(uploaded.status, `round ${round} ${JSON.stringify(uploaded.body)}`).toBe(201);
				const owedRows = await count(
					h.store,
					`case_owed_materials WHERE case_id = '${kase.id}' AND material = '${OWED}'`
				);
				if (owed.status === 200) {
					expect(owedRows).toBe(1);
					expect(await eventId(kase.id, 'material.owed')).toBeLessThan(
						await eventId(kase.id, 'document.uploaded')
					);
				} else {
					expect(owed.status, `round ${round} ${JSON.stringify(owed.body)}`).toBe(400);
					expect(owed.body.error).toMatchObject({ fields: { material: expect.any(String) } });
					expect(owedRows).toBe(0);
				}
				// handed in: no reminder waits to go out
				expect(
					await count(
						h.store,
						`notifications WHERE dedupe_key LIKE 'owed_material:${kase.id}:%' AND sent_at IS NULL AND cancelled_at IS NULL`
					),
					`round ${round}`
				).toBe(0);
				expect(
					(await h.request('POST', `/api/queue/tickets/${ticket.id}/finish`, { token: agent }))
						.status
				).toBe(200);
			}
		});
	});

	it('two admins publish the same item’s form on two nodes at once: consecutive versions, each once', async () => {
		await withSecondNode(h, async (second, first) => {
			const admin = await h.loginAs('admin');
			const current = (await (
				await h.request('GET', `/api/services/${license.id}/form-template`)
			).json()) as { version: number; definition: unknown };
			for (let round = 0; round < ROUNDS; round++) {
				const body = { serviceId: license.id, definition: current.definition };
				const results = await Promise.all([
					first.request('POST', '/api/admin/form-templates', { token: admin, body }).then(answer),
					second.request('POST', '/api/admin/form-templates', { token: admin, body }).then(answer)
				]);
				expect(
					results.map((r) => r.status),
					JSON.stringify(results.map((r) => r.body))
				).toEqual([201, 201]);
				const base = current.version + 2 * round;
				expect(results.map((r) => r.body.version as number).sort()).toEqual([base + 1, base + 2]);
			}
			const versions = await h.store.all<{ version: number }>(
				'SELECT version FROM form_templates WHERE service_item_id = ? ORDER BY version',
				[license.id]
			);
			expect(versions.map((v) => Number(v.version))).toEqual(
				Array.from({ length: current.version + 2 * ROUNDS }, (_, i) => i + 1)
			);
		});
	});
});
