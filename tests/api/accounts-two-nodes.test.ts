// Sign-in, account and audit rules raced by two nodes of the hall on one database
// (docs/transactions.md listed them with no race test): the per-address and per-account limits
// counted across both nodes, an authenticator confirmed twice, one code or recovery code given
// twice, an operator's reset against the second step, one reset code used twice, one username
// created twice, an org unit's contact set twice, one account disabled twice, and the audit log
// pruned by both nodes while others append. Every test builds its own state on a fresh hall.
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pruneAudit, recordAudit, verifyAuditChain } from '../../server/audit/audit.ts';
import { resetTwoFactor, totpCode, totpStep } from '../../server/auth/two-factor.ts';
import { count, createHarness, lastSmsCode, type Harness } from './harness.ts';
import { newCitizen } from './booking-helpers.ts';
import { newStaff } from './builders.ts';
import { answer, byRound, withSecondNode, type HallNode } from './two-nodes.ts';

let h: Harness;
let orgs: { id: string; code: string }[];
const org = (code: string) => orgs.find((o) => o.code === code)!.id;

beforeEach(async () => {
	h = await createHarness();
	const admin = await h.loginAs('admin');
	orgs = (await (await h.request('GET', '/api/org-units', { token: admin })).json()).orgUnits;
});
afterEach(() => h.close());

const ROUNDS = 10;
const PASSWORD = 'Staff#2026';
let logins = 0;

/** A password sign-in from an address of its own (the per-address limit stays out of the way). */
async function signIn(username: string, password = PASSWORD) {
	logins++;
	const res = await h.request('POST', '/api/auth/login', {
		body: { login: username, password },
		ip: `192.0.2.${logins % 250}`
	});
	expect(res.status, `login ${username}`).toBe(200);
	return (await res.json()) as { token: string; secondFactor: string | null };
}

/** A supervisor account (which must give a second factor) created by the admin, not set up. */
async function newSupervisor(username: string) {
	const admin = await h.loginAs('admin');
	const res = await h.request('POST', '/api/admin/staff', {
		token: admin,
		body: {
			username,
			name: username,
			role: 'supervisor',
			orgUnitId: org('370281'),
			password: PASSWORD
		}
	});
	expect(res.status).toBe(201);
	return (await res.json()).user as { id: string };
}

/** The authenticator's code at the harness clock. */
const codeNow = (secret: string) =>
	totpCode(decodeBase32IgnorePadding(secret), totpStep(h.clock.now));

const signedIn = async (token: string) =>
	(await h.request('GET', '/api/me', { token })).status === 200;

/** A supervisor with an authenticator set up; returns its secret and recovery codes. */
async function enrolledSupervisor(username: string) {
	const user = await newSupervisor(username);
	const { token } = await signIn(username);
	const setup = await h.request('POST', '/api/auth/two-factor/setup', { token });
	const { secret } = (await setup.json()) as { secret: string };
	const enrolled = await h.request('POST', '/api/auth/two-factor/enrol', {
		token,
		body: { code: codeNow(secret) }
	});
	expect(enrolled.status).toBe(200);
	const { recoveryCodes } = (await enrolled.json()) as { recoveryCodes: string[] };
	h.clock.advance(30_000); // the enrolment's code is spent
	return { user, secret, recoveryCodes };
}

