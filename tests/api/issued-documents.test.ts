// The documents a hall hands over: the 申请回执 at submission and the 受理通知书 the accepting
// org unit issues at acceptance; org units' address, phone and opening hours edited by admins.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './harness.ts';
import { newCitizen, serviceByCode } from './booking-helpers.ts';
import { LICENSE, SIGNATURE_PNG as PNG, LICENSE_VALUES as complete } from './builders.ts';

const MATERIALS = ['经营者身份证明', '经营场所使用证明', '个体工商户登记（备案）申请书'];

let h: Harness;
let orgs: { id: string; code: string }[];
const org = (code: string) => orgs.find((o) => o.code === code)!.id;

beforeEach(async () => {
	h = await createHarness(); // 2026-11-26 09:00 in the hall, a Thursday
	orgs = (
		await (await h.request('GET', '/api/org-units', { token: await h.loginAs('admin') })).json()
	).orgUnits;
});
afterEach(() => h.close());

const get = (token: string, path: string) => h.request('GET', path, { token });

function upload(token: string, caseId: string, material: string, filename: string) {
	const form = new FormData();
	form.set('material', material);
	const jpeg = new Uint8Array(2048);
	jpeg.set([0xff, 0xd8, 0xff, 0xe0]);
	form.set('file', new File([jpeg], filename, { type: 'image/jpeg' }));
	return h.app.request(`/api/cases/${caseId}/documents`, {
		method: 'POST',
		body: form,
		headers: { authorization: `Bearer ${token}` }
	});
}

/** A citizen's online application for a business licence, complete, signed and submitted. */
async function submittedCase() {
	const citizen = await newCitizen(h, '王秀兰');
	const item = await serviceByCode(h, LICENSE);
	const kase = (
		await (
			await h.request('POST', '/api/cases', { token: citizen.token, body: { serviceId: item.id } })
		).json()
	).case;
	for (const [key, value] of Object.entries(complete))
		expect(
			(
				await h.request('PUT', `/api/cases/${kase.id}/fields/${key}`, {
					token: citizen.token,
					body: { value, revision: 0 }
				})
			).status
		).toBe(200);
	for (const [i, material] of MATERIALS.entries())
		expect((await upload(citizen.token, kase.id, material, `m${i}.jpg`)).status).toBe(201);
	await h.request('POST', `/api/cases/${kase.id}/signature`, {
		token: citizen.token,
		body: { image: PNG }
	});
	const receipt = await get(citizen.token, `/api/cases/${kase.id}/receipt`);
	expect(receipt.status).toBe(409);
	expect((await receipt.json()).error.code).toBe('not_submitted');
	const submitted = await h.request('POST', `/api/cases/${kase.id}/submit`, {
		token: citizen.token
	});
	expect(submitted.status).toBe(200);
	return { citizen, item, kase: (await submitted.json()).case };
}

describe('申请回执', () => {
	it('carries the receipt number, item, masked ID, time, materials received and what to do next; only to the case’s parties', async () => {
		const { citizen, kase } = await submittedCase();
		const res = await get(citizen.token, `/api/cases/${kase.id}/receipt`);
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({
			caseId: kase.id,
			receiptNo: kase.receiptNo,
			status: 'submitted',
			service: { code: LICENSE, name: '个体工商户设立登记', timeLimitDays: 1 },
			applicant: { name: '王秀兰', idNumber: '1101**********002X' },
			submittedAt: '2026-11-26T09:00:00.000+08:00',
			submittedBy: { id: citizen.id, name: '王秀兰', as: 'self' },
			materialsReceived: MATERIALS.map((material, i) => ({ material, files: [`m${i}.jpg`] })),
			materialsOwed: [],
			acceptedAt: null,
			casePath: `/cases/${kase.id}`,
			lifeEvent: null
		});
		// handling staff read it (the ID masked all the same); other citizens and admins do not
		const staff = await get(await h.loginAs('agent'), `/api/cases/${kase.id}/receipt`);
		expect((await staff.json()).applicant.idNumber).toBe('1101**********002X');
		expect((await get((await newCitizen(h)).token, `/api/cases/${kase.id}/receipt`)).status).toBe(
			404
		);
		expect((await get(await h.loginAs('admin'), `/api/cases/${kase.id}/receipt`)).status).toBe(403);
		// no notice before an org unit accepted the case
		const notice = await get(citizen.token, `/api/cases/${kase.id}/acceptance-notice`);
		expect(notice.status).toBe(409);
		expect((await notice.json()).error.code).toBe('not_accepted');
	});
});

