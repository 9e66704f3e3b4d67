// 入户办 (issue 23 item 2's end): at the resident's home, the grid worker who started the
// resident's video ticket fills the application with them during the video session, the
// resident signs on the grid worker's tablet, and the grid worker submits. The record names both:
// the grid worker as the one who acted (as 'grid'), the resident as the one acted for. Staff
// steps stay staff's, and no other grid worker reaches the case. Runs on SQLite and PostgreSQL.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './harness.ts';
import { newCitizen, serviceByCode } from './booking-helpers.ts';
import {
	LICENSE,
	LICENSE_VALUES,
	SIGNATURE_PNG,
	callNext,
	handInMaterials,
	newStaff,
	openDesk,
	openVideoSession,
	uploadMaterial,
	type Citizen
} from './builders.ts';
import { answer } from './two-nodes.ts';

let h: Harness;
let license: { id: string; name: string };
let community: string;

beforeEach(async () => {
	h = await createHarness();
	license = await serviceByCode(h, LICENSE);
	community = (await h.store.get<{ id: string }>(
		"SELECT id FROM org_units WHERE code = '370281001001'"
	))!.id;
});
afterEach(() => h.close());

const json = async (res: Response | Promise<Response>) => answer(await res);
const post = (token: string, path: string, body?: unknown) =>
	json(h.request('POST', path, { token, ...(body === undefined ? {} : { body }) }));
const put = (token: string, path: string, body: unknown) =>
	json(h.request('PUT', path, { token, body }));
const get = (token: string, path: string) => json(h.request('GET', path, { token }));

type Field = { key: string; value: unknown; revision: number; source: string; updatedBy: string };
type CaseEvent = {
	type: string;
	actorId: string | null;
	actedAs: string | null;
	actedFor: { id: string; name: string } | null;
	payload: Record<string, unknown>;
};
type Kase = {
	id: string;
	status: string;
	fields: Field[];
	documents: { id: string; material: string }[];
	timeline: CaseEvent[];
};

const idOf = async (token: string) =>
	((await get(token, '/api/me')).body.user as { id: string }).id;

/**
 * The whole 入户办 up to the form: the resident asks, the demo grid worker takes, schedules and
 * records consent, starts the video ticket; the agent calls it, opens the session, admits the
 * resident (and so the grid worker) and starts the case. The harness has no LiveKit: the session
 * exists, its tokens answer 503.
 */
async function homeVisitCase(resident: Citizen) {
	const grid = await h.loginAs('grid');
	const agent = await h.loginAs('agent');
	const desk = await openDesk(h, agent);
	const asked = await post(resident.token, '/api/home-visits', {
		serviceId: license.id,
		communityId: community,
		address: '胶州市阜安街道郑州路 88 号 2 单元 301',
		reason: 'elderly'
	});
	expect(asked.status, JSON.stringify(asked.body)).toBe(201);
	const visitId = (asked.body.visit as { id: string }).id;
	expect((await post(grid, `/api/home-visits/${visitId}/accept`)).status).toBe(200);
	const at = new Date(h.clock.now + 60 * 60_000).toISOString();
	expect((await post(grid, `/api/home-visits/${visitId}/schedule`, { at })).status).toBe(200);
	expect(
		(await post(grid, `/api/home-visits/${visitId}/consent`, { method: 'verbal' })).status
	).toBe(200);
	expect((await post(grid, `/api/home-visits/${visitId}/start-ticket`)).status).toBe(201);
	const called = await callNext(h, agent, desk.id);
	const opened = await post(agent, '/api/video-sessions', { ticketId: called!.id });
	expect(opened.status).toBe(201);
	const sessionId = (opened.body.session as { id: string }).id;
	expect((await post(agent, `/api/video-sessions/${sessionId}/admit`)).status).toBe(200);
	const created = await post(agent, '/api/cases', { serviceId: license.id, sessionId });
	expect(created.status, JSON.stringify(created.body)).toBe(201);
	return {
		grid,
		agent,
		desk,
		ticketId: called!.id,
		sessionId,
		caseId: (created.body.case as Kase).id
	};
}

/** Writes every field of the licence form (each at its current revision) as `token`. */
async function fillForm(token: string, caseId: string) {
	for (const [key, value] of Object.entries(LICENSE_VALUES)) {
		const kase = (await get(token, `/api/cases/${caseId}`)).body.case as Kase;
		const revision = kase.fields.find((f) => f.key === key)!.revision;
		const res = await put(token, `/api/cases/${caseId}/fields/${key}`, { value, revision });
		expect(res.status, `${key}: ${JSON.stringify(res.body)}`).toBe(200);
	}
}

