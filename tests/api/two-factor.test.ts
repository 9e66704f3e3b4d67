// Staff two-factor sign-in (issue 17 part 2): after the password, admins and supervisors (and
// any staff member who set up an authenticator) give a TOTP code before the session is signed in.
// Codes are computed from the harness clock, as an authenticator app would from its own.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { totpCode, totpStep } from '../../server/auth/two-factor.ts';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../../server/demo/hall.ts';
import { createHarness, type Harness } from './harness.ts';
import { enrolAuthenticator, newStaff } from './builders.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const STEP = 30_000;

let h: Harness;
let logged: string[];
beforeEach(async () => {
	h = await createHarness();
	// every log line the app writes, to show no code or secret ever reaches one
	logged = [];
	h.deps.log = (event, fields) => void logged.push(JSON.stringify({ event, ...fields }));
});
afterEach(() => h.close());

const demoKey = decodeBase32IgnorePadding(DEMO_TOTP_SECRET);
/** The demo staff's code for the step `offset` steps from the harness clock's. */
const demoCode = (offset = 0) => totpCode(demoKey, totpStep(h.clock.now) + offset);

async function signIn(login: string, password = DEMO_PASSWORD) {
	const res = await h.request('POST', '/api/auth/login', { body: { login, password } });
	expect(res.status, `login ${login}`).toBe(200);
	return (await res.json()) as { token: string; secondFactor: 'verify' | 'enrol' | null };
}

const verify = (token: string, code: string) =>
	h.request('POST', '/api/auth/two-factor/verify', { token, body: { code } });

async function errorCode(res: Response) {
	return ((await res.json()) as { error: { code: string } }).error.code;
}

async function stepOf(token: string) {
	const res = await h.request('GET', '/api/auth/two-factor', { token });
	expect(res.status).toBe(200);
	return ((await res.json()) as { step: string | null }).step;
}

const signedIn = async (token: string) =>
	(await h.request('GET', '/api/me', { token })).status === 200;

function auditRows(action: string) {
	return h.store.all<{ actor_id: string | null; detail: string }>(
		'SELECT actor_id, detail FROM audit_log WHERE action = ? ORDER BY seq',
		[action]
	);
}

const JZ = async () =>
	(await h.store.get<{ id: string }>("SELECT id FROM org_units WHERE code = '370281'"))!.id;

async function createAccount(username: string, role: string) {
	const admin = await h.loginAs('admin');
	const res = await h.request('POST', '/api/admin/staff', {
		token: admin,
		body: { username, name: username, role, orgUnitId: await JZ(), password: 'Staff#2026' }
	});
	expect(res.status).toBe(201);
}

