// 一件事一次办 (issue 24) through the API: one union form, materials once, a split into parts
// routed to their departments, parts worked in parallel, a correction made once, completion
// when every part is done, and each department seeing only its part.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './harness.ts';
import { newCitizen } from './booking-helpers.ts';
import { openDesk, openVideoSession } from './builders.ts';
import {
	APPLICATION_VALUES,
	approvePart,
	departmentAgent,
	documentAndSign,
	fillFields,
	newLifeEvent,
	submittedApplication,
	type ApplicationCase
} from './life-event-builders.ts';
import { creditCodeCheck } from '../../shared/forms/validators.ts';

let h: Harness;
beforeEach(async () => {
	h = await createHarness();
});
afterEach(() => h.close());

/** A valid 统一社会信用代码 with this 17-character stem. */
const creditCode = (stem: string) => stem + creditCodeCheck(stem);
const LICENCE_NO = creditCode('92370281MA3C4D5E6');

const getCase = async (token: string, id: string) => {
	const res = await h.request('GET', `/api/cases/${id}`, { token });
	return { status: res.status, case: res.status === 200 ? (await res.json()).case : null };
};
const partOf = (app: ApplicationCase, itemId: string) =>
	app.application.parts.find((p) => p.itemId === itemId)!;

describe('the union form', () => {
	it('asks the questions first, each shared field once, and an item’s own fields only when it applies', async () => {
		const event = await newLifeEvent(h);
		const citizen = await newCitizen(h);
		const res = await h.request('POST', '/api/cases', {
			token: citizen.token,
			body: { serviceId: event.themeId }
		});
		expect(res.status).toBe(201);
		const kase = (await res.json()).case;
		const sections = kase.template.definition.sections as {
			id: string;
			fields: { key: string; visibleIf?: { field: string; in: string[] } }[];
		}[];
		expect(sections[0].fields.map((f) => f.key)).toEqual(['sellsAlcohol']);
		const keys = sections.flatMap((s) => s.fields.map((f) => f.key));
		// name, ID number, phone and the shop's address: asked once for every item that has them
		for (const shared of ['name', 'idNumber', 'phone', 'address', 'shopName'])
			expect(keys.filter((k) => k === shared)).toHaveLength(1);
		expect(sections.find((s) => s.id === 'shared')!.fields.map((f) => f.key)).toEqual(
			expect.arrayContaining(['name', 'idNumber', 'phone', 'address', 'shopName'])
		);
		// the licence number comes from the licence part's result: never asked
		expect(keys).not.toContain('licenceNo');
		const liquor = sections.flatMap((s) => s.fields).find((f) => f.key === 'liquorKinds')!;
		expect(liquor.visibleIf).toEqual({ field: 'sellsAlcohol', in: ['yes'] });
		// materials: the ID card once for three items, no 申请书 (the form stands for them), no
		// licence copy (the licence part's result), the alcohol item's only if it applies
		const names = (kase.materials as { name: string }[]).map((m) => m.name);
		expect(names.filter((n) => n === '居民身份证')).toHaveLength(1);
		expect(names).not.toContain('经营者身份证明');
		expect(names).not.toContain('营业执照复印件');
		expect(names).not.toContain('食品经营许可申请书');
		expect(names).toEqual(
			expect.arrayContaining(['经营场所使用证明', '经营场所平面图和设备布局图', '食品安全管理制度'])
		);
	});

	it('refuses a definition that cannot be built, naming what is wrong, and changes nothing', async () => {
		const event = await newLifeEvent(h);
		const admin = await h.loginAs('admin');
		const bad = {
			...event.definition,
			parts: [
				{ itemId: event.items.licence },
				// waits for an item named after it
				{ itemId: event.items.food, waitsFor: { itemId: event.items.pension } },
				{ itemId: event.items.pension }
			]
		};
		const res = await h.request('POST', `/api/admin/life-events/${event.themeId}/versions`, {
			token: admin,
			body: bad
		});
		expect(res.status).toBe(400);
		expect((await res.json()).error.fields).toEqual({
			'parts.1.waitsFor.itemId': 'must be an item named before this one'
		});
		const latest = await h.request('GET', `/api/admin/life-events/${event.themeId}`, {
			token: admin
		});
		expect((await latest.json()).lifeEvent.version).toBe(1);
		// an item form editor cannot overwrite the life event's form
		const form = await h.request('POST', '/api/admin/form-templates', {
			token: admin,
			body: { serviceId: event.themeId, definition: event.version.template.definition }
		});
		expect(form.status).toBe(409);
	});

	it('lets only admins publish: 401 without a session, 403 for an agent', async () => {
		const event = await newLifeEvent(h);
		const path = `/api/admin/life-events/${event.themeId}/versions`;
		expect((await h.request('POST', path, { body: event.definition })).status).toBe(401);
		const agent = await h.loginAs('agent');
		expect((await h.request('POST', path, { token: agent, body: event.definition })).status).toBe(
			403
		);
		const offers = await h.request('GET', '/api/life-events');
		const offer = (await offers.json()).lifeEvents.find(
			(l: { themeItemId: string }) => l.themeItemId === event.themeId
		);
		expect(offer.items.map((i: { conditional: boolean }) => i.conditional)).toEqual([
			false,
			false,
			false,
			true
		]);
	});
});

