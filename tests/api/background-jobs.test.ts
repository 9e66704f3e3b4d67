// Background work once across app nodes (issue 22, item 2): two nodes on one database (on
// PostgreSQL two engines with their own pools; on SQLite the harness's connection, as in the
// other two-node tests). A sweep's lease is held by one node at a time and taken over when its
// holder dies; a reminder due while one node is down (or dies mid-send) is sent by the other,
// exactly once, or again under the same idempotency key when the first node's send may have
// reached the gateway.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEngine } from '../../server/engine.ts';
import { runBackgroundJobs, SWEEP_LEASE_MS } from '../../server/jobs/background.ts';
import { takeLease, withLease } from '../../server/jobs/leases.ts';
import { silentLogger } from '../../server/log.ts';
import { CLAIM_MS, deliverDueNotifications, enqueueNotice } from '../../server/notify/outbox.ts';
import type { SmsGateway } from '../../server/notify/sms.ts';
import type { Deps } from '../../server/deps.ts';
import { createHarness, recordingSms, type Harness } from './harness.ts';
import { newCitizen } from './booking-helpers.ts';

let h: Harness;
let nodeB: Deps;
let closeB: () => Promise<void>;
beforeEach(async () => {
	h = await createHarness();
	const own = h.engine === 'postgres';
	const engine = own ? openEngine(h.deps.config) : h.deps.engine;
	nodeB = { ...h.deps, engine, store: engine.store, sms: recordingSms(), log: silentLogger };
	closeB = async () => {
		if (own) await engine.close();
	};
});
afterEach(async () => {
	await closeB();
	await h.close();
});

/** A gateway whose send never returns: the node "dies" while the message is on its way. */
function dyingGateway(): SmsGateway & { given: { phone: string; key?: string }[] } {
	const given: { phone: string; key?: string }[] = [];
	return {
		kind: 'log',
		delivers: false,
		given,
		send: (phone, _text, opts) => {
			given.push({ phone, key: opts?.idempotencyKey });
			return new Promise<void>(() => {});
		}
	};
}

async function dueReminder(userId: string, marker: string) {
	await enqueueNotice(h.deps, {
		userId,
		kind: 'case_completed',
		params: { serviceName: marker },
		dueAt: h.clock.now - 1_000,
		key: `jobs-test:${marker}`,
		channels: ['sms']
	});
	return (await h.store.get<{ id: string }>('SELECT id FROM notifications WHERE dedupe_key = ?', [
		`jobs-test:${marker}:sms`
	]))!.id;
}

describe('sweep leases', () => {
	it('two nodes ask for one lease at once, 20 times: exactly one holds it each time', async () => {
		for (let round = 0; round < 20; round++) {
			const name = `test-sweep-${round}`;
			const wins = await Promise.all([
				takeLease(h.deps, name, SWEEP_LEASE_MS, 'node-a'),
				takeLease(nodeB, name, SWEEP_LEASE_MS, 'node-b')
			]);
			expect(wins.filter(Boolean), `round ${round}`).toHaveLength(1);
		}
	});

	it('a node that dies holding a lease leaves it to expire; then another node runs the sweep', async () => {
		expect(await takeLease(h.deps, 'test-dead-holder', SWEEP_LEASE_MS, 'node-a')).toBe(true);
		// node A is gone without giving it back: node B is kept out while the lease runs
		let ran = 0;
		const sweep = async () => void ran++;
		expect(await withLease(nodeB, 'test-dead-holder', SWEEP_LEASE_MS, sweep, 'node-b')).toBeNull();
		h.clock.advance(SWEEP_LEASE_MS);
		await withLease(nodeB, 'test-dead-holder', SWEEP_LEASE_MS, sweep, 'node-b');
		expect(ran).toBe(1);
		// given back at the end: node A's next tick may run it at once
		expect(await takeLease(h.deps, 'test-dead-holder', SWEEP_LEASE_MS, 'node-a')).toBe(true);
	});
});

describe('notices across nodes', () => {
	it('a reminder due while node A is down is sent once, by node B', async () => {
		const citizen = await newCitizen(h);
		const id = await dueReminder(citizen.id, '节点停机');
		await runBackgroundJobs(nodeB, 'node-b');
		await runBackgroundJobs(nodeB, 'node-b');
		const sms = (nodeB.sms as ReturnType<typeof recordingSms>).sent;
		expect(sms).toEqual([
			{ phone: citizen.phone, text: expect.stringContaining('节点停机'), key: id }
		]);
		// node A comes back: nothing left to send
		await runBackgroundJobs(h.deps, 'node-a');
		expect(h.sms.sent.filter((m) => m.text.includes('节点停机'))).toEqual([]);
	});

	it('both nodes deliver at once: each of 20 reminders goes out once', async () => {
		const citizen = await newCitizen(h);
		const ids = [];
		for (let i = 0; i < 20; i++) ids.push(await dueReminder(citizen.id, `同时发送${i}`));
		await Promise.all([
			deliverDueNotifications(h.deps, { node: 'node-a' }),
			deliverDueNotifications(nodeB, { node: 'node-b' })
		]);
		const keys = [...h.sms.sent, ...(nodeB.sms as ReturnType<typeof recordingSms>).sent]
			.filter((m) => m.text.includes('同时发送'))
			.map((m) => m.key);
		expect(keys.sort()).toEqual([...ids].sort());
	});

	it('node A dies while sending: after its claim runs out node B sends again, under the same idempotency key', async () => {
		const citizen = await newCitizen(h);
		const id = await dueReminder(citizen.id, '发送中断');
		const dying = dyingGateway();
		void deliverDueNotifications({ ...h.deps, sms: dying }, { node: 'node-a' });
		await new Promise((r) => setTimeout(r, 200));
		expect(dying.given).toEqual([{ phone: citizen.phone, key: id }]);
		// while A's claim runs, B leaves the notice alone
		await deliverDueNotifications(nodeB, { node: 'node-b' });
		const sentByB = (nodeB.sms as ReturnType<typeof recordingSms>).sent;
		expect(sentByB).toEqual([]);
		h.clock.advance(CLAIM_MS);
		await deliverDueNotifications(nodeB, { node: 'node-b' });
		// the gateway sees the notice's id twice at most, and drops the repeat by that key
		expect(sentByB.map((m) => m.key)).toEqual([id]);
		const row = await h.store.get<{ sent_at: number | null; attempts: number }>(
			'SELECT sent_at, attempts FROM notifications WHERE id = ?',
			[id]
		);
		expect(row).toEqual({ sent_at: expect.any(Number), attempts: 2 });
	});

	it('a failed send is tried again later, and given up after five attempts', async () => {
		const citizen = await newCitizen(h);
		const id = await dueReminder(citizen.id, '发送失败');
		let tries = 0;
		const failing: SmsGateway = {
			kind: 'log',
			delivers: false,
			send: async () => {
				tries++;
				throw new Error('gateway down');
			}
		};
		const deps = { ...h.deps, sms: failing, log: silentLogger };
		await deliverDueNotifications(deps, { node: 'node-a' });
		await deliverDueNotifications(deps, { node: 'node-a' }); // too soon: not tried again
		expect(tries).toBe(1);
		for (let i = 0; i < 6; i++) {
			h.clock.advance(5 * 60_000);
			await deliverDueNotifications(deps, { node: 'node-a' });
		}
		expect(tries).toBe(5);
		const row = await h.store.get<{ sent_at: number | null; failed_at: number | null }>(
			'SELECT sent_at, failed_at FROM notifications WHERE id = ?',
			[id]
		);
		expect(row).toEqual({ sent_at: null, failed_at: expect.any(Number) });
	});
});
