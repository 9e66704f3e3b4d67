// Proving a phone: a 6-digit code by SMS, sent at once (not on the outbox's tick). Only
// SHA-256(id:code) is stored; a code lives 5 minutes, allows 5 attempts, and a new one replaces
// the open ones. The answer to a code request is the same whether or not the phone has an
// account; only the message differs (a notice instead of a code), so the form reveals nothing.
import { randomInt } from 'node:crypto';
import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeHexLowerCase } from '@oslojs/encoding';
import type { Deps } from '../deps.ts';
import { lockKey } from '../db/dialect.ts';
import { AppError } from '../http/errors.ts';
import { newId } from '../ids.ts';
import { smsText } from '../notify/templates.ts';
import { SmsUnavailableError } from '../notify/sms.ts';
import { checkHourlyLimit } from '../auth/throttle.ts';
import type { PhoneCodeRequest, PhoneCodeSent } from '../../shared/schemas/auth.ts';
import { createAccountsRepo, type PhoneCodeRow } from './repo.ts';
import { maskPhone } from './accounts.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
export const PHONE_CODE_LIFE_MS = 5 * MINUTE;
export const PHONE_CODE_ATTEMPTS = 5;
/** A phone gets at most one code a minute for each purpose, whatever the hourly limit. */
export const PHONE_CODE_RESEND_MS = MINUTE;

function hashCode(id: string, code: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(`${id}:${code}`)));
}

function retryAfter(ms: number): Record<string, string> {
	return { 'Retry-After': String(Math.max(1, Math.ceil(ms / 1000))) };
}

export function smsUnavailable(): AppError {
	return new AppError(
		503,
		'sms_unavailable',
		'Text messages cannot be sent right now; try again later or ask at a service hall'
	);
}

/** An SMS about a code: its template, and whether it carries the code (else a notice only). */
export interface CodeMessage {
	kind: string;
	params: Record<string, string>;
	carriesCode: boolean;
}

/** What the message to this phone says; null when nothing is sent (a reset for no account). */
async function messageFor(
	deps: Deps,
	input: PhoneCodeRequest,
	code: string
): Promise<CodeMessage | null> {
	const account = await createAccountsRepo(deps.store).findUserByPhone(input.phone);
	if (input.purpose === 'register')
		return account
			? { kind: 'phone_already_registered', params: {}, carriesCode: false }
			: { kind: 'phone_code_register', params: { code }, carriesCode: true };
	return account && account.disabled_at === null
		? { kind: 'phone_code_reset', params: { code }, carriesCode: true }
		: null;
}

/**
 * Sends a code for registration or a password reset. Limits: per address per hour, per phone
 * per hour and one message a minute per phone (429 with Retry-After); no gateway → 503.
 */
export async function sendPhoneCode(
	deps: Deps,
	input: PhoneCodeRequest,
	ip: string
): Promise<PhoneCodeSent> {
	return (
		await sendCode(deps, input.phone, input.purpose, ip, (tx, code) => messageFor(tx, input, code))
	).sent;
}

/**
 * Sends a code for any purpose under the same limits. `prepare` runs in the transaction that
 * records the code (with its id, so a caller can bind the code to what it confirms) and says
 * what the message is; null sends nothing, with the same answer.
 */