describe('a session awaiting its second factor', () => {
	it('reaches no staff route: admin and supervisor are asked for a code first', async () => {
		for (const login of ['admin', 'supervisor']) {
			const { token, secondFactor } = await signIn(login);
			expect(secondFactor, login).toBe('verify');
			expect((await h.request('GET', '/api/admin/staff', { token })).status, login).toBe(401);
			expect((await h.request('GET', '/api/stats/live', { token })).status, login).toBe(401);
			expect(await signedIn(token), login).toBe(false);
			expect(await stepOf(token), login).toBe('verify');
		}
	});

	it('is signed in once the right code is given, and the code works only once', async () => {
		const first = await signIn('admin');
		const code = demoCode();
		expect((await verify(first.token, code)).status).toBe(200);
		expect(await signedIn(first.token)).toBe(true);
		expect(await stepOf(first.token)).toBeNull();
		expect((await h.request('GET', '/api/admin/staff', { token: first.token })).status).toBe(200);

		// someone who saw the code over the admin's shoulder (and knows the password)
		const second = await signIn('admin');
		const replay = await verify(second.token, code);
		expect(replay.status).toBe(401);
		expect(await errorCode(replay)).toBe('code_already_used');
		expect(await signedIn(second.token)).toBe(false);
		// an earlier step's code is used up as well; the next one still works
		expect(await errorCode(await verify(second.token, demoCode(-1)))).toBe('code_already_used');
		expect((await verify(second.token, demoCode(1))).status).toBe(200);
		// a replay is not a guess: it does not count toward the lock
		const row = await h.store.get("SELECT failures FROM login_throttle WHERE key = 'acct:admin'");
		expect(row).toBeUndefined();
	});

	it('refuses a code two steps ahead, and the previous step’s once time moved on', async () => {
		const { token } = await signIn('supervisor');
		const res = await verify(token, demoCode(2));
		expect(res.status).toBe(401);
		expect(await errorCode(res)).toBe('invalid_totp_code');
		const old = demoCode();
		h.clock.advance(2 * STEP);
		expect(await errorCode(await verify(token, old))).toBe('invalid_totp_code');
		expect((await verify(token, demoCode())).status).toBe(200);
	});

	it('counts wrong codes as failed sign-ins: the account locks, for the password too', async () => {
		const { token } = await signIn('admin');
		const right = demoCode();
		const wrong = right === '000000' ? '111111' : '000000';
		const max = h.deps.config.login.maxFailures;
		for (let i = 0; i < max; i++) expect((await verify(token, wrong)).status).toBe(401);
		const locked = await verify(token, right);
		expect(locked.status).toBe(429);
		expect(await errorCode(locked)).toBe('account_locked');
		const password = await h.request('POST', '/api/auth/login', {
			body: { login: 'admin', password: DEMO_PASSWORD }
		});
		expect(password.status).toBe(429);
		expect(await auditRows('auth.2fa_failed')).toHaveLength(max);
		expect(await auditRows('auth.locked')).toHaveLength(1);
	});

	it('keeps counting failures across a right password (no fresh guesses per sign-in)', async () => {
		const max = h.deps.config.login.maxFailures;
		for (let i = 0; i < max; i++) {
			const { token } = await signIn('supervisor');
			const wrong = demoCode() === '000000' ? '111111' : '000000';
			expect((await verify(token, wrong)).status).toBe(401);
		}
		const res = await h.request('POST', '/api/auth/login', {
			body: { login: 'supervisor', password: DEMO_PASSWORD }
		});
		expect(res.status).toBe(429);
	});

	it('checks its input: which field and why', async () => {
		const { token } = await signIn('admin');
		const res = await h.request('POST', '/api/auth/two-factor/verify', {
			token,
			body: { code: '12ab' }
		});
		expect(res.status).toBe(400);
		expect((await res.json()).error.fields).toEqual({
			code: 'must be the 6 digits your authenticator app shows'
		});
		// full-width digits and spaces as a phone keyboard may type them
		const typed = demoCode()
			.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)))
			.replace(/^(...)/, '$1 ');
		expect((await verify(token, typed)).status).toBe(200);
	});

	it('expires after ten minutes without its code, and can sign out', async () => {
		const late = await signIn('admin');
		h.clock.advance(11 * 60_000);
		expect((await h.request('GET', '/api/auth/two-factor', { token: late.token })).status).toBe(
			401
		);
		const leaving = await signIn('admin');
		const out = await h.request('POST', '/api/auth/logout', { token: leaving.token });
		expect(out.status).toBe(204);
		expect((await h.request('GET', '/api/auth/two-factor', { token: leaving.token })).status).toBe(
			401
		);
		expect((await auditRows('auth.logout')).at(-1)?.actor_id).not.toBeNull();
	});

	it('answers 401 to the two-factor routes without a session', async () => {
		for (const [method, url, body] of [
			['GET', '/api/auth/two-factor', undefined],
			['POST', '/api/auth/two-factor/setup', undefined],
			['POST', '/api/auth/two-factor/enrol', { code: '123456' }],
			['POST', '/api/auth/two-factor/verify', { code: '123456' }],
			['POST', '/api/auth/two-factor/recover', { recoveryCode: 'abcd-efgh-ijkl-mnop' }]
		] as const) {
			const res = await h.request(method, url, { body });
			expect(res.status, url).toBe(401);
			expect(await errorCode(res)).toBe('unauthenticated');
		}
	});
});

