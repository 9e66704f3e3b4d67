// Builders for 一件事一次办 tests: a life event of the test's own (its own theme item, published
// through the admin API over the catalog's items), department staff, and an application filled,
// documented and signed through the API as the citizen's page does it.
import { expect } from 'vitest';
import type { Harness } from './harness.ts';
import { serviceByCode } from './booking-helpers.ts';
import { newStaff, SIGNATURE_PNG, uploadMaterial } from './builders.ts';

export const LICENCE = '370281-XZSP-001';
export const FOOD = '370281-XZSP-014';
export const PENSION = '370281-RSJ-003';
export const ALCOHOL = '370281-SWJ-005';

let n = 0;

/** A theme item of its own and a published life event over 营业执照, 食品经营许可, 参保 and 卖酒. */
export async function newLifeEvent(h: Harness, delivery: 'electronic' | 'nearby' = 'electronic') {
	const admin = await h.loginAs('admin');
	const code = `370281-YJS-9${String(process.pid % 1000).padStart(3, '0')}${String(n++).padStart(2, '0')}`;
	const imported = await h.request('POST', '/api/admin/catalog/import', {
		token: admin,
		body: {
			format: 'jsonl',
			content: JSON.stringify({
				code,
				category: 'A',
				name: `测试一件事 ${code}`,
				departmentCode: 'JZ-XZSP',
				description: '测试',
				feeFen: 0,
				timeLimitDays: 5,
				channels: ['video', 'onsite'],
				acceptLevels: ['district', 'township'],
				approveLevel: 'district'
			})
		}
	});
	expect(imported.status, 'import the theme item').toBe(200);
	const theme = await serviceByCode(h, code);
	const [licence, food, pension, alcohol] = await Promise.all(
		[LICENCE, FOOD, PENSION, ALCOHOL].map((c) => serviceByCode(h, c))
	);
	const definition = {
		title: '测试一件事申请表',
		questionsTitle: '选择事项',
		sharedTitle: '共用信息',
		questions: [
			{
				key: 'sellsAlcohol',
				label: '需要卖酒吗？',
				options: [
					{ value: 'no', label: '不需要' },
					{ value: 'yes', label: '需要' }
				]
			}
		],
		parts: [
			{ itemId: licence.id, formMaterial: '个体工商户登记（备案）申请书' },
			{
				itemId: food.id,
				waitsFor: { itemId: licence.id, fill: 'licenceNo', material: '营业执照复印件' },
				formMaterial: '食品经营许可申请书'
			},
			{ itemId: pension.id },
			{
				itemId: alcohol.id,
				when: { question: 'sellsAlcohol', in: ['yes'] },
				waitsFor: { itemId: licence.id, fill: 'licenceNo', material: '营业执照复印件' }
			}
		],
		sharedMaterials: [
			{
				name: '居民身份证',
				sources: [
					{ itemId: licence.id, name: '经营者身份证明' },
					{ itemId: pension.id, name: '居民身份证' },
					{ itemId: alcohol.id, name: '经营者身份证明' }
				]
			}
		],
		delivery
	};
	const published = await h.request('POST', `/api/admin/life-events/${theme.id}/versions`, {
		token: admin,
		body: definition
	});
	expect(published.status, 'publish the life event').toBe(201);
	return {
		themeId: theme.id,
		themeCode: code,
		items: { licence: licence.id, food: food.id, pension: pension.id, alcohol: alcohol.id },
		definition,
		version: (await published.json()).lifeEvent
	};
}

