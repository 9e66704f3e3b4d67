// 一件事一次办 on the dashboard (issue 24 item 7): per life event, the applications started in
// the range and what became of them, working days to completion, and per department the hours
// from its part's start to its approval with the slowest department named; the same as CSV;
// a supervisor sees only the applications filed in their org unit and below.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './harness.ts';
import { newCitizen } from './booking-helpers.ts';
import { newStaff, signInNewStaff } from './builders.ts';
import {
	approvePart,
	newLifeEvent,
	submittedApplication,
	type ApplicationCase
} from './life-event-builders.ts';

let h: Harness;
beforeEach(async () => {
	h = await createHarness();
});
afterEach(() => h.close());

const HOUR = 3_600_000;
const PASSWORD = 'Staff#2026';
let n = 0;

/** A valid 统一社会信用代码 with this 17-character stem (GB 32100-2015 check character). */
function creditCode(stem: string): string {
	const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
	const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
	const sum = weights.reduce((s, w, i) => s + w * chars.indexOf(stem[i]), 0);
	return stem + chars[(31 - (sum % 31)) % 31];
}
const LICENCE_NO = creditCode('92370281MA3C4D5E6');

async function orgUnitId(code: string) {
	const admin = await h.loginAs('admin');
	const org = (await (await h.request('GET', '/api/org-units', { token: admin })).json()) as {
		orgUnits: { id: string; code: string }[];
	};
	return org.orgUnits.find((o) => o.code === code)!.id;
}

async function department(code: string) {
	const all = (await (await h.request('GET', '/api/departments')).json()) as {
		departments: { id: string; code: string; name: string }[];
	};
	return all.departments.find((d) => d.code === code)!;
}

/**
 * An agent of 胶州市 in one department (as life-event-builders' departmentAgent), returned with
 * its login: the clock moves by hours and days here, past the staff idle sign-out, so each step
 * signs in again.
 */
async function departmentAgent(departmentCode: string) {
	const login = `lestat${process.pid % 1000}x${n++}`;
	const token = await newStaff(h, {
		username: login,
		role: 'agent',
		orgUnitId: await orgUnitId('370281')
	});
	const me = (await (await h.request('GET', '/api/me', { token })).json()).user as { id: string };
	const set = await h.request('PUT', `/api/admin/staff/${me.id}/department`, {
		token: await h.loginAs('admin'),
		body: { departmentId: (await department(departmentCode)).id }
	});
	expect(set.status, 'set the department').toBe(200);
	return { signIn: () => signInNewStaff(h, login, PASSWORD) };
}

const partOf = (app: ApplicationCase, itemId: string) =>
	app.application.parts.find((p) => p.itemId === itemId)!.caseId!;

async function approve(agent: { signIn(): Promise<string> }, caseId: string, resultNo?: string) {
	const res = await approvePart(h, await agent.signIn(), caseId, resultNo);
	expect(res.status, await res.clone().text()).toBe(200);
}

const figures = async (token: string, query: string) => {
	const res = await h.request('GET', `/api/stats/life-events?${query}`, { token });
	return { status: res.status, body: res.status === 200 ? await res.json() : null };
};