describe('submitting an application', () => {
	it('splits it into one part per item that applies, each routed to its department with one copy of each material', async () => {
		const event = await newLifeEvent(h);
		const citizen = await newCitizen(h);
		const app = await submittedApplication(h, citizen.token, event.themeId);
		expect(app.status).toBe('in_review');
		expect(app.application.parts.map((p) => [p.itemId, p.state])).toEqual([
			[event.items.licence, 'submitted'],
			[event.items.food, 'waiting'],
			[event.items.pension, 'submitted']
		]);
		const licence = (await getCase(citizen.token, partOf(app, event.items.licence).caseId!)).case;
		const pension = (await getCase(citizen.token, partOf(app, event.items.pension).caseId!)).case;
		expect(licence.receiptNo).toBe(`${app.receiptNo}-1`);
		expect(pension.receiptNo).toBe(`${app.receiptNo}-3`);
		const value = (c: { fields: { key: string; value: unknown }[] }, k: string) =>
			c.fields.find((f) => f.key === k)?.value;
		expect(value(licence, 'name')).toBe('王秀兰');
		expect(value(pension, 'name')).toBe('王秀兰');
		expect(value(pension, 'grade')).toBe('60');
		expect(value(licence, 'scope')).toBe(APPLICATION_VALUES.scope);
		// the ID card, uploaded once, is attached to both under each item's own material name
		const idDoc = (c: { documents: { material: string; sha256: string }[] }, m: string) =>
			c.documents.find((d) => d.material === m)!;
		expect(idDoc(licence, '经营者身份证明').sha256).toBe(idDoc(pension, '居民身份证').sha256);
		expect(licence.signature.valid).toBe(true);
		expect(licence.partOf).toEqual({
			applicationId: app.id,
			themeName: expect.stringContaining('测试一件事'),
			resultFor: ['食品经营许可证核发']
		});
		// one receipt lists every item with its department and time limit
		const receipt = await (
			await h.request('GET', `/api/cases/${app.id}/receipt`, { token: citizen.token })
		).json();
		expect(
			receipt.lifeEvent.items.map((i: { itemName: string; departmentName: string }) => [
				i.itemName,
				i.departmentName
			])
		).toEqual([
			['个体工商户设立登记', '胶州市行政审批服务局'],
			['食品经营许可证核发', '胶州市行政审批服务局'],
			['灵活就业人员参保登记', '胶州市人力资源和社会保障局']
		]);
		expect(receipt.lifeEvent.items[1]).toMatchObject({
			expectedDay: null,
			waitsFor: '个体工商户设立登记',
			timeLimitDays: 10
		});
		// the citizen's list shows the application, not its parts beside it
		const mine = (await (await h.request('GET', '/api/cases', { token: citizen.token })).json())
			.cases as { id: string }[];
		expect(mine.map((c) => c.id)).toEqual([app.id]);
	});

	it('files the alcohol part only when the answer asks for it', async () => {
		const event = await newLifeEvent(h);
		const citizen = await newCitizen(h);
		const app = await submittedApplication(h, citizen.token, event.themeId, {
			...APPLICATION_VALUES,
			sellsAlcohol: 'yes',
			liquorKinds: ['beer']
		});
		expect(app.application.parts.map((p) => p.itemId)).toEqual([
			event.items.licence,
			event.items.food,
			event.items.pension,
			event.items.alcohol
		]);
		expect(partOf(app, event.items.alcohol).state).toBe('waiting');
	});

	it('does not let anyone change a part directly, nor decide the application itself', async () => {
		const event = await newLifeEvent(h);
		const citizen = await newCitizen(h);
		const app = await submittedApplication(h, citizen.token, event.themeId);
		const part = partOf(app, event.items.pension).caseId!;
		const write = await h.request('PUT', `/api/cases/${part}/fields/grade`, {
			token: citizen.token,
			body: { value: '100', revision: 1 }
		});
		expect(write.status).toBe(409);
		expect((await write.json()).error.code).toBe('part_of_application');
		const agent = await h.loginAs('agent');
		const accept = await h.request('POST', `/api/cases/${app.id}/accept`, {
			token: agent,
			body: {}
		});
		expect(accept.status).toBe(409);
		expect((await accept.json()).error.code).toBe('decided_by_parts');
	});
});

