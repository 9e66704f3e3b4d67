import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../log.ts';

/**
 * The SMS edge. Production plugs in an operator's gateway behind this interface. SMS_GATEWAY=log
 * is the local implementation (development, demo, tests): it delivers nothing to a phone, it
 * appends each message as one JSON line `{to, text, at, key?}` to DATA_DIR/sms.log, which is where
 * tests and outside tools read a verification code.
 */
export interface SmsGateway {
	/** What /api/health reports: which gateway, and whether a message really reaches a phone. */
	readonly kind: 'log' | 'none';
	readonly delivers: boolean;
	/**
	 * Hands one message to the gateway. Notices are sent at least once (a node that dies after
	 * sending but before recording it leaves the notice to be sent again): `idempotencyKey` is the
	 * notice's id, which a real gateway must use to drop the repeat.
	 */
	send(phone: string, text: string, opts?: { idempotencyKey?: string }): Promise<void>;
}

/** Thrown when no message can leave: the API answers 503 sms_unavailable. */
export class SmsUnavailableError extends Error {}

export function smsLogPath(dataDir: string): string {
	return path.join(dataDir, 'sms.log');
}

export function createLogSmsGateway(log: Logger, dataDir: string): SmsGateway {
	const file = smsLogPath(dataDir);
	return {
		kind: 'log',
		delivers: false,
		async send(phone, text, opts) {
			const line = JSON.stringify({
				to: phone,
				text,
				at: new Date().toISOString(),
				...(opts?.idempotencyKey ? { key: opts.idempotencyKey } : {})
			});
			try {
				await fs.promises.appendFile(file, line + '\n', { mode: 0o600 });
			} catch (err) {
				throw new SmsUnavailableError(`sms.log cannot be written: ${(err as Error).message}`);
			}
			// The text may carry a code: the server log says only that a message went out.
			log('sms written to sms.log (not delivered)', {
				to: `${phone.slice(0, 3)}****${phone.slice(-4)}`
			});
		}
	};
}

/** No gateway configured: every send fails, so nobody waits for a code that never comes. */
export function createUnconfiguredSmsGateway(): SmsGateway {
	return {
		kind: 'none',
		delivers: false,
		async send() {
			throw new SmsUnavailableError('no SMS gateway is configured (SMS_GATEWAY)');
		}
	};
}

/** The gateway SMS_GATEWAY names; none configured → every send fails with 503 sms_unavailable. */
export function createSmsGateway(config: { gateway: 'log' | null }, log: Logger, dataDir: string) {
	return config.gateway === 'log'
		? createLogSmsGateway(log, dataDir)
		: createUnconfiguredSmsGateway();
}