describe('一件事一次办 on the dashboard', () => {
	it('counts applications, working days to completion and each department’s hours to approval, naming the slowest; the same as CSV', async () => {
		const event = await newLifeEvent(h); // delivered electronically: complete with its last part
		const xzsp = await departmentAgent('JZ-XZSP');
		const rsj = await departmentAgent('JZ-RSJ');
		// Thursday 09:00: A, B and D submitted (licence and pension parts started, food waits for
		// the licence), C only started
		const [a, b, c, d] = [
			await newCitizen(h),
			await newCitizen(h),
			await newCitizen(h),
			await newCitizen(h)
		];
		const appA = await submittedApplication(h, a.token, event.themeId);
		const appB = await submittedApplication(h, b.token, event.themeId);
		const appD = await submittedApplication(h, d.token, event.themeId);
		const draft = await h.request('POST', '/api/cases', {
			token: c.token,
			body: { serviceId: event.themeId }
		});
		expect(draft.status).toBe(201);
		// B's pension part is returned for correction and stays so
		const rsjToken = await rsj.signIn();
		for (const step of ['accept', 'forward'])
			expect(
				(
					await h.request('POST', `/api/cases/${partOf(appB, event.items.pension)}/${step}`, {
						token: rsjToken,
						body: {}
					})
				).status
			).toBe(200);
		const returned = await h.request(
			'POST',
			`/api/cases/${partOf(appB, event.items.pension)}/return`,
			{ token: rsjToken, body: { comments: { grade: '请确认缴费档次' } } }
		);
		expect(returned.status).toBe(200);

		// Thursday 11:00: A's and D's licences approved (2 h), D's food part starts and is
		// approved at once (0 h), D's pension approved (2 h): D is complete the day it was filed
		h.clock.advance(2 * HOUR);
		await approve(xzsp, partOf(appA, event.items.licence), LICENCE_NO);
		await approve(xzsp, partOf(appD, event.items.licence), LICENCE_NO);
		const dNow = (
			await (await h.request('GET', `/api/cases/${appD.id}`, { token: d.token })).json()
		).case as ApplicationCase;
		await approve(xzsp, partOf(dNow, event.items.food));
		await approve(rsj, partOf(appD, event.items.pension));
		// Friday 11:00: A's pension approved (26 h)
		h.clock.advance(24 * HOUR);
		await approve(rsj, partOf(appA, event.items.pension));
		// Monday 11:00: A's food part, started Thursday 11:00, approved (96 h): A complete after
		// two working days (Friday, Monday)
		h.clock.advance(72 * HOUR);
		const aNow = (
			await (await h.request('GET', `/api/cases/${appA.id}`, { token: a.token })).json()
		).case as ApplicationCase;
		await approve(xzsp, partOf(aNow, event.items.food));
		const aDone = await (
			await h.request('GET', `/api/cases/${appA.id}`, { token: a.token })
		).json();
		expect(aDone.case.status).toBe('completed');

		const supervisor = await h.loginAs('supervisor');
		const res = await figures(supervisor, 'from=2026-11-26&to=2026-11-30');
		expect(res.status, JSON.stringify(res.body)).toBe(200);
		const row = res.body.lifeEvents.find(
			(r: { themeItemId: string }) => r.themeItemId === event.themeId
		);
		const [licenceDept, pensionDept] = [await department('JZ-XZSP'), await department('JZ-RSJ')];
		expect(row).toEqual({
			themeItemId: event.themeId,
			themeName: expect.stringContaining('测试一件事'),
			timeLimitDays: 5,
			started: 4,
			submitted: 3,
			completed: 2,
			rejected: 0,
			inProgress: 1,
			returnedOnce: 1,
			// D in 0 working days, A in 2: nearest-rank median 0, mean 1
			medianWorkingDays: 0,
			meanWorkingDays: 1,
			slowestDepartmentId: licenceDept.id,
			slowestDepartmentName: licenceDept.name,
			slowestDepartmentMeanHours: 25,
			departments: expect.arrayContaining([
				// A's licence 2 h, D's licence 2 h, D's food 0 h, A's food 96 h; B's licence open
				{
					departmentId: licenceDept.id,
					departmentName: licenceDept.name,
					parts: 5,
					approved: 4,
					meanHours: 25,
					medianHours: 2
				},
				// D's pension 2 h, A's 26 h; B's returned
				{
					departmentId: pensionDept.id,
					departmentName: pensionDept.name,
					parts: 3,
					approved: 2,
					meanHours: 14,
					medianHours: 2
				}
			])
		});
		expect(row.departments).toHaveLength(2);
		// the demo's own life event is listed too, with nothing started
		expect(res.body.lifeEvents).toHaveLength(2);
		const demo = res.body.lifeEvents.find(
			(r: { themeItemId: string }) => r.themeItemId !== event.themeId
		);
		expect(demo).toMatchObject({ started: 0, medianWorkingDays: null, departments: [] });

		// applications are counted in the range they were started in
		const before = await figures(supervisor, 'from=2026-11-01&to=2026-11-25');
		expect(
			before.body.lifeEvents.find((r: { themeItemId: string }) => r.themeItemId === event.themeId)
		).toMatchObject({ started: 0, completed: 0, slowestDepartmentName: null, departments: [] });

		const csv = await h.request('GET', '/api/stats/life-events.csv?from=2026-11-26&to=2026-11-30', {
			token: supervisor
		});
		expect(csv.status).toBe(200);
		expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
		expect(csv.headers.get('content-disposition')).toContain(
			'life-events-2026-11-26-2026-11-30.csv'
		);
		const text = Buffer.from(await csv.arrayBuffer()).toString('utf8');
		const lines = text.split('\r\n');
		expect(lines[0]).toBe(
			'\uFEFFtheme_item_id,theme_name,time_limit_days,started,submitted,completed,rejected,in_progress,returned_once,median_working_days,mean_working_days,slowest_department_name,slowest_department_mean_hours'
		);
		expect(lines).toContain(
			`${event.themeId},${row.themeName},5,4,3,2,0,1,1,0,1,${licenceDept.name},25`
		);
		expect(lines).toContain(`${demo.themeItemId},${demo.themeName},5,0,0,0,0,0,0,,,,`);
		expect(lines).toHaveLength(4); // header, two life events, the last CRLF
		// the departments: one line per life event and department
		const byDepartment = await h.request(
			'GET',
			'/api/stats/life-event-departments.csv?from=2026-11-26&to=2026-11-30',
			{ token: supervisor }
		);
		expect(byDepartment.status).toBe(200);
		const departmentLines = Buffer.from(await byDepartment.arrayBuffer())
			.toString('utf8')
			.split('\r\n');
		expect(departmentLines[0]).toBe(
			'\uFEFFtheme_item_id,theme_name,department_id,department_name,parts,approved,mean_hours,median_hours'
		);
		expect(departmentLines.slice(1, -1).sort()).toEqual(
			[
				`${event.themeId},${row.themeName},${licenceDept.id},${licenceDept.name},5,4,25,2`,
				`${event.themeId},${row.themeName},${pensionDept.id},${pensionDept.name},3,2,14,2`
			].sort()
		);
		for (const table of ['lifeEvents', 'lifeEventDepartments']) {
			const exported = await h.store.get<{ n: number }>(
				"SELECT count(*) AS n FROM audit_log WHERE action = 'export.csv' AND target_id = ?",
				[table]
			);
			expect(Number(exported!.n), table).toBe(1);
		}
	});

	it('shows a supervisor only the applications filed in their org unit and below', async () => {
		const event = await newLifeEvent(h);
		const citizen = await newCitizen(h);
		const app = await submittedApplication(h, citizen.token, event.themeId);
		const xzsp = await departmentAgent('JZ-XZSP');
		await approve(xzsp, partOf(app, event.items.licence), LICENCE_NO);
		const mine = await figures(await h.loginAs('supervisor'), 'from=2026-11-26&to=2026-11-26');
		const ours = mine.body.lifeEvents.find(
			(r: { themeItemId: string }) => r.themeItemId === event.themeId
		);
		expect(ours).toMatchObject({ started: 1, submitted: 1, inProgress: 1 });
		expect(ours.departments).toHaveLength(2);

		// 李沧区's supervisor: the life event is listed, none of 胶州市's applications
		const licang = await newStaff(h, {
			username: `lcsup${process.pid % 1000}x${n++}`,
			role: 'supervisor',
			orgUnitId: await orgUnitId('370213')
		});
		const theirs = await figures(licang, 'from=2026-11-26&to=2026-11-26');
		expect(theirs.status).toBe(200);
		expect(
			theirs.body.lifeEvents.find((r: { themeItemId: string }) => r.themeItemId === event.themeId)
		).toMatchObject({
			started: 0,
			submitted: 0,
			inProgress: 0,
			slowestDepartmentId: null,
			departments: []
		});
		// nor may they narrow to 胶州市
		expect((await figures(licang, 'from=2026-11-26&to=2026-11-26&orgUnit=370281')).status).toBe(
			404
		);
		const csv = await h.request('GET', '/api/stats/life-events.csv?from=2026-11-26&to=2026-11-26', {
			token: licang
		});
		expect(Buffer.from(await csv.arrayBuffer()).toString('utf8')).toContain(
			`${event.themeId},${ours.themeName},5,0,0,0,0,0,0,,,,\r\n`
		);
	});

	it('answers 401 without a session and 403 to a citizen or an agent', async () => {
		const citizen = await newCitizen(h);
		const agent = await h.loginAs('agent');
		for (const path of [
			'/api/stats/life-events',
			'/api/stats/life-events.csv',
			'/api/stats/life-event-departments.csv'
		]) {
			const url = `${path}?from=2026-11-26&to=2026-11-26`;
			expect((await h.request('GET', url)).status, path).toBe(401);
			expect((await h.request('GET', url, { token: citizen.token })).status, path).toBe(403);
			expect((await h.request('GET', url, { token: agent })).status, path).toBe(403);
		}
		// a range the dashboard refuses
		const supervisor = await h.loginAs('supervisor');
		expect((await figures(supervisor, 'from=2026-11-26&to=2026-11-01')).status).toBe(400);
	});
});
