// What a take keeps between requests (server/db/kept-under-tables.ts): an item's summary and an
// org unit, until their tables change, whether by this process past the API or by another one.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEngine } from '../../server/engine.ts';
import { getOrgUnit } from '../../server/accounts/accounts.ts';
import { findServiceSummary } from '../../server/catalog/catalog.ts';
import { createHarness, type Harness } from './harness.ts';
import { newCitizen, serviceByCode } from './booking-helpers.ts';
import { LICENSE, takeTicket } from './builders.ts';

let h: Harness;
let license: { id: string; name: string };
beforeEach(async () => {
	h = await createHarness();
	license = await serviceByCode(h, LICENSE);
});
afterEach(() => h.close());

/** Runs a statement as another process would: its own connection and caches. */
async function fromAnotherProcess(sql: string, params: unknown[]) {
	const other = openEngine(h.deps.config);
	try {
		await other.store.run(sql, params);
	} finally {
		await other.close();
	}
}

const take = async () =>
	h.request('POST', '/api/queue/tickets', {
		token: (await newCitizen(h)).token,
		body: { serviceId: license.id, channel: 'video' }
	});

describe('what a take keeps', () => {
	it("an item's channels: closed past the API here, opened again by another process", async () => {
		expect((await take()).status).toBe(201);
		await h.store.run('UPDATE service_items SET channel_video = 0 WHERE id = ?', [license.id]);
		const refused = await take();
		expect(refused.status).toBe(400);
		expect((await refused.json()).error.fields).toHaveProperty('channel');
		await fromAnotherProcess('UPDATE service_items SET channel_video = 1 WHERE id = ?', [
			license.id
		]);
		expect((await take()).status).toBe(201);
	});

	it("an org unit's name, and what every caller shares cannot be changed by one of them", async () => {
		const t = await takeTicket(h, (await newCitizen(h)).token, {
			serviceId: license.id,
			channel: 'video'
		});
		const hallId = String(t.hallId);
		const unit = (await getOrgUnit(h.deps, hallId))!;
		expect(() => Object.assign(unit, { name: 'changed by a caller' })).toThrow(TypeError);
		const summary = (await findServiceSummary(h.deps, license.id))!;
		expect(() => (summary.channels as string[]).push('fax')).toThrow(TypeError);
		await h.store.run('UPDATE org_units SET name = ? WHERE id = ?', ['改名的大厅', hallId]);
		expect((await getOrgUnit(h.deps, hallId))!.name).toBe('改名的大厅');
		await fromAnotherProcess('UPDATE org_units SET name = ? WHERE id = ?', [unit.name, hallId]);
		expect((await getOrgUnit(h.deps, hallId))!.name).toBe(unit.name);
	});
});