describe('limits counted across two nodes', () => {
	it('SMS codes asked from one address on both nodes at once: exactly the hourly limit is sent', async () => {
		await withSecondNode(h, async (second, first) => {
			const limit = h.deps.config.sms.codesPerIpPerHour;
			const asked = limit + 10;
			const phones = Array.from({ length: asked }, (_, i) => `1531${String(i).padStart(7, '0')}`);
			const results = await Promise.all(
				phones.map((phone, i) =>
					(i % 2 ? first : second)
						.request('POST', '/api/auth/phone-codes', {
							body: { phone, purpose: 'register' },
							ip: '198.18.0.9'
						})
						.then(answer)
				)
			);
			const statuses = results.map((r) => r.status);
			expect(statuses.filter((s) => s === 202)).toHaveLength(limit);
			expect(statuses.filter((s) => s === 429)).toHaveLength(asked - limit);
			expect(await count(h.store, `phone_codes WHERE phone LIKE '1531%'`)).toBe(limit);
		});
	});

	it('a citizen asks the assistant on both nodes at once: exactly the per-minute limit is answered', async () => {
		await withSecondNode(h, async (second, first) => {
			const citizen = await newCitizen(h);
			const limit = h.deps.config.assistantPerMinute;
			const asked = limit + 10;
			const results = await Promise.all(
				Array.from({ length: asked }, (_, i) =>
					(i % 2 ? first : second)
						.request('POST', '/api/assistant/ask', {
							token: citizen.token,
							body: { message: `怎么办理营业执照 ${i}` }
						})
						.then(answer)
				)
			);
			const statuses = results.map((r) => r.status);
			expect(statuses.filter((s) => s === 200)).toHaveLength(limit);
			expect(statuses.filter((s) => s === 429)).toHaveLength(asked - limit);
			expect(
				await count(
					h.store,
					`assistant_questions q JOIN assistant_conversations c ON c.id = q.conversation_id WHERE c.user_id = '${citizen.id}'`
				)
			).toBe(limit);
		});
	});
});