export async function sendCode(
	deps: Deps,
	phone: string,
	purpose: PhoneCodeRow['purpose'],
	ip: string,
	prepare: (tx: Deps, code: string, codeId: string) => Promise<CodeMessage | null>
): Promise<{ codeId: string; sent: PhoneCodeSent }> {
	const input = { phone, purpose };
	// Checked first, so "no gateway" never depends on whether the phone has an account.
	if (deps.sms.kind === 'none') throw smsUnavailable();
	const { codesPerIpPerHour, codesPerPhonePerHour } = deps.config.sms;
	await checkHourlyLimit(
		deps,
		`sms:ip:${ip}`,
		codesPerIpPerHour,
		'Too many codes requested from this address; try again later'
	);
	const now = deps.now();
	const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
	const id = newId();
	const message = await deps.store.transaction(async (tx) => {
		// the limits count rows that may not exist yet: one sender per phone at a time
		await lockKey(tx, `phone:${input.phone}`);
		const repo = createAccountsRepo(tx);
		const sent = await repo.phoneCodesSince(input.phone, now - HOUR);
		const lastOfPurpose = await repo.lastPhoneCodeAt(input.phone, input.purpose);
		if (lastOfPurpose !== null && now - lastOfPurpose < PHONE_CODE_RESEND_MS)
			throw new AppError(429, 'code_too_soon', 'A code was just sent; wait a minute', {
				headers: retryAfter(lastOfPurpose + PHONE_CODE_RESEND_MS - now)
			});
		if (sent.n >= codesPerPhonePerHour)
			throw new AppError(429, 'rate_limited', 'Too many codes for this phone; try again later', {
				headers: retryAfter(HOUR)
			});
		const message = await prepare({ ...deps, store: tx }, code, id);
		await repo.spendPhoneCodes(input.phone, input.purpose, now);
		await repo.insertPhoneCode({
			id,
			phone: input.phone,
			purpose: input.purpose,
			code_hash: message?.carriesCode ? hashCode(id, code) : null,
			created_at: now,
			expires_at: now + PHONE_CODE_LIFE_MS
		});
		return message;
	});
	if (message) {
		try {
			await deps.sms.send(input.phone, smsText(message.kind, message.params));
		} catch (err) {
			// The code never left: it must not count as open, and the caller may ask again at once.
			await createAccountsRepo(deps.store).spendPhoneCode(id, now);
			if (err instanceof SmsUnavailableError) throw smsUnavailable();
			deps.log('sms failed', { kind: message.kind, error: (err as Error).message });
			throw smsUnavailable();
		}
	}
	return {
		codeId: id,
		sent: {
			phone: maskPhone(input.phone)!,
			expiresInSeconds: PHONE_CODE_LIFE_MS / 1000,
			resendAfterSeconds: PHONE_CODE_RESEND_MS / 1000
		}
	};
}

export function invalidCode(): AppError {
	return new AppError(400, 'invalid_code', 'The code is wrong or has expired; request a new one', {
		fields: { code: 'is wrong or has expired' }
	});
}

/**
 * Checks a code without spending it (the caller spends it in the transaction that uses it).
 * A wrong code uses one of the code's attempts; after the last one the code is dead.
 */
export async function checkPhoneCode(
	deps: Deps,
	phone: string,
	purpose: PhoneCodeRow['purpose'],
	code: string
): Promise<PhoneCodeRow> {
	const now = deps.now();
	const row = await deps.store.transaction(async (tx) => {
		const repo = createAccountsRepo(tx);
		// locked (PostgreSQL: FOR UPDATE) until the attempt is counted
		const row = await repo.latestPhoneCode(phone, purpose);
		if (!row || !row.code_hash || row.expires_at <= now || row.attempts >= PHONE_CODE_ATTEMPTS)
			return null;
		const given = new TextEncoder().encode(hashCode(row.id, code));
		if (constantTimeEqual(given, new TextEncoder().encode(row.code_hash))) return row;
		await repo.countPhoneCodeAttempt(row.id);
		return null;
	});
	if (!row) throw invalidCode();
	return row;
}

/** Spends a checked code inside the caller's transaction; false when another request did first. */
export function spendPhoneCode(deps: Deps, id: string): Promise<boolean> {
	return createAccountsRepo(deps.store).spendPhoneCode(id, deps.now());
}

/** Codes older than a day are of no use to anyone (run with the other housekeeping). */
export function prunePhoneCodes(deps: Deps): Promise<number> {
	return createAccountsRepo(deps.store).prunePhoneCodes(deps.now() - 24 * HOUR);
}
