// 代办 (issue 23): a proxy under a grant of chosen items lists the grantor's records of those
// items only, filtered in the query, so a list's cap counts only what the proxy may see: a
// granted case behind more than a page of the grantor's other cases is still listed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './harness.ts';
import { newCitizen, serviceByCode } from './booking-helpers.ts';
import { confirmedGrant, LICENSE, startActing } from './builders.ts';
import { answer } from './two-nodes.ts';

let h: Harness;
beforeEach(async () => {
	h = await createHarness();
});
afterEach(() => h.close());

/** What GET /api/cases caps a citizen's list at (server/cases/repo.ts casesOf). */
const CASES_LISTED = 50;

async function json(res: Response | Promise<Response>) {
	return answer(await res);
}

async function startCase(token: string, serviceId: string) {
	const res = await json(h.request('POST', '/api/cases', { token, body: { serviceId } }));
	expect(res.status, JSON.stringify(res.body)).toBe(201);
	return (res.body.case as { id: string }).id;
}

async function listedCases(token: string) {
	const res = await json(h.request('GET', '/api/cases', { token }));
	expect(res.status, JSON.stringify(res.body)).toBe(200);
	return (res.body.cases as { id: string }[]).map((c) => c.id);
}

describe('代办: lists of granted items', () => {
	it('a granted case older than a full page of the grantor’s other cases is listed to the proxy, and only it', async () => {
		const license = await serviceByCode(h, LICENSE);
		const pension = await serviceByCode(h, '370281-YBJ-002');
		const grantor = await newCitizen(h, '王秀兰');
		const proxy = await newCitizen(h, '王小明');
		const grantedCase = await startCase(grantor.token, license.id);
		const others: string[] = [];
		for (let i = 0; i <= CASES_LISTED; i++) {
			// each a second later, so the list's newest-first order puts the granted case last
			h.clock.advance(1000);
			others.push(await startCase(grantor.token, pension.id));
		}

		// the grantor's own list is the newest page: the granted case falls off it
		const own = await listedCases(grantor.token);
		expect(own).toHaveLength(CASES_LISTED);
		expect(own).not.toContain(grantedCase);

		await startActing(h, proxy, await confirmedGrant(h, proxy, grantor, [license.id]));
		expect(await listedCases(proxy.token)).toEqual([grantedCase]);
	});
});