describe('setting up an authenticator', () => {
	it('is asked of a new admin: a wrong code is refused, the right one gives recovery codes', async () => {
		await createAccount('jz.admin', 'admin');
		const { token, secondFactor } = await signIn('jz.admin', 'Staff#2026');
		expect(secondFactor).toBe('enrol');
		expect(await stepOf(token)).toBe('enrol');
		expect((await h.request('GET', '/api/admin/staff', { token })).status).toBe(401);

		const early = await h.request('POST', '/api/auth/two-factor/enrol', {
			token,
			body: { code: '123456' }
		});
		expect(await errorCode(early)).toBe('no_pending_secret');

		const setup = await h.request('POST', '/api/auth/two-factor/setup', { token });
		expect(setup.status).toBe(200);
		const { secret, uri } = (await setup.json()) as { secret: string; uri: string };
		expect(secret).toMatch(/^[A-Z2-7]{32}$/);
		expect(uri).toBe(
			`otpauth://totp/Cloud%20Hall:jz.admin?secret=${secret}&issuer=Cloud%20Hall&digits=6&period=30`
		);
		const key = decodeBase32IgnorePadding(secret);
		const right = totpCode(key, totpStep(h.clock.now));
		const wrong = await h.request('POST', '/api/auth/two-factor/enrol', {
			token,
			body: { code: right === '000000' ? '111111' : '000000' }
		});
		expect(wrong.status).toBe(401);
		expect(await errorCode(wrong)).toBe('invalid_totp_code');
		expect(await signedIn(token)).toBe(false);

		const enrolled = await h.request('POST', '/api/auth/two-factor/enrol', {
			token,
			body: { code: right }
		});
		expect(enrolled.status).toBe(200);
		const { recoveryCodes } = (await enrolled.json()) as { recoveryCodes: string[] };
		expect(recoveryCodes).toHaveLength(10);
		expect(new Set(recoveryCodes).size).toBe(10);
		expect(await signedIn(token)).toBe(true);
		expect((await h.request('GET', '/api/admin/staff', { token })).status).toBe(200);
		// kept only as hashes
		const stored = await h.store.all<{ code_hash: string }>('SELECT code_hash FROM recovery_codes');
		expect(stored.map((r) => r.code_hash)).not.toContain(recoveryCodes[0]);

		// set up once: a second set-up is refused (only a reset replaces it)
		const again = await h.request('POST', '/api/auth/two-factor/setup', { token });
		expect(again.status).toBe(409);
		expect(await errorCode(again)).toBe('two_factor_enrolled');
		// the next sign-in asks for a code of the new authenticator
		const next = await signIn('jz.admin', 'Staff#2026');
		expect(next.secondFactor).toBe('verify');
		expect((await verify(next.token, totpCode(key, totpStep(h.clock.now) + 1))).status).toBe(200);

		expect(await auditRows('auth.2fa_enrolled')).toHaveLength(1);
		expect((await auditRows('auth.2fa_failed')).map((r) => JSON.parse(r.detail))).toEqual([
			{ reason: 'wrong_code' }
		]);
	});

	it('is not asked of an agent, who signs in with the password alone unless they set one up', async () => {
		const token = await newStaff(h, { username: 'jz.agent', role: 'agent', orgUnitId: await JZ() });
		expect(await signedIn(token)).toBe(true);
		expect(await stepOf(token)).toBeNull();
		expect((await signIn('jz.agent', 'Staff#2026')).secondFactor).toBeNull();

		// an agent may set one up; from then on, they are always asked
		await enrolAuthenticator(h, token);
		expect((await signIn('jz.agent', 'Staff#2026')).secondFactor).toBe('verify');
		// the demo agent set one up in the seed
		expect((await signIn('agent')).secondFactor).toBe('verify');
	});

	it('is asked of agents too with TWO_FACTOR_ROLES=admin,supervisor,agent; never of citizens', async () => {
		await h.close();
		h = await createHarness({ env: { TWO_FACTOR_ROLES: 'admin,supervisor,agent' } });
		await createAccount('jz.agent', 'agent');
		const { token, secondFactor } = await signIn('jz.agent', 'Staff#2026');
		expect(secondFactor).toBe('enrol');
		expect(await signedIn(token)).toBe(false);
		await enrolAuthenticator(h, token);
		expect(await signedIn(token)).toBe(true);

		const citizen = await signIn('13800000001');
		expect(citizen.secondFactor).toBeNull();
		const setup = await h.request('POST', '/api/auth/two-factor/setup', { token: citizen.token });
		expect(setup.status).toBe(403);
	});
});