/** The first event of `type` on the case's stream (from the start) that `matches`, as sent. */
async function firstEvent(
	token: string,
	caseId: string,
	type: string,
	matches: (data: CaseEvent) => boolean
): Promise<CaseEvent> {
	const stream = await h.request('GET', `/api/cases/${caseId}/events?lastEventId=0`, { token });
	expect(stream.status).toBe(200);
	expect(stream.headers.get('content-type')).toMatch(/text\/event-stream/);
	const reader = stream.body!.getReader();
	let text = '';
	try {
		for (;;) {
			// complete blocks only: the text after the last blank line may be half an event
			const found = text
				.split('\n\n')
				.slice(0, -1)
				.filter((block) => block.includes(`event: ${type}\n`))
				.map(
					(block) =>
						JSON.parse(
							block
								.split('\n')
								.find((l) => l.startsWith('data: '))!
								.slice(6)
						) as CaseEvent
				)
				.find(matches);
			if (found) return found;
			const { value, done } = await reader.read();
			if (done) throw new Error(`the stream ended before ${type}`);
			text += new TextDecoder().decode(value);
		}
	} finally {
		await reader.cancel();
	}
}

describe('入户办: the grid worker fills the application with the resident', () => {
	it('writes, confirms the agent’s value, uploads, puts the resident’s signature drawn on the tablet, submits; the timeline and the receipt name both', async () => {
		const resident = await newCitizen(h, '王秀英');
		const { grid, agent, caseId } = await homeVisitCase(resident);
		const gridId = await idOf(grid);

		// the grid worker sits beside the resident: the ID number in full
		const seen = await get(grid, `/api/cases/${caseId}`);
		expect(seen.status, JSON.stringify(seen.body)).toBe(200);
		await fillForm(grid, caseId);
		const filled = (await get(grid, `/api/cases/${caseId}`)).body.case as Kase;
		expect(filled.fields.find((f) => f.key === 'idNumber')?.value).toBe(LICENSE_VALUES.idNumber);
		// typed for the resident: the applicant's own value, naming the grid worker who typed it
		expect(filled.fields.find((f) => f.key === 'name')).toMatchObject({
			source: 'citizen',
			updatedBy: gridId
		});

		// the agent corrects a value; the resident confirms it on the tablet
		const scope = filled.fields.find((f) => f.key === 'scope')!;
		const corrected = await put(agent, `/api/cases/${caseId}/fields/scope`, {
			value: '日用百货、文具零售',
			revision: scope.revision
		});
		expect(corrected.status).toBe(200);
		expect((corrected.body.field as Field).source).toBe('staff');
		// the tablet's open form hears the correction on the case's stream
		const heard = await firstEvent(grid, caseId, 'field.changed', (d) => d.actorId !== gridId);
		expect(heard).toMatchObject({ payload: { key: 'scope', source: 'staff' }, actedAs: 'staff' });
		const confirmed = await post(grid, `/api/cases/${caseId}/fields/scope/confirm`);
		expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
		expect(confirmed.body.field).toMatchObject({ confirmed: true });

		await handInMaterials(h, grid, caseId);
		const signed = await post(grid, `/api/cases/${caseId}/signature`, { image: SIGNATURE_PNG });
		expect(signed.status, JSON.stringify(signed.body)).toBe(200);
		const submitted = await post(grid, `/api/cases/${caseId}/submit`);
		expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
		expect((submitted.body.case as Kase).status).toBe('submitted');

		// the resident's own view of the record: who acted (the grid worker) and for whom (her)
		const mine = (await get(resident.token, `/api/cases/${caseId}`)).body.case as Kase;
		const forHer = { id: resident.id, name: '王秀英' };
		const byGrid = (type: string) =>
			mine.timeline.filter((e) => e.type === type && e.actorId === gridId);
		for (const type of [
			'field.changed',
			'field.confirmed',
			'document.uploaded',
			'case.signed',
			'case.submitted'
		]) {
			expect(byGrid(type).length, type).toBeGreaterThan(0);
			for (const e of byGrid(type))
				expect(e, type).toMatchObject({ actedAs: 'grid', actedFor: forHer });
		}
		// the agent's step stays staff's, for no one
		expect(
			mine.timeline.find((e) => e.type === 'field.changed' && e.actorId !== gridId)
		).toMatchObject({ actedAs: 'staff', actedFor: null });
		// her signature, drawn on his tablet
		expect(byGrid('case.signed')[0].payload).toMatchObject({
			signedBy: resident.id,
			signedOnDeviceOf: gridId
		});

		const receipt = await get(resident.token, `/api/cases/${caseId}/receipt`);
		expect(receipt.status, JSON.stringify(receipt.body)).toBe(200);
		expect(receipt.body.applicant).toMatchObject({ name: '王秀英' });
		expect(receipt.body.submittedBy).toEqual({ id: gridId, name: '赵秀梅', as: 'grid' });

		// she hears it on her own phone and in the hall, the grid worker named
		const notices = await get(resident.token, '/api/notifications');
		expect(notices.body.notifications).toContainEqual(
			expect.objectContaining({
				kind: 'grid_case_submitted',
				params: expect.objectContaining({ gridWorkerName: '赵秀梅' })
			})
		);
		const sms = await h.store.get<{ n: number }>(
			"SELECT count(*) AS n FROM notifications WHERE user_id = ? AND kind = 'grid_case_submitted' AND channel = 'sms'",
			[resident.id]
		);
		expect(sms).toEqual({ n: 1 });
	});

	it('the grid worker does no staff step: reviewing a document, an owed material, pointing 403; the receipt route is not theirs', async () => {
		const resident = await newCitizen(h, '王秀英');
		const { grid, agent, caseId } = await homeVisitCase(resident);
		const material = (
			(await get(grid, `/api/cases/${caseId}`)).body.case as Kase & {
				materials: { name: string }[];
			}
		).materials[0].name;
		const uploaded = await json(uploadMaterial(h, grid, caseId, material));
		expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
		const documentId = (uploaded.body.document as { id: string }).id;

		const review = await post(grid, `/api/cases/${caseId}/documents/${documentId}/review`, {
			verdict: 'accepted'
		});
		expect(review.status).toBe(403);
		expect(
			(
				await post(grid, `/api/cases/${caseId}/owed-materials`, {
					material,
					dueDay: '2030-01-02',
					promise: '下周补交'
				})
			).status
		).toBe(403);
		expect((await post(grid, `/api/cases/${caseId}/point`, { key: 'name' })).status).toBe(403);
		expect((await get(grid, `/api/cases/${caseId}/receipt`)).status).toBe(403);
		// the agent in the session still reviews what the grid worker uploaded
		expect(
			(
				await post(agent, `/api/cases/${caseId}/documents/${documentId}/review`, {
					verdict: 'accepted'
				})
			).status
		).toBe(200);
	});

	it('another grid worker of the community, and the same grid worker on a case without their visit, get 404', async () => {
		const resident = await newCitizen(h, '王秀英');
		const { grid, agent, desk, ticketId, sessionId, caseId } = await homeVisitCase(resident);
		const colleague = await newStaff(h, {
			username: 'grid-case',
			role: 'grid',
			orgUnitId: community,
			name: '孙网格'
		});
		expect((await get(colleague, `/api/cases/${caseId}`)).status).toBe(404);
		expect(
			(await put(colleague, `/api/cases/${caseId}/fields/name`, { value: '王', revision: 0 }))
				.status
		).toBe(404);
		expect((await post(colleague, `/api/cases/${caseId}/submit`)).status).toBe(404);
		expect(
			(await post(colleague, `/api/cases/${caseId}/signature`, { image: SIGNATURE_PNG })).status
		).toBe(404);

		// the same grid worker: another resident's own online case, and a video session that no
		// visit of theirs started
		const other = await newCitizen(h, '李桂芝');
		const online = await post(other.token, '/api/cases', { serviceId: license.id });
		expect(online.status).toBe(201);
		expect((await get(grid, `/api/cases/${(online.body.case as Kase).id}`)).status).toBe(404);
		// once the agent ends the 入户办 session, the grid worker has no part in the case any more
		expect((await post(agent, `/api/video-sessions/${sessionId}/end`)).status).toBe(200);
		expect((await get(grid, `/api/cases/${caseId}`)).status).toBe(404);
		// the desk is free for the next citizen
		expect((await post(agent, `/api/queue/tickets/${ticketId}/finish`)).status).toBe(200);
		const plain = await openVideoSession(h, agent, desk.id, { citizenName: '张凤兰' });
		expect((await post(agent, `/api/video-sessions/${plain.session.id}/admit`)).status).toBe(200);
		const walkIn = await post(agent, '/api/cases', {
			serviceId: license.id,
			sessionId: plain.session.id
		});
		expect(walkIn.status).toBe(201);
		const walkInId = (walkIn.body.case as Kase).id;
		expect((await get(grid, `/api/cases/${walkInId}`)).status).toBe(404);
		expect(
			(await put(grid, `/api/cases/${walkInId}/fields/name`, { value: '张', revision: 0 })).status
		).toBe(404);
	});

	it('once the agent removes the resident from the session, the grid worker has no part in her case', async () => {
		const resident = await newCitizen(h, '王秀英');
		const { grid, agent, sessionId, caseId } = await homeVisitCase(resident);
		expect((await get(grid, `/api/cases/${caseId}`)).status).toBe(200);
		expect(
			(await post(agent, `/api/video-sessions/${sessionId}/remove`, { userId: resident.id })).status
		).toBe(200);
		expect((await get(grid, `/api/cases/${caseId}`)).status).toBe(404);
		expect(
			(await put(grid, `/api/cases/${caseId}/fields/name`, { value: '王', revision: 0 })).status
		).toBe(404);
	});
});
