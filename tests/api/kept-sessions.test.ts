// Sessions kept in memory between changes (server/auth/kept-sessions.ts): whatever ends a session
// or disables its account, from this process, another process or a raw statement, holds at the
// very next request; a change elsewhere (a number taken) does not make every session read again.
// Both engines (PostgreSQL keeps nothing: every check reads).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './harness.ts';
import { newCitizen, serviceByCode } from './booking-helpers.ts';
import { LICENSE, takeTicket } from './builders.ts';
import { secondNode } from './two-nodes.ts';
import { openDatabase } from '../../server/db/index.ts';

describe('a session kept between changes', () => {
	let h: Harness;
	beforeEach(async () => {
		h = await createHarness();
	});
	afterEach(() => h.close());

	const me = (token: string) => h.request('GET', '/api/me', { token }).then((r) => r.status);

	/** A statement run as another process sharing the database would (PostgreSQL: another node). */
	async function elsewhere(sql: string, params: unknown[]) {
		if (h.engine === 'sqlite') {
			const other = openDatabase(h.deps.config.databasePath);
			try {
				other.prepare(sql).run(...params);
			} finally {
				other.close();
			}
		} else {
			const other = secondNode(h);
			try {
				await other.deps.store.run(sql, params);
			} finally {
				await other.close();
			}
		}
	}

	/** A statement on this process's own connection, past every rule (a script, a console). */
	async function here(sql: string, params: unknown[]) {
		if (h.engine === 'sqlite') h.deps.engine.sqlite!.prepare(sql).run(...params);
		else await h.deps.store.run(sql, params);
	}

	it('ends at once when another process signs it out or disables its account', async () => {
		const a = await newCitizen(h);
		const b = await newCitizen(h);
		expect([await me(a.token), await me(b.token)]).toEqual([200, 200]);
		await elsewhere('DELETE FROM sessions WHERE user_id = ?', [a.id]);
		expect(await me(a.token)).toBe(401);
		expect(await me(b.token)).toBe(200);
		await elsewhere('UPDATE users SET disabled_at = ? WHERE id = ?', [h.deps.now(), b.id]);
		expect(await me(b.token)).toBe(401);
	});

	it('ends at once when a statement on this very connection ends it, past every rule', async () => {
		const a = await newCitizen(h);
		const b = await newCitizen(h);
		expect([await me(a.token), await me(b.token)]).toEqual([200, 200]);
		await here('UPDATE sessions SET expires_at = ? WHERE user_id = ?', [h.deps.now() - 1, a.id]);
		expect(await me(a.token)).toBe(401);
		await here('UPDATE users SET disabled_at = ? WHERE id = ?', [h.deps.now(), b.id]);
		expect(await me(b.token)).toBe(401);
	});

	it('shows a renamed account at the next request, and its sign-out through the API', async () => {
		const a = await newCitizen(h, '改名前');
		const name = async () =>
			(
				(await (await h.request('GET', '/api/me', { token: a.token })).json()) as {
					user: { name: string };
				}
			).user.name;
		expect(await name()).toBe('改名前');
		await here('UPDATE users SET name = ? WHERE id = ?', ['改名后', a.id]);
		expect(await name()).toBe('改名后');
		expect((await h.request('POST', '/api/auth/logout', { token: a.token })).status).toBe(204);
		expect(await me(a.token)).toBe(401);
	});

	it('is not read again because of a change to other tables (a number taken)', async () => {
		const a = await newCitizen(h);
		const service = await serviceByCode(h, LICENSE);
		const tables = ['sessions', 'users'] as const;
		const before = h.deps.engine.tablesStamp(tables);
		await takeTicket(h, a.token, { serviceId: service.id, channel: 'video' });
		if (h.engine === 'postgres') {
			// no stamp there: every check reads the rows
			expect(before).toBeNull();
			return;
		}
		expect(before).not.toBeNull();
		expect(h.deps.engine.tablesStamp(tables)).toBe(before);
		await here('UPDATE sessions SET last_active_at = last_active_at WHERE user_id = ?', [a.id]);
		expect(h.deps.engine.tablesStamp(tables)).not.toBe(before);
	});
});
