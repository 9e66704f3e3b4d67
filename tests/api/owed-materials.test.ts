// Honest submission (issue 16, point 1): the submit names every field and required material
// still missing; 容缺受理 lets a missing non-key material pass on the citizen's written promise,
// recorded by an agent in the live session, and the citizen is reminded before the due day.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deliverDueNotifications } from '../../server/notify/outbox.ts';
import { setCalendarDay } from '../../server/ratings/calendar.ts';
import { count, createHarness, START, type Harness } from './harness.ts';
import { newCitizen, serviceByCode } from './booking-helpers.ts';
import {
	handInMaterials,
	LICENSE,
	openDesk,
	openVideoSession,
	uploadMaterial,
	SIGNATURE_PNG as PNG,
	LICENSE_VALUES as complete
} from './builders.ts';

let h: Harness;
// START is Thursday 2026-11-26, 09:00 in the hall; 11-28/29 are a weekend
const KEY = '经营者身份证明';
const OWED = '经营场所使用证明';

beforeEach(async () => {
	h = await createHarness();
});
afterEach(() => h.close());

const getCase = async (token: string, id: string) =>
	(await (await h.request('GET', `/api/cases/${id}`, { token })).json()).case;

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
const sign = (token: string, caseId: string) =>
	h.request('POST', `/api/cases/${caseId}/signature`, { token, body: { image: PNG } });
const submit = (token: string, caseId: string) =>
	h.request('POST', `/api/cases/${caseId}/submit`, { token });
const owe = (token: string, caseId: string, body: Record<string, unknown>) =>
	h.request('POST', `/api/cases/${caseId}/owed-materials`, { token, body });

/** A citizen in an agent's live video session, with a draft case for the business licence. */
async function sessionCase() {
	const agent = await h.loginAs('agent');
	const desk = await openDesk(h, agent);
	const citizen = await newCitizen(h, '容缺群众');
	const { session } = await openVideoSession(h, agent, desk.id, { citizen });
	const item = await serviceByCode(h, LICENSE);
	const res = await h.request('POST', '/api/cases', {
		token: agent,
		body: { serviceId: item.id, sessionId: session.id }
	});
	expect(res.status).toBe(201);
	const kase = (await res.json()).case;
	return { agent, citizen, kase };
}

describe('submit names what blocks it', () => {
	it('refuses a case without its required materials, naming each field and material; nothing changes', async () => {
		const citizen = await newCitizen(h);
		const item = await serviceByCode(h, LICENSE);
		const kase = (
			await (
				await h.request('POST', '/api/cases', {
					token: citizen.token,
					body: { serviceId: item.id }
				})
			).json()
		).case;
		expect(kase.materials).toEqual([
			{ name: KEY, required: true, key: true },
			{ name: OWED, required: true, key: false },
			{ name: '个体工商户登记（备案）申请书', required: true, key: false }
		]);
		expect(kase.owedMaterials).toEqual([]);
		const { address: _address, ...most } = complete;
		for (const [key, value] of Object.entries(most))
			await h.request('PUT', `/api/cases/${kase.id}/fields/${key}`, {
				token: citizen.token,
				body: { value, revision: 0 }
			});
		expect((await uploadMaterial(h, citizen.token, kase.id, KEY)).status).toBe(201);
		await sign(citizen.token, kase.id);

		const refused = await submit(citizen.token, kase.id);
		expect(refused.status).toBe(400);
		const { error } = await refused.json();
		expect(error.code).toBe('validation_failed');
		expect(error.fields).toEqual({
			address: 'is required',
			[`materials.${OWED}`]: 'is required',
			'materials.个体工商户登记（备案）申请书': 'is required'
		});
		const after = await getCase(citizen.token, kase.id);
		expect(after).toMatchObject({ status: 'draft', receiptNo: null, submittedAt: null });

		// the rest handed in, the form completed and signed again: accepted
		await h.request('PUT', `/api/cases/${kase.id}/fields/address`, {
			token: citizen.token,
			body: { value: complete.address, revision: 0 }
		});
		await handInMaterials(h, citizen.token, kase.id, [KEY]);
		await sign(citizen.token, kase.id);
		expect((await submit(citizen.token, kase.id)).status).toBe(200);
	});
});