describe('filed at a township (上下联动)', () => {
	it('routes each part the township may accept to the township, reviewed upstairs by its department', async () => {
		const event = await newLifeEvent(h);
		const township = await h.loginAs('township');
		const orgs = (await (await h.request('GET', '/api/org-units', { token: township })).json())
			.orgUnits as { id: string; code: string }[];
		const fuan = orgs.find((o) => o.code === '370281001')!.id;
		const desk = await openDesk(h, township, '阜安街道便民服务窗口');
		const citizen = await newCitizen(h);
		const { session } = await openVideoSession(h, township, desk.id, {
			citizen,
			serviceCode: event.themeCode,
			hallId: fuan
		});
		const started = await h.request('POST', '/api/cases', {
			token: township,
			body: { serviceId: event.themeId, sessionId: session.id }
		});
		expect(started.status).toBe(201);
		const id = (await started.json()).case.id as string;
		await fillFields(h, citizen.token, id, APPLICATION_VALUES);
		// 容缺受理 is not offered for an application (it would have to follow into each part)
		const owed = await h.request('POST', `/api/cases/${id}/owed-materials`, {
			token: township,
			body: { material: '经营场所使用证明', promise: '下周补交租赁合同', dueDay: '2026-12-04' }
		});
		expect(owed.status).toBe(409);
		expect((await owed.json()).error.code).toBe('owed_not_for_applications');
		await documentAndSign(h, citizen.token, id);
		const submitted = await h.request('POST', `/api/cases/${id}/submit`, { token: citizen.token });
		expect(submitted.status).toBe(200);
		const app = (await submitted.json()).case as ApplicationCase;
		const licence = partOf(app, event.items.licence).caseId!;
		// the township accepts the licence and forwards it to the department upstairs
		for (const step of ['accept', 'forward'])
			expect(
				(await h.request('POST', `/api/cases/${licence}/${step}`, { token: township, body: {} }))
					.status
			).toBe(200);
		const xzsp = await departmentAgent(h, 'JZ-XZSP');
		const reviewed = (await getCase(xzsp, licence)).case;
		expect(reviewed.acceptedOrgUnitId).toBe(fuan);
		expect(reviewed.status).toBe('in_review');
		const approved = await h.request('POST', `/api/cases/${licence}/approve`, {
			token: xzsp,
			body: { resultNo: LICENCE_NO }
		});
		expect(approved.status).toBe(200);
		// the food licence is accepted at the district only: it goes straight to the department,
		// out of the township's sight
		const now = (await getCase(citizen.token, id)).case as ApplicationCase;
		const food = (await getCase(xzsp, partOf(now, event.items.food).caseId!)).case;
		expect(
			(await h.request('POST', `/api/cases/${food.id}/accept`, { token: township, body: {} }))
				.status
		).toBe(404);
		expect(
			(await h.request('POST', `/api/cases/${food.id}/accept`, { token: xzsp, body: {} })).status
		).toBe(200);
	});
});

