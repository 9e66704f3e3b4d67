// 属地: staff see their org unit and everything below it, never a sibling branch
// (server/access/org-units.ts). The check walks up from the unit asked about; the subtree of the
// staff's unit is the definition it must agree with, for every pair of units of a tree deeper
// than the demo's.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createHarness, type Harness } from './harness.ts';
import { orgSubtreeOf, staffSeesOrgUnit } from '../../server/access/org-units.ts';
import { listOrgUnits } from '../../server/accounts/accounts.ts';
import { newId } from '../../server/ids.ts';
import type { User } from '../../shared/schemas/auth.ts';

let h: Harness;
beforeEach(async () => {
	h = await createHarness();
});
afterEach(() => h.close());

async function addUnit(parentId: string, level: 'district' | 'township' | 'community') {
	const id = newId();
	await h.store.run(
		'INSERT INTO org_units (id, parent_id, level, code, name, created_at) VALUES (?, ?, ?, ?, ?, ?)',
		[id, parentId, level, `T-${id}`, `单位${id.slice(0, 4)}`, Date.now()]
	);
	return id;
}

const staffAt = (orgUnitId: string | null): User => ({
	id: newId(),
	role: 'supervisor',
	name: '测试',
	phone: null,
	username: null,
	orgUnitId
});

it('a staff member sees their unit and every unit below it, at any depth, and no other', async () => {
	const city = (await listOrgUnits(h.deps)).find((u) => u.level === 'city')!;
	// a branch of its own: two townships under a new district, a community under the first
	const district = await addUnit(city.id, 'district');
	const township = await addUnit(district, 'township');
	await addUnit(district, 'township');
	const community = await addUnit(township, 'community');

	const units = await listOrgUnits(h.deps);
	expect(units.length).toBeGreaterThanOrEqual(11);
	let seen = 0;
	for (const mine of units) {
		const below = new Set(await orgSubtreeOf(h.deps, mine.id));
		for (const other of units) {
			const sees = await staffSeesOrgUnit(h.deps, staffAt(mine.id), other.id);
			expect(sees, `${mine.level} ${mine.id} → ${other.level} ${other.id}`).toBe(
				below.has(other.id)
			);
			if (sees) seen++;
		}
	}
	// the tree's own pairs: every unit sees itself, the city sees all, and more
	expect(seen).toBeGreaterThan(units.length * 2);
	expect(await staffSeesOrgUnit(h.deps, staffAt(township), community)).toBe(true);
	expect(await staffSeesOrgUnit(h.deps, staffAt(community), township)).toBe(false);
	expect(await staffSeesOrgUnit(h.deps, staffAt(null), community)).toBe(false);
	expect(await staffSeesOrgUnit(h.deps, staffAt(city.id), 'no-such-unit')).toBe(false);
	expect(await staffSeesOrgUnit(h.deps, staffAt(city.id), null)).toBe(false);
});