/** A new agent of 胶州市 working in one department (by its code), signed in. */
export async function departmentAgent(h: Harness, departmentCode: string): Promise<string> {
	const admin = await h.loginAs('admin');
	const org = (await (await h.request('GET', '/api/org-units', { token: admin })).json()) as {
		orgUnits: { id: string; code: string }[];
	};
	const username = `dept${process.pid % 1000}x${n++}`;
	const token = await newStaff(h, {
		username,
		role: 'agent',
		orgUnitId: org.orgUnits.find((o) => o.code === '370281')!.id
	});
	const departments = (await (await h.request('GET', '/api/departments')).json()) as {
		departments: { id: string; code: string }[];
	};
	const me = (await (await h.request('GET', '/api/me', { token })).json()).user as { id: string };
	const set = await h.request('PUT', `/api/admin/staff/${me.id}/department`, {
		token: admin,
		body: { departmentId: departments.departments.find((d) => d.code === departmentCode)!.id }
	});
	expect(set.status, 'set the department').toBe(200);
	return token;
}

export const APPLICATION_VALUES = {
	sellsAlcohol: 'no',
	name: '王秀兰',
	idNumber: '11010519491231002X',
	phone: '13800000001',
	address: '胶州市阜安街道郑州路 88 号',
	scope: '热食类食品制售',
	form: 'person',
	capital: 80000,
	foodKinds: ['hot'],
	area: 60,
	safetyManager: '王秀兰',
	grade: '60'
};

/** Writes the fields (each at its current revision) as the applicant's page does. */
export async function fillFields(
	h: Harness,
	token: string,
	caseId: string,
	values: Record<string, unknown>
) {
	const kase = (await (await h.request('GET', `/api/cases/${caseId}`, { token })).json()).case as {
		fields: { key: string; revision: number }[];
	};
	for (const [key, value] of Object.entries(values)) {
		const revision = kase.fields.find((f) => f.key === key)?.revision ?? 0;
		const res = await h.request('PUT', `/api/cases/${caseId}/fields/${key}`, {
			token,
			body: { value, revision }
		});
		expect(res.status, `write ${key}: ${await res.clone().text()}`).toBe(200);
	}
}

/** Hands in every required material the application asks for, once each; signs. */
export async function documentAndSign(h: Harness, token: string, caseId: string) {
	const kase = (await (await h.request('GET', `/api/cases/${caseId}`, { token })).json()).case as {
		materials: { name: string; required: boolean }[];
	};
	for (const m of kase.materials.filter((m) => m.required))
		expect((await uploadMaterial(h, token, caseId, m.name)).status, m.name).toBe(201);
	const signed = await h.request('POST', `/api/cases/${caseId}/signature`, {
		token,
		body: { image: SIGNATURE_PNG }
	});
	expect(signed.status, 'sign').toBe(200);
}

/** An application started online, filled, documented, signed and submitted by the citizen. */
export async function submittedApplication(
	h: Harness,
	token: string,
	themeId: string,
	values: Record<string, unknown> = APPLICATION_VALUES
) {
	const created = await h.request('POST', '/api/cases', { token, body: { serviceId: themeId } });
	expect(created.status).toBe(201);
	const id = (await created.json()).case.id as string;
	await fillFields(h, token, id, values);
	await documentAndSign(h, token, id);
	const submitted = await h.request('POST', `/api/cases/${id}/submit`, { token });
	expect(submitted.status, await submitted.clone().text()).toBe(200);
	return (await submitted.json()).case as ApplicationCase;
}

export interface ApplicationCase {
	id: string;
	status: string;
	receiptNo: string;
	reviewComments: Record<string, string>;
	application: {
		parts: { itemId: string; caseId: string | null; state: string; receiptNo: string | null }[];
	};
}

/** Takes a part through its department: accept, forward, approve (with a result number). */
export async function approvePart(h: Harness, token: string, caseId: string, resultNo?: string) {
	for (const step of ['accept', 'forward'] as const) {
		const res = await h.request('POST', `/api/cases/${caseId}/${step}`, { token, body: {} });
		expect(res.status, `${step}: ${await res.clone().text()}`).toBe(200);
	}
	return h.request('POST', `/api/cases/${caseId}/approve`, {
		token,
		body: resultNo ? { resultNo } : {}
	});
}