describe('容缺 on the documents', () => {
	it('a material owed on a promise is listed with its date on the receipt and the notice', async () => {
		const citizen = await newCitizen(h, '王秀兰');
		const item = await serviceByCode(h, LICENSE);
		const kase = (
			await (
				await h.request('POST', '/api/cases', {
					token: citizen.token,
					body: { serviceId: item.id }
				})
			).json()
		).case;
		for (const [key, value] of Object.entries(complete))
			await h.request('PUT', `/api/cases/${kase.id}/fields/${key}`, {
				token: citizen.token,
				body: { value, revision: 0 }
			});
		await upload(citizen.token, kase.id, MATERIALS[0], 'id.jpg');
		await upload(citizen.token, kase.id, MATERIALS[2], 'form.jpg');
		// the promise an agent records in a live session (tests/api/owed-materials.test.ts), written
		// here directly: this file has no LiveKit
		await h.store.run(
			`INSERT INTO case_owed_materials (case_id, material, promise, due_day, recorded_by, recorded_at)
			 VALUES (?, ?, '本人承诺于期限前补交', '2026-12-04', ?, ?)`,
			[kase.id, MATERIALS[1], citizen.id, h.clock.now]
		);
		await h.request('POST', `/api/cases/${kase.id}/signature`, {
			token: citizen.token,
			body: { image: PNG }
		});
		expect(
			(await h.request('POST', `/api/cases/${kase.id}/submit`, { token: citizen.token })).status
		).toBe(200);
		const receipt = await (await get(citizen.token, `/api/cases/${kase.id}/receipt`)).json();
		expect(receipt.materialsReceived.map((m: { material: string }) => m.material)).toEqual([
			MATERIALS[0],
			MATERIALS[2]
		]);
		expect(receipt.materialsOwed).toEqual([
			{ material: MATERIALS[1], dueDay: '2026-12-04', handedIn: false }
		]);
		await h.request('POST', `/api/cases/${kase.id}/accept`, { token: await h.loginAs('agent') });
		const notice = await (
			await get(citizen.token, `/api/cases/${kase.id}/acceptance-notice`)
		).json();
		expect(notice.materialsOwed).toEqual(receipt.materialsOwed);
	});
});

describe('受理通知书', () => {
	it('the accepting township, its agent, 承诺时限 counted in working days over a weekend and a holiday, 就近领取 there, its phone', async () => {
		const { citizen, item, kase } = await submittedCase();
		// a case filed at the township's hall (its desk's session would set this) and a 3-day limit
		await h.store.run('UPDATE cases SET org_unit_id = ? WHERE id = ?', [org('370281001'), kase.id]);
		await h.store.run('UPDATE service_items SET time_limit_days = 3 WHERE id = ?', [item.id]);
		// Monday 30 November made a holiday: Fri 27 is day 1, Sat, Sun and Mon do not count
		const admin = await h.loginAs('admin');
		expect(
			(
				await h.request('PUT', '/api/calendar-days/2026-11-30', {
					token: admin,
					body: { kind: 'holiday', name: '测试假日' }
				})
			).status
		).toBe(200);
		h.clock.advance(60 * 60_000); // accepted at 10:00
		const township = await h.loginAs('township');
		expect(
			(await h.request('POST', `/api/cases/${kase.id}/accept`, { token: township })).status
		).toBe(200);

		const res = await get(citizen.token, `/api/cases/${kase.id}/acceptance-notice`);
		expect(res.status).toBe(200);
		const notice = await res.json();
		const fuan = {
			id: org('370281001'),
			parentId: org('370281'),
			level: 'township',
			code: '370281001',
			name: '阜安街道',
			address: '胶州市阜安街道示例路 8 号 阜安街道便民服务中心',
			phone: '0532-80001101',
			openingHours: '周一至周五 9:00–12:00，13:30–17:00（法定节假日除外）'
		};
		expect(notice).toEqual({
			caseId: kase.id,
			receiptNo: kase.receiptNo,
			service: { code: LICENSE, name: '个体工商户设立登记' },
			applicant: { name: '王秀兰', idNumber: '1101**********002X' },
			acceptedAt: '2026-11-26T10:00:00.000+08:00',
			acceptingOrgUnit: fuan,
			agent: { id: expect.any(String), name: '赵磊' },
			timeLimit: { workingDays: 3, fromDay: '2026-11-26', expectedCompletionDay: '2026-12-02' },
			delivery: { method: 'nearby', place: fuan },
			contactPhone: '0532-80001101',
			materialsOwed: []
		});
		// without the holiday the third working day is Tuesday
		// an hour later the admin signs in again (staff sessions end after 30 idle minutes)
		await h.request('DELETE', '/api/calendar-days/2026-11-30', { token: await h.loginAs('admin') });
		expect(
			(await (await get(township, `/api/cases/${kase.id}/acceptance-notice`)).json()).timeLimit
				.expectedCompletionDay
		).toBe('2026-12-01');
		// the receipt now says when it was accepted
		expect(
			(await (await get(citizen.token, `/api/cases/${kase.id}/receipt`)).json()).acceptedAt
		).toBe('2026-11-26T10:00:00.000+08:00');
	});
});