describe('departments', () => {
	it('see their own part and its shared fields, never the other parts nor the application', async () => {
		const event = await newLifeEvent(h);
		const citizen = await newCitizen(h);
		const app = await submittedApplication(h, citizen.token, event.themeId);
		const xzsp = await departmentAgent(h, 'JZ-XZSP');
		const rsj = await departmentAgent(h, 'JZ-RSJ');
		const licence = partOf(app, event.items.licence).caseId!;
		const pension = partOf(app, event.items.pension).caseId!;
		const seen = await getCase(xzsp, licence);
		expect(seen.status).toBe(200);
		expect(seen.case.fields.map((f: { key: string }) => f.key)).not.toContain('grade');
		expect((await getCase(xzsp, pension)).status).toBe(404);
		expect((await getCase(xzsp, app.id)).status).toBe(404);
		expect((await getCase(rsj, licence)).status).toBe(404);
		expect((await getCase(rsj, pension)).status).toBe(200);
		const listed = async (token: string) =>
			(
				(await (await h.request('GET', '/api/staff/cases', { token })).json()).cases as {
					id: string;
				}[]
			).map((c) => c.id);
		expect(await listed(xzsp)).toContain(licence);
		expect(await listed(xzsp)).not.toContain(pension);
		expect(await listed(xzsp)).not.toContain(app.id);
		expect(await listed(rsj)).toEqual(expect.arrayContaining([pension]));
		// a department cannot take a step on another's part
		const step = await h.request('POST', `/api/cases/${pension}/accept`, {
			token: xzsp,
			body: {}
		});
		expect(step.status).toBe(404);
	});

	it('sets departments only by an admin, and only one of the staff member’s own org unit', async () => {
		const agent = await h.loginAs('agent');
		const me = (await (await h.request('GET', '/api/me', { token: agent })).json()).user;
		const departments = (await (await h.request('GET', '/api/departments')).json()).departments as {
			id: string;
			code: string;
		}[];
		const path = `/api/admin/staff/${me.id}/department`;
		const qd = departments.find((d) => d.code === 'QD-GJJ')!.id; // 青岛市, not 胶州市
		expect((await h.request('PUT', path, { body: { departmentId: qd } })).status).toBe(401);
		expect(
			(await h.request('PUT', path, { token: agent, body: { departmentId: qd } })).status
		).toBe(403);
		const admin = await h.loginAs('admin');
		const wrong = await h.request('PUT', path, { token: admin, body: { departmentId: qd } });
		expect(wrong.status).toBe(400);
		expect((await wrong.json()).error.fields.departmentId).toMatch(/another org unit/);
	});
});