describe('two-factor sign-in on two nodes at once', () => {
	it('an authenticator confirmed from two sessions at once: one 200, one 409, one set of recovery codes', async () => {
		await withSecondNode(h, async (second, first) => {
			for (let round = 0; round < ROUNDS; round++) {
				const username = `jz.enrol${round}`;
				const user = await newSupervisor(username);
				const sessions = [await signIn(username), await signIn(username)];
				for (const s of sessions) expect(s.secondFactor).toBe('enrol');
				const setup = await h.request('POST', '/api/auth/two-factor/setup', {
					token: sessions[0].token
				});
				const { secret } = (await setup.json()) as { secret: string };
				const body = { code: codeNow(secret) };
				const [a, b] = byRound(round, first, second);
				const results = await Promise.all([
					a.request('POST', '/api/auth/two-factor/enrol', { token: sessions[0].token, body }),
					b.request('POST', '/api/auth/two-factor/enrol', { token: sessions[1].token, body })
				]).then((rs) => Promise.all(rs.map(answer)));
				expect(
					results.map((r) => r.status).sort(),
					`round ${round} ${JSON.stringify(results.map((r) => r.code))}`
				).toEqual([200, 409]);
				expect(results.find((r) => r.status === 409)!.code).toBe('two_factor_enrolled');
				const winner = results.findIndex((r) => r.status === 200);
				expect(await signedIn(sessions[winner].token)).toBe(true);
				expect(await signedIn(sessions[1 - winner].token)).toBe(false);
				// the codes kept are the winner's, once
				expect(await count(h.store, `recovery_codes WHERE user_id = '${user.id}'`)).toBe(
					(results[winner].body.recoveryCodes as string[]).length
				);
				expect(
					await count(
						h.store,
						`audit_log WHERE action = 'auth.2fa_enrolled' AND target_id = '${user.id}'`
					)
				).toBe(1);
			}
		});
	});

	it('one code from the authenticator given by two sessions at once: one signs in, the other 401 code_already_used', async () => {
		await withSecondNode(h, async (second, first) => {
			const { secret } = await enrolledSupervisor('jz.verify');
			for (let round = 0; round < ROUNDS; round++) {
				h.clock.advance(30_000); // a new code each round
				const sessions = [await signIn('jz.verify'), await signIn('jz.verify')];
				const body = { code: codeNow(secret) };
				const [a, b] = byRound(round, first, second);
				const results = await Promise.all([
					a.request('POST', '/api/auth/two-factor/verify', { token: sessions[0].token, body }),
					b.request('POST', '/api/auth/two-factor/verify', { token: sessions[1].token, body })
				]).then((rs) => Promise.all(rs.map(answer)));
				expect(results.map((r) => r.status).sort(), `round ${round}`).toEqual([200, 401]);
				expect(results.find((r) => r.status === 401)!.code).toBe('code_already_used');
				const verified = await Promise.all(sessions.map((s) => signedIn(s.token)));
				expect(verified).toEqual(results.map((r) => r.status === 200));
			}
		});
	});

	it('one recovery code given by two sessions at once: it works once', async () => {
		await withSecondNode(h, async (second, first) => {
			const { user, recoveryCodes } = await enrolledSupervisor('jz.recover');
			for (let round = 0; round < ROUNDS; round++) {
				const sessions = [await signIn('jz.recover'), await signIn('jz.recover')];
				const body = { recoveryCode: recoveryCodes[round] };
				const [a, b] = byRound(round, first, second);
				const results = await Promise.all([
					a.request('POST', '/api/auth/two-factor/recover', { token: sessions[0].token, body }),
					b.request('POST', '/api/auth/two-factor/recover', { token: sessions[1].token, body })
				]).then((rs) => Promise.all(rs.map(answer)));
				expect(results.map((r) => r.status).sort(), `round ${round}`).toEqual([200, 401]);
				expect(results.find((r) => r.status === 401)!.code).toBe('invalid_recovery_code');
				expect(results.find((r) => r.status === 200)!.body.remaining).toBe(
					recoveryCodes.length - round - 1
				);
				expect(
					await count(
						h.store,
						`recovery_codes WHERE user_id = '${user.id}' AND used_at IS NOT NULL`
					)
				).toBe(round + 1);
				expect(
					await count(
						h.store,
						`audit_log WHERE action = 'auth.recovery_code_used' AND target_id = '${user.id}'`
					)
				).toBe(round + 1);
			}
		});
	});

	it('an operator resets the authenticator while its user confirms or gives a code on the other node: nothing of it survives', async () => {
		await withSecondNode(h, async (second, first) => {
			for (let round = 0; round < ROUNDS; round++) {
				const username = `jz.reset${round}`;
				// even rounds race the confirmation of a new authenticator, odd ones the code of a set-up one
				const confirming = round % 2 === 0;
				let user: { id: string };
				let secret: string;
				let token: string;
				if (confirming) {
					user = await newSupervisor(username);
					token = (await signIn(username)).token;
					const setup = await h.request('POST', '/api/auth/two-factor/setup', { token });
					secret = ((await setup.json()) as { secret: string }).secret;
				} else {
					({ user, secret } = await enrolledSupervisor(username));
					token = (await signIn(username)).token;
				}
				const [userOn, operatorOn] = byRound(round, first, second);
				const [given] = await Promise.all([
					userOn
						.request('POST', `/api/auth/two-factor/${confirming ? 'enrol' : 'verify'}`, {
							token,
							body: { code: codeNow(secret) }
						})
						.then(answer),
					resetTwoFactor(operatorOn.deps, username)
				]);
				expect([200, 401, 409], `round ${round} ${JSON.stringify(given.body)}`).toContain(
					given.status
				);
				// the reset came last or first: either way no authenticator, code or session is left
				expect(await count(h.store, `totp_credentials WHERE user_id = '${user.id}'`)).toBe(0);
				expect(await count(h.store, `recovery_codes WHERE user_id = '${user.id}'`)).toBe(0);
				expect(await count(h.store, `sessions WHERE user_id = '${user.id}'`)).toBe(0);
				expect(await signedIn(token)).toBe(false);
			}
		});
	});
});

