// 一件事一次办 (issue 24) raced by two nodes of the hall on one database: the two departments
// approving the last two parts at once (the application completes once, every part with it),
// and the citizen's corrected resubmission racing another department's approval (no deadlock,
// no lost approval). Every step on a part locks its application first, the order every write
// to the application takes.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './harness.ts';
import { newCitizen } from './booking-helpers.ts';
import {
	approvePart,
	departmentAgent,
	documentAndSign,
	fillFields,
	newLifeEvent,
	submittedApplication,
	type ApplicationCase
} from './life-event-builders.ts';
import { answer, byRound, withSecondNode } from './two-nodes.ts';
import { creditCodeCheck } from '../../shared/forms/validators.ts';

let h: Harness;
beforeEach(async () => {
	h = await createHarness();
});
afterEach(() => h.close());

const ROUNDS = 6;

/** A valid 统一社会信用代码 with this 17-character stem. */
const creditCode = (stem: string) => stem + creditCodeCheck(stem);

const partOf = (app: ApplicationCase, itemId: string) =>
	app.application.parts.find((p) => p.itemId === itemId)!;

async function forward(token: string, caseId: string) {
	for (const step of ['accept', 'forward'])
		expect(
			(await h.request('POST', `/api/cases/${caseId}/${step}`, { token, body: {} })).status
		).toBe(200);
}

describe('life event parts on two nodes', () => {
	it('the last two parts approved at once: the application completes once, every part with it', async () => {
		const event = await newLifeEvent(h);
		const xzsp = await departmentAgent(h, 'JZ-XZSP');
		const rsj = await departmentAgent(h, 'JZ-RSJ');
		await withSecondNode(h, async (second, first) => {
			for (let round = 0; round < ROUNDS; round++) {
				const citizen = await newCitizen(h);
				const app = await submittedApplication(h, citizen.token, event.themeId);
				const licence = partOf(app, event.items.licence).caseId!;
				const pension = partOf(app, event.items.pension).caseId!;
				expect((await approvePart(h, xzsp, licence, creditCode('92370281MA3C4D5E6'))).status).toBe(
					200
				);
				const started = (
					await (await h.request('GET', `/api/cases/${app.id}`, { token: citizen.token })).json()
				).case as ApplicationCase;
				const food = partOf(started, event.items.food).caseId!;
				await forward(xzsp, food);
				await forward(rsj, pension);
				const [a, b] = byRound(round, first, second);
				const results = await Promise.all([
					a.request('POST', `/api/cases/${food}/approve`, { token: xzsp, body: {} }).then(answer),
					b.request('POST', `/api/cases/${pension}/approve`, { token: rsj, body: {} }).then(answer)
				]);
				expect(results.map((r) => r.status)).toEqual([200, 200]);
				const done = (
					await (await h.request('GET', `/api/cases/${app.id}`, { token: citizen.token })).json()
				).case as ApplicationCase & { timeline: { type: string }[] };
				expect(done.status).toBe('completed');
				expect(done.application.parts.map((p) => p.state)).toEqual([
					'completed',
					'completed',
					'completed'
				]);
				expect(done.timeline.filter((e) => e.type === 'application.completed')).toHaveLength(1);
			}
		});
	}, 120_000);

	it('a corrected resubmission racing another department’s approval: both land, in one order', async () => {
		const event = await newLifeEvent(h);
		const xzsp = await departmentAgent(h, 'JZ-XZSP');
		const rsj = await departmentAgent(h, 'JZ-RSJ');
		await withSecondNode(h, async (second, first) => {
			for (let round = 0; round < ROUNDS; round++) {
				const citizen = await newCitizen(h);
				const app = await submittedApplication(h, citizen.token, event.themeId);
				const licence = partOf(app, event.items.licence).caseId!;
				const pension = partOf(app, event.items.pension).caseId!;
				await forward(rsj, pension);
				await h.request('POST', `/api/cases/${pension}/return`, {
					token: rsj,
					body: { comments: { grade: '请改为 100%' } }
				});
				await forward(xzsp, licence);
				// the citizen corrects a field only the pension part uses, signs, and resubmits
				// while the licence is approved on the other node
				await fillFields(h, citizen.token, app.id, { grade: '100' });
				await documentAndSign(h, citizen.token, app.id);
				const [a, b] = byRound(round, first, second);
				const [resubmit, approve] = await Promise.all([
					a.request('POST', `/api/cases/${app.id}/submit`, { token: citizen.token }).then(answer),
					b
						.request('POST', `/api/cases/${licence}/approve`, {
							token: xzsp,
							body: { resultNo: creditCode('92370281MA3C4D5E6') }
						})
						.then(answer)
				]);
				expect([resubmit.status, approve.status]).toEqual([200, 200]);
				const now = (
					await (await h.request('GET', `/api/cases/${app.id}`, { token: citizen.token })).json()
				).case as ApplicationCase;
				// the licence's approval stands, the food part started from it, the pension part is back
				expect(now.status).toBe('in_review');
				expect(partOf(now, event.items.licence).state).toBe('approved');
				expect(partOf(now, event.items.food).state).toBe('submitted');
				expect(partOf(now, event.items.pension).state).toBe('submitted');
			}
		});
	}, 120_000);
});