describe('parallel work', () => {
	it('starts the food licence part when the business licence is approved, with its number filled in', async () => {
		const event = await newLifeEvent(h);
		const citizen = await newCitizen(h);
		const app = await submittedApplication(h, citizen.token, event.themeId);
		const xzsp = await departmentAgent(h, 'JZ-XZSP');
		const licence = partOf(app, event.items.licence).caseId!;
		const missing = await approvePart(h, xzsp, licence);
		expect(missing.status).toBe(400);
		expect(Object.keys((await missing.json()).error.fields)).toEqual(['resultNo']);
		const wrong = await h.request('POST', `/api/cases/${licence}/approve`, {
			token: xzsp,
			body: { resultNo: '123' }
		});
		expect(wrong.status).toBe(400);
		const approved = await h.request('POST', `/api/cases/${licence}/approve`, {
			token: xzsp,
			body: { resultNo: LICENCE_NO }
		});
		expect(approved.status).toBe(200);
		const now = (await getCase(citizen.token, app.id)).case as ApplicationCase;
		const food = partOf(now, event.items.food);
		expect(food.state).toBe('submitted');
		const foodCase = (await getCase(xzsp, food.caseId!)).case;
		expect(foodCase.fields.find((f: { key: string }) => f.key === 'licenceNo').value).toBe(
			LICENCE_NO
		);
		expect(foodCase.fields.find((f: { key: string }) => f.key === 'address').value).toBe(
			APPLICATION_VALUES.address
		);
	});

	it('returns one part for correction, keeps the others’ approvals, and completes when every part is done', async () => {
		const event = await newLifeEvent(h);
		const citizen = await newCitizen(h);
		const app = await submittedApplication(h, citizen.token, event.themeId);
		const xzsp = await departmentAgent(h, 'JZ-XZSP');
		const rsj = await departmentAgent(h, 'JZ-RSJ');
		const licence = partOf(app, event.items.licence).caseId!;
		const pension = partOf(app, event.items.pension).caseId!;
		expect((await approvePart(h, xzsp, licence, LICENCE_NO)).status).toBe(200);
		for (const step of ['accept', 'forward'])
			expect(
				(await h.request('POST', `/api/cases/${pension}/${step}`, { token: rsj, body: {} })).status
			).toBe(200);
		const returned = await h.request('POST', `/api/cases/${pension}/return`, {
			token: rsj,
			body: { comments: { grade: '灵活就业最低按 60% 缴纳，请确认档次' } }
		});
		expect(returned.status).toBe(200);
		let now = (await getCase(citizen.token, app.id)).case;
		expect(now.status).toBe('returned');
		expect(now.reviewComments).toEqual({ grade: '灵活就业最低按 60% 缴纳，请确认档次' });
		// the citizen corrects once, in the application, signs again and submits
		await fillFields(h, citizen.token, app.id, { grade: '100' });
		expect(
			(await h.request('POST', `/api/cases/${app.id}/submit`, { token: citizen.token })).status
		).toBe(409);
		await documentAndSign(h, citizen.token, app.id);
		const resubmitted = await h.request('POST', `/api/cases/${app.id}/submit`, {
			token: citizen.token
		});
		expect(resubmitted.status).toBe(200);
		now = (await resubmitted.json()).case;
		expect(now.status).toBe('in_review');
		// the licence's approval stands; the pension part is back with its department, corrected
		expect(partOf(now, event.items.licence).state).toBe('approved');
		expect(partOf(now, event.items.pension).state).toBe('submitted');
		const corrected = (await getCase(rsj, pension)).case;
		expect(corrected.fields.find((f: { key: string }) => f.key === 'grade').value).toBe('100');
		// the other parts finish: the application is complete, every part with it
		const food = partOf(now, event.items.food).caseId!;
		expect((await approvePart(h, xzsp, food)).status).toBe(200);
		expect(
			(await h.request('POST', `/api/cases/${pension}/forward`, { token: rsj, body: {} })).status
		).toBe(200);
		expect(
			(await h.request('POST', `/api/cases/${pension}/approve`, { token: rsj, body: {} })).status
		).toBe(200);
		now = (await getCase(citizen.token, app.id)).case;
		expect(now.status).toBe('completed');
		expect(now.application.parts.map((p: { state: string }) => p.state)).toEqual([
			'completed',
			'completed',
			'completed'
		]);
		// one rating for the whole, and each department's part may be rated too
		const pending = (
			await (await h.request('GET', '/api/ratings/pending', { token: citizen.token })).json()
		).pending as { subjectId: string; serviceName: string; orgUnitName: string }[];
		expect(pending.map((p) => p.subjectId).sort()).toEqual(
			[app.id, ...now.application.parts.map((p: { caseId: string }) => p.caseId)].sort()
		);
		expect(pending.find((p) => p.subjectId === pension)!.orgUnitName).toBe(
			'胶州市人力资源和社会保障局'
		);
		for (const subjectId of [app.id, pension]) {
			const rated = await h.request('POST', '/api/ratings', {
				token: citizen.token,
				body: { subjectType: 'case', subjectId, score: 5 }
			});
			expect(rated.status, await rated.clone().text()).toBe(201);
		}
	});

	it('sends every part that used a corrected shared field back to its department', async () => {
		const event = await newLifeEvent(h);
		const citizen = await newCitizen(h);
		const app = await submittedApplication(h, citizen.token, event.themeId);
		const xzsp = await departmentAgent(h, 'JZ-XZSP');
		const rsj = await departmentAgent(h, 'JZ-RSJ');
		const licence = partOf(app, event.items.licence).caseId!;
		const pension = partOf(app, event.items.pension).caseId!;
		expect((await approvePart(h, xzsp, licence, LICENCE_NO)).status).toBe(200);
		for (const step of ['accept', 'forward'])
			await h.request('POST', `/api/cases/${pension}/${step}`, { token: rsj, body: {} });
		await h.request('POST', `/api/cases/${pension}/return`, {
			token: rsj,
			body: { comments: { phone: '请留本人手机号' } }
		});
		await fillFields(h, citizen.token, app.id, { phone: '13900000002' });
		await documentAndSign(h, citizen.token, app.id);
		const res = await h.request('POST', `/api/cases/${app.id}/submit`, { token: citizen.token });
		expect(res.status).toBe(200);
		const now = (await res.json()).case as ApplicationCase;
		// the phone is shared: the approved licence part goes back too, with the new number
		expect(partOf(now, event.items.licence).state).toBe('submitted');
		expect(partOf(now, event.items.pension).state).toBe('submitted');
		const again = (await getCase(xzsp, licence)).case;
		expect(again.fields.find((f: { key: string }) => f.key === 'phone').value).toBe('13900000002');
		// the food part, started from the licence, has the new number too once refiled
		const food = partOf(now, event.items.food).caseId!;
		expect(
			(await getCase(xzsp, food)).case.fields.find((f: { key: string }) => f.key === 'phone').value
		).toBe('13900000002');
	});
});