describe('recovery codes', () => {
	it('sign in once each, instead of the authenticator’s code', async () => {
		await createAccount('jz.super', 'supervisor');
		const { token } = await signIn('jz.super', 'Staff#2026');
		const { recoveryCodes } = await enrolAuthenticator(h, token);

		const lost = await signIn('jz.super', 'Staff#2026');
		const used = await h.request('POST', '/api/auth/two-factor/recover', {
			token: lost.token,
			body: { recoveryCode: recoveryCodes[3].toUpperCase() }
		});
		expect(used.status).toBe(200);
		expect((await used.json()).remaining).toBe(9);
		expect(await signedIn(lost.token)).toBe(true);

		const again = await signIn('jz.super', 'Staff#2026');
		const refused = await h.request('POST', '/api/auth/two-factor/recover', {
			token: again.token,
			body: { recoveryCode: recoveryCodes[3] }
		});
		expect(refused.status).toBe(401);
		expect(await errorCode(refused)).toBe('invalid_recovery_code');
		expect(await signedIn(again.token)).toBe(false);

		expect((await auditRows('auth.recovery_code_used')).map((r) => JSON.parse(r.detail))).toEqual([
			{ remaining: 9 }
		]);
	});
});

describe('the audit trail and the logs', () => {
	it('hold no code, secret or recovery code', async () => {
		await createAccount('jz.admin', 'admin');
		const { token } = await signIn('jz.admin', 'Staff#2026');
		const { secret, recoveryCodes } = await enrolAuthenticator(h, token);
		const key = decodeBase32IgnorePadding(secret);
		const code = totpCode(key, totpStep(h.clock.now));
		const next = await signIn('jz.admin', 'Staff#2026');
		await verify(next.token, code); // a replay: refused and audited
		await verify(next.token, code === '000000' ? '111111' : '000000');
		await h.request('POST', '/api/auth/two-factor/recover', {
			token: next.token,
			body: { recoveryCode: recoveryCodes[0] }
		});
		const trail = JSON.stringify(await h.store.all('SELECT * FROM audit_log'));
		const everything = trail + logged.join('\n');
		for (const s of [secret, code, recoveryCodes[0], recoveryCodes[0].replace(/-/g, '')])
			expect(everything).not.toContain(s);
		expect((await auditRows('auth.2fa_failed')).map((r) => JSON.parse(r.detail).reason)).toEqual([
			'code_already_used',
			'wrong_code'
		]);
	});
});

describe('npm run staff -- reset-2fa', () => {
	// the command opens the run's database: DATA_DIR's SQLite file, or DATABASE_URL's PostgreSQL
	// (never one the environment happened to carry)
	const cliEnv = () => {
		const { DATABASE_URL: _inherited, ...env } = process.env;
		const url = h.deps.config.databaseUrl;
		return { ...env, DATA_DIR: h.dir, ...(url ? { DATABASE_URL: url } : {}) };
	};

	it('removes the authenticator and recovery codes, ends the sessions; audited as the command line', async () => {
		const admin = await h.loginAs('admin');
		const supervisor = await h.loginAs('supervisor');
		const cli = await run(
			process.execPath,
			['scripts/staff.ts', 'reset-2fa', '--username', 'supervisor'],
			{ cwd: root, env: cliEnv() }
		);
		expect(cli.stdout).toMatch(
			/two-factor sign-in reset for supervisor \(陈敏\); 1 session\(s\) ended/
		);
		expect(await signedIn(supervisor)).toBe(false);
		expect(await signedIn(admin)).toBe(true);
		// the next sign-in sets up a new authenticator
		expect((await signIn('supervisor')).secondFactor).toBe('enrol');

		const rows = await h.store.all<{ actor_id: string | null; ip: string; detail: string }>(
			"SELECT actor_id, ip, detail FROM audit_log WHERE action = 'account.2fa_reset'"
		);
		expect(rows).toHaveLength(1);
		expect(rows[0].actor_id).toBeNull();
		expect(rows[0].ip).toMatch(/^cli:/);
		expect(JSON.parse(rows[0].detail)).toMatchObject({ username: 'supervisor', sessionsEnded: 1 });

		const unknown = await run(
			process.execPath,
			['scripts/staff.ts', 'reset-2fa', '--username', 'nobody'],
			{ cwd: root, env: cliEnv() }
		).catch((err) => err);
		expect(unknown.code).toBe(1);
		expect(unknown.stderr).toMatch(/not_found/);
	});
});