describe('容缺受理', () => {
	it('only staff in the live session record it; bad input answers 400 naming the field and records nothing', async () => {
		const { agent, citizen, kase } = await sessionCase();
		const good = {
			material: OWED,
			promise: '本人承诺于12月2日前补交租赁合同',
			dueDay: '2026-12-02'
		};
		// the citizen, staff reading the case outside the session, and another citizen may not
		expect((await owe(citizen.token, kase.id, good)).status).toBe(403);
		expect((await owe(await h.loginAs('supervisor'), kase.id, good)).status).toBe(403);
		expect((await owe((await newCitizen(h)).token, kase.id, good)).status).toBe(403);
		expect(
			(await h.request('POST', `/api/cases/${kase.id}/owed-materials`, { body: good })).status
		).toBe(401);

		const bad: [Record<string, unknown>, string][] = [
			[{ ...good, material: KEY }, 'material'], // 不可容缺
			[{ ...good, material: '营业执照' }, 'material'], // not a material of the item
			[{ ...good, material: undefined }, 'material'],
			[{ ...good, promise: '   ' }, 'promise'],
			[{ ...good, promise: '承'.repeat(301) }, 'promise'],
			[{ ...good, dueDay: '2026-11-26' }, 'dueDay'], // today
			[{ ...good, dueDay: '2026-11-20' }, 'dueDay'], // past
			[{ ...good, dueDay: '2026-11-28' }, 'dueDay'], // Saturday
			[{ ...good, dueDay: '2026-12-03' }, 'dueDay'], // a holiday, set below
			[{ ...good, dueDay: '2027-06-01' }, 'dueDay'], // too far
			[{ ...good, dueDay: '2026-02-30' }, 'dueDay'],
			[{ ...good, dueDay: '12/02/2026' }, 'dueDay']
		];
		await setCalendarDay(h.deps, '2026-12-03', { kind: 'holiday', name: '测试假日' });
		for (const [body, field] of bad) {
			const res = await owe(agent, kase.id, body);
			expect(res.status, JSON.stringify(body)).toBe(400);
			expect(Object.keys((await res.json()).error.fields), JSON.stringify(body)).toEqual([field]);
		}
		// a material handed in already needs no promise
		expect(
			(await uploadMaterial(h, citizen.token, kase.id, '个体工商户登记（备案）申请书')).status
		).toBe(201);
		const handed = await owe(agent, kase.id, { ...good, material: '个体工商户登记（备案）申请书' });
		expect(handed.status).toBe(400);
		expect((await getCase(citizen.token, kase.id)).owedMaterials).toEqual([]);
		expect(await count(h.store, "notifications WHERE kind = 'owed_material_reminder'")).toBe(0);
	});

	it('lets the submit pass, shows the material as owed, reminds the working day before, and takes it after submission', async () => {
		const { agent, citizen, kase } = await sessionCase();
		await fill(citizen.token, kase.id);
		await handInMaterials(h, citizen.token, kase.id, [OWED]);
		await sign(citizen.token, kase.id);
		expect((await submit(citizen.token, kase.id)).status).toBe(400);

		// due Monday 11-30: the reminder goes out on Friday 11-27 at 09:00, not on the weekend
		const res = await owe(agent, kase.id, {
			material: OWED,
			promise: '  本人承诺于11月30日前补交租赁合同  ',
			dueDay: '2026-11-30'
		});
		expect(res.status).toBe(200);
		const owed = (await res.json()).case.owedMaterials;
		expect(owed).toEqual([
			{
				material: OWED,
				promise: '本人承诺于11月30日前补交租赁合同',
				dueDay: '2026-11-30',
				recordedBy: { id: expect.any(String), name: '李静' },
				recordedAt: '2026-11-26T09:00:00.000+08:00',
				handedIn: false
			}
		]);
		const seen = await getCase(citizen.token, kase.id);
		expect(seen.owedMaterials).toEqual(owed);
		expect(seen.timeline.map((e: { type: string }) => e.type)).toContain('material.owed');
		expect(await count(h.store, "audit_log WHERE action = 'case.material_owed'")).toBe(1);

		const submitted = await submit(citizen.token, kase.id);
		expect(submitted.status).toBe(200);
		expect((await submitted.json()).case).toMatchObject({
			status: 'submitted',
			owedMaterials: [{ material: OWED, handedIn: false }]
		});

		// nothing before Friday 09:00
		h.clock.now = Date.parse('2026-11-27T00:59:00Z');
		await deliverDueNotifications(h.deps);
		expect(h.sms.sent.filter((s) => s.phone === citizen.phone)).toEqual([]);
		h.clock.now = Date.parse('2026-11-27T01:00:00Z');
		await deliverDueNotifications(h.deps);
		expect(h.sms.sent.filter((s) => s.phone === citizen.phone)).toEqual([
			{
				phone: citizen.phone,
				text: `【云上大厅】提醒：您承诺在2026-11-30前补交个体工商户设立登记的材料“${OWED}”，请按时提交。`,
				key: expect.any(String) // the notice's id: the gateway's idempotency key
			}
		]);
		const notices = (
			await (await h.request('GET', '/api/notifications', { token: citizen.token })).json()
		).notifications;
		expect(notices).toContainEqual(
			expect.objectContaining({
				kind: 'owed_material_reminder',
				params: { serviceName: '个体工商户设立登记', material: OWED, dueDay: '2026-11-30' },
				link: `/cases/${kase.id}`
			})
		);

		// the submitted case still takes the owed material (and only that one)
		expect((await uploadMaterial(h, citizen.token, kase.id, KEY)).status).toBe(409);
		expect((await uploadMaterial(h, citizen.token, kase.id, OWED)).status).toBe(201);
		expect((await getCase(citizen.token, kase.id)).owedMaterials).toMatchObject([
			{ material: OWED, handedIn: true }
		]);
		expect((await uploadMaterial(h, citizen.token, kase.id, OWED)).status).toBe(409);
	});

	it('a rejected case is no longer reminded of what it owes', async () => {
		const { agent, citizen, kase } = await sessionCase();
		await fill(citizen.token, kase.id);
		await handInMaterials(h, citizen.token, kase.id, [OWED]);
		await sign(citizen.token, kase.id);
		const body = { material: OWED, promise: '本人承诺补交', dueDay: '2026-12-02' };
		expect((await owe(agent, kase.id, body)).status).toBe(200);
		expect((await submit(citizen.token, kase.id)).status).toBe(200);
		for (const step of ['accept', 'forward', 'reject'])
			expect(
				(await h.request('POST', `/api/cases/${kase.id}/${step}`, { token: agent, body: {} }))
					.status,
				step
			).toBe(200);
		expect(
			await count(
				h.store,
				"notifications WHERE kind = 'owed_material_reminder' AND cancelled_at IS NULL"
			)
		).toBe(0);
		// nor may it still hand the material in
		expect((await uploadMaterial(h, citizen.token, kase.id, OWED)).status).toBe(409);
	});

	it('a new promise replaces the reminder of the earlier one; handing the material in cancels it', async () => {
		const { agent, citizen, kase } = await sessionCase();
		const body = { material: OWED, promise: '本人承诺补交', dueDay: '2026-12-02' };
		expect((await owe(agent, kase.id, body)).status).toBe(200);
		expect((await owe(agent, kase.id, { ...body, dueDay: '2026-12-04' })).status).toBe(200);
		const live = () =>
			h.store.all<{ due_at: number }>(
				"SELECT due_at FROM notifications WHERE kind = 'owed_material_reminder' AND channel = 'sms' AND cancelled_at IS NULL"
			);
		// Thursday 12-03, 09:00 in the hall
		expect(await live()).toEqual([{ due_at: Date.parse('2026-12-03T01:00:00Z') }]);
		expect((await getCase(citizen.token, kase.id)).owedMaterials).toMatchObject([
			{ dueDay: '2026-12-04' }
		]);
		expect((await uploadMaterial(h, citizen.token, kase.id, OWED)).status).toBe(201);
		expect(await live()).toEqual([]);
		h.clock.now = START + 30 * 86_400_000;
		await deliverDueNotifications(h.deps);
		expect(h.sms.sent.filter((s) => s.phone === citizen.phone)).toEqual([]);
	});
});