describe('org unit contact details', () => {
	it('an admin edits address, phone and hours: a bad phone is refused naming the field and changes nothing; a change is audited and printed on the notice', async () => {
		const admin = await h.loginAs('admin');
		const put = (id: string, body: unknown) =>
			h.request('PUT', `/api/admin/org-units/${id}/contact`, { token: admin, body });
		const listed = (await (await get(admin, '/api/admin/org-units')).json()).orgUnits;
		expect(listed.find((o: { code: string }) => o.code === '370281')).toMatchObject({
			name: '胶州市',
			phone: '0532-80001000'
		});

		const bad = await put(org('370281'), {
			address: '胶州市新址路 2 号',
			phone: '12ab',
			openingHours: '周一至周六 9:00–17:00'
		});
		expect(bad.status).toBe(400);
		expect(Object.keys((await bad.json()).error.fields)).toEqual(['phone']);
		const tooLong = await put(org('370281'), {
			address: '址'.repeat(121),
			phone: '',
			openingHours: ''
		});
		expect(tooLong.status).toBe(400);
		expect((await tooLong.json()).error.fields).toHaveProperty('address');
		expect(
			(await (await get(admin, '/api/admin/org-units')).json()).orgUnits.find(
				(o: { code: string }) => o.code === '370281'
			)
		).toMatchObject({
			address: '胶州市示例路 100 号 胶州市政务服务大厅一楼',
			phone: '0532-80001000'
		});

		const ok = await put(org('370281'), {
			address: '  胶州市新址路 2 号  ',
			phone: '0532-88886666',
			openingHours: ''
		});
		expect(ok.status).toBe(200);
		expect((await ok.json()).orgUnit).toMatchObject({
			address: '胶州市新址路 2 号',
			phone: '0532-88886666',
			openingHours: null
		});
		const audit = await h.store.all<{ target_id: string; detail: string }>(
			"SELECT target_id, detail FROM audit_log WHERE action = 'org_unit.contact_changed'"
		);
		expect(audit).toHaveLength(1);
		expect(audit[0].target_id).toBe(org('370281'));
		expect(JSON.parse(audit[0].detail)).toMatchObject({
			before: { phone: '0532-80001000' },
			after: { phone: '0532-88886666' }
		});
		expect((await put('no-such-unit', { address: '', phone: '', openingHours: '' })).status).toBe(
			404
		);

		// the district accepts a case: its notice carries the new phone
		const { citizen, kase } = await submittedCase();
		expect(
			(await h.request('POST', `/api/cases/${kase.id}/accept`, { token: await h.loginAs('agent') }))
				.status
		).toBe(200);
		const notice = await (
			await get(citizen.token, `/api/cases/${kase.id}/acceptance-notice`)
		).json();
		expect(notice).toMatchObject({
			acceptingOrgUnit: { name: '胶州市', address: '胶州市新址路 2 号', openingHours: null },
			agent: { name: '李静' },
			timeLimit: { workingDays: 1, fromDay: '2026-11-26', expectedCompletionDay: '2026-11-27' },
			contactPhone: '0532-88886666'
		});
	});
});