describe('accounts on two nodes at once', () => {
	it('one password reset code used on both nodes at once: one reset, the other 400 invalid_code', async () => {
		await withSecondNode(h, async (second, first) => {
			for (let round = 0; round < ROUNDS; round++) {
				const citizen = await newCitizen(h);
				h.clock.advance(61_000); // one code a minute per phone: the registration's was this minute
				const sent = await h.request('POST', '/api/auth/phone-codes', {
					body: { phone: citizen.phone, purpose: 'reset' },
					ip: `198.18.1.${round}`
				});
				expect(sent.status).toBe(202);
				const code = lastSmsCode(h.deps.config.dataDir, citizen.phone)!;
				const passwords = ['Reset#One2026', 'Reset#Two2026'];
				const [a, b] = byRound(round, first, second);
				const results = await Promise.all([
					a.request('POST', '/api/auth/password-reset', {
						body: { phone: citizen.phone, code, password: passwords[0] }
					}),
					b.request('POST', '/api/auth/password-reset', {
						body: { phone: citizen.phone, code, password: passwords[1] }
					})
				]).then((rs) => Promise.all(rs.map(answer)));
				expect(
					results.map((r) => r.status).sort(),
					`round ${round} ${JSON.stringify(results.map((r) => r.body))}`
				).toEqual([200, 400]);
				expect(results.find((r) => r.status === 400)!.code).toBe('invalid_code');
				const winner = results.findIndex((r) => r.status === 200);
				// only the winner's password signs in
				for (const [i, password] of passwords.entries()) {
					const login = await h.request('POST', '/api/auth/login', {
						body: { login: citizen.phone, password },
						ip: `198.18.2.${round}`
					});
					expect(login.status, `round ${round} password ${i}`).toBe(i === winner ? 200 : 401);
				}
				expect(
					await count(
						h.store,
						`audit_log WHERE action = 'account.password_reset' AND target_id = '${citizen.id}'`
					)
				).toBe(1);
			}
		});
	});

	it('two admins create one username (in two cases) on two nodes at once: one 201, one 409 username_taken', async () => {
		await withSecondNode(h, async (second, first) => {
			const admin = await h.loginAs('admin');
			for (let round = 0; round < ROUNDS; round++) {
				const body = (username: string) => ({
					username,
					name: '孙磊',
					role: 'agent',
					orgUnitId: org('370281'),
					password: PASSWORD
				});
				const [a, b] = byRound(round, first, second);
				const results = await Promise.all([
					a.request('POST', '/api/admin/staff', { token: admin, body: body(`Sun.Lei${round}`) }),
					b.request('POST', '/api/admin/staff', { token: admin, body: body(`sun.lei${round}`) })
				]).then((rs) => Promise.all(rs.map(answer)));
				expect(
					results.map((r) => r.status).sort(),
					`round ${round} ${JSON.stringify(results.map((r) => r.body))}`
				).toEqual([201, 409]);
				expect(results.find((r) => r.status === 409)!.code).toBe('username_taken');
				expect(
					await count(h.store, `users WHERE lower(username) = 'sun.lei${round}'`),
					`round ${round}`
				).toBe(1);
			}
		});
	});

	it('two admins set one org unit’s contact on two nodes at once: each audit row’s before is the other’s after', async () => {
		await withSecondNode(h, async (second, first) => {
			const admin = await h.loginAs('admin');
			const otherAdmin = await newStaff(h, {
				username: 'admin.two',
				role: 'admin',
				orgUnitId: org('370200')
			});
			const unit = org('370281001');
			for (let round = 0; round < ROUNDS; round++) {
				const contact = (n: number) => ({
					address: `阜安街道郑州路 ${round * 2 + n} 号`,
					phone: `0532-8721${String(round * 2 + n).padStart(4, '0')}`,
					openingHours: `工作日 0${n}:00-17:00`
				});
				const [a, b] = byRound(round, first, second);
				const results = await Promise.all([
					a.request('PUT', `/api/admin/org-units/${unit}/contact`, {
						token: admin,
						body: contact(1)
					}),
					b.request('PUT', `/api/admin/org-units/${unit}/contact`, {
						token: otherAdmin,
						body: contact(2)
					})
				]);
				expect(results.map((r) => r.status)).toEqual([200, 200]);
			}
			const rows = await h.store.all<{ detail: string }>(
				"SELECT detail FROM audit_log WHERE action = 'org_unit.contact_changed' AND target_id = ? ORDER BY seq",
				[unit]
			);
			expect(rows).toHaveLength(2 * ROUNDS);
			const details = rows.map((r) => JSON.parse(r.detail) as { before: unknown; after: unknown });
			for (let i = 1; i < details.length; i++)
				expect(details[i].before, `audit row ${i}`).toEqual(details[i - 1].after);
			const saved = await h.store.get<{ address: string }>(
				'SELECT address FROM org_units WHERE id = ?',
				[unit]
			);
			expect(saved!.address).toBe((details.at(-1)!.after as { address: string }).address);
		});
	});

	it('two admins disable (then enable) one account on two nodes at once: one change, one audit row', async () => {
		await withSecondNode(h, async (second, first) => {
			const admin = await h.loginAs('admin');
			const otherAdmin = await newStaff(h, {
				username: 'admin.three',
				role: 'admin',
				orgUnitId: org('370200')
			});
			const target = await newStaff(h, {
				username: 'agent.target',
				role: 'agent',
				orgUnitId: org('370281')
			});
			const { id } = (await (await h.request('GET', '/api/me', { token: target })).json()).user as {
				id: string;
			};
			for (let round = 0; round < ROUNDS; round++) {
				const step = round % 2 === 0 ? 'disable' : 'enable';
				const [a, b] = byRound(round, first, second);
				const results = await Promise.all([
					a.request('POST', `/api/admin/staff/${id}/${step}`, { token: admin }),
					b.request('POST', `/api/admin/staff/${id}/${step}`, { token: otherAdmin })
				]);
				expect(
					results.map((r) => r.status),
					`round ${round}`
				).toEqual([200, 200]);
				for (const action of ['account.disabled', 'account.enabled'])
					expect(
						await count(h.store, `audit_log WHERE action = '${action}' AND target_id = '${id}'`),
						`round ${round} ${action}`
					).toBe(action === 'account.disabled' ? Math.floor(round / 2) + 1 : Math.ceil(round / 2));
				const row = await h.store.get<{ disabled_at: number | null }>(
					'SELECT disabled_at FROM users WHERE id = ?',
					[id]
				);
				expect(row!.disabled_at === null, `round ${round}`).toBe(step === 'enable');
			}
		});
	});
});

