// Staff sessions end after STAFF_IDLE_MINUTES without activity (等保 2.0: sign-out on timeout),
// moved by the test clock. Reads do not count as activity; changes and the page's activity
// reports do, written at most once a minute; a call going on keeps the session.
import { createHash } from 'node:crypto';
import { AccessToken } from 'livekit-server-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './harness.ts';
import { newCitizen } from './booking-helpers.ts';
import { newStaff, openDesk, openVideoSession } from './builders.ts';

const MINUTE = 60_000;
let h: Harness;
afterEach(() => h?.close());

const me = (token: string) => h.request('GET', '/api/me', { token });
const lastActive = async (username: string) =>
	(
		await h.store.get<{ at: number }>(
			'SELECT s.last_active_at AS at FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = ?',
			[username]
		)
	)?.at;

async function agentSession(username: string): Promise<string> {
	const admin = await h.loginAs('admin');
	const orgs = (await (await h.request('GET', '/api/org-units', { token: admin })).json())
		.orgUnits as { id: string; code: string }[];
	return newStaff(h, {
		username,
		role: 'agent',
		orgUnitId: orgs.find((o) => o.code === '370281')!.id
	});
}

describe('the staff idle timeout', () => {
	it('ends a staff session after 30 minutes without activity; reading does not count', async () => {
		h = await createHarness();
		const token = await agentSession('idle-reader');
		h.clock.advance(29 * MINUTE);
		expect((await me(token)).status).toBe(200);
		const clock = await (await h.request('GET', '/api/auth/session', { token })).json();
		expect(clock).toEqual({ idleTimeoutSeconds: 1800, idleExpiresInSeconds: 60 });
		h.clock.advance(MINUTE);
		expect((await me(token)).status).toBe(401);
		// ended, not merely refused: the row is gone
		const rows = await h.store.get<{ n: number }>(
			"SELECT count(*) AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = 'idle-reader'"
		);
		expect(rows!.n).toBe(0);
	});

	it('counts the page’s activity reports and changes, written at most once a minute', async () => {
		h = await createHarness();
		const token = await agentSession('idle-worker');
		const written = async () => (await lastActive('idle-worker'))!;
		const signedInAt = await written();
		h.clock.advance(20 * MINUTE);
		const beat = await h.request('POST', '/api/auth/activity', { token });
		expect(beat.status).toBe(200);
		expect(await beat.json()).toEqual({ idleTimeoutSeconds: 1800, idleExpiresInSeconds: 1800 });
		expect(await written()).toBe(signedInAt + 20 * MINUTE);
		h.clock.advance(30_000);
		await h.request('POST', '/api/auth/activity', { token });
		expect(await written(), 'not written again within the minute').toBe(signedInAt + 20 * MINUTE);
		h.clock.advance(29 * MINUTE);
		expect((await me(token)).status).toBe(200);
		// a change counts as activity (opening a desk)
		await openDesk(h, token);
		h.clock.advance(29 * MINUTE);
		expect((await me(token)).status).toBe(200);
		h.clock.advance(2 * MINUTE);
		expect((await me(token)).status).toBe(401);
	});

	it('keeps the session of an agent in a call, and ends it once the agent has left the call', async () => {
		h = await createHarness({
			env: {
				LIVEKIT_URL: 'ws://127.0.0.1:9',
				LIVEKIT_API_KEY: 'idlekey',
				LIVEKIT_API_SECRET: 'idle-secret-idle-secret-idle-secret'
			}
		});
		const token = await agentSession('idle-caller');
		const agentId = (await (await me(token)).json()).user.id;
		const desk = await openDesk(h, token);
		const { session } = await openVideoSession(h, token, desk.id);
		const webhook = async (event: string, id: string) => {
			const body = JSON.stringify({
				event,
				id,
				createdAt: String(Math.floor(h.clock.now / 1000)),
				room: { name: session.id },
				participant: { identity: agentId, name: 'idle-caller' }
			});
			const at = new AccessToken('idlekey', 'idle-secret-idle-secret-idle-secret');
			at.sha256 = createHash('sha256').update(body).digest('base64');
			const res = await h.request('POST', '/api/livekit/webhook', {
				body,
				headers: { 'content-type': 'application/webhook+json', authorization: await at.toJwt() }
			});
			expect(res.status).toBe(200);
		};
		await webhook('participant_joined', 'EV_idle_join');
		h.clock.advance(45 * MINUTE);
		expect((await me(token)).status, 'in the call for 45 minutes without a click').toBe(200);
		await webhook('participant_left', 'EV_idle_left');
		h.clock.advance(31 * MINUTE);
		expect((await me(token)).status).toBe(401);
	});

	it('follows STAFF_IDLE_MINUTES, and leaves citizens signed in', async () => {
		h = await createHarness({ env: { STAFF_IDLE_MINUTES: '5' } });
		const token = await agentSession('idle-short');
		const citizen = await newCitizen(h);
		h.clock.advance(5 * MINUTE);
		expect((await me(token)).status).toBe(401);
		h.clock.advance(24 * 60 * MINUTE);
		expect((await me(citizen.token)).status).toBe(200);
		const clock = await (
			await h.request('GET', '/api/auth/session', { token: citizen.token })
		).json();
		expect(clock).toEqual({ idleTimeoutSeconds: null, idleExpiresInSeconds: null });
	});

	it("writes no activity for a citizen's changes: their session has no idle clock", async () => {
		h = await createHarness();
		const citizen = await newCitizen(h);
		const at = async () =>
			(await h.store.get<{ at: number }>(
				'SELECT last_active_at AS at FROM sessions WHERE user_id = ?',
				[citizen.id]
			))!.at;
		const before = await at();
		h.clock.advance(10 * MINUTE);
		const beat = await h.request('POST', '/api/auth/activity', { token: citizen.token });
		expect(beat.status).toBe(200);
		expect(await at()).toBe(before);
		// a staff member's change in the same minute is written (the rule is the idle clock's)
		const token = await agentSession('idle-beside-citizen');
		h.clock.advance(10 * MINUTE);
		expect((await h.request('POST', '/api/auth/activity', { token })).status).toBe(200);
		expect(await lastActive('idle-beside-citizen')).toBe(h.clock.now);
	});

	it('answers 401 without a session', async () => {
		h = await createHarness();
		expect((await h.request('POST', '/api/auth/activity')).status).toBe(401);
		expect((await h.request('GET', '/api/auth/session')).status).toBe(401);
	});
});