describe('the audit log on two nodes at once', () => {
	it('both nodes prune while others append: the old rows go once, one audit.pruned, the chain verifies', async () => {
		await withSecondNode(h, async (second, first) => {
			for (let round = 0; round < ROUNDS; round++) {
				for (let i = 0; i < 3; i++)
					await recordAudit(h.deps, { action: 'export.csv', detail: { round, i, old: true } });
				const before = await count(h.store, 'audit_log');
				h.clock.advance(200 * 24 * 3_600_000); // past the retention
				const append = (node: HallNode, i: number) =>
					recordAudit(node.deps, { action: 'export.csv', detail: { round, i } });
				const [a, b] = byRound(round, first, second);
				const [prunedA, prunedB] = await Promise.all([
					pruneAudit(a.deps),
					pruneAudit(b.deps),
					append(a, 0),
					append(b, 1)
				]);
				// every row before the clock moved was pruned, once
				expect(prunedA + prunedB, `round ${round}`).toBe(before);
				expect([prunedA, prunedB].filter((n) => n > 0)).toHaveLength(1);
				expect(await count(h.store, `audit_log WHERE action = 'audit.pruned'`)).toBe(1);
				expect(await count(h.store, `audit_log WHERE action = 'export.csv'`)).toBe(2);
				expect(await verifyAuditChain(h.deps), `round ${round}`).toMatchObject({ ok: true });
			}
		});
	});
});
