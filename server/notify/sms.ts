import type { Logger } from '../log.ts';

/**
 * The SMS edge. Production plugs in an operator's gateway; the local implementation writes the
 * message to the log with the number masked, which is what development and CI use.
 */
export interface SmsGateway {
	send(phone: string, text: string): Promise<void>;
}

export function createLogSmsGateway(log: Logger): SmsGateway {
	return {
		async send(phone, text) {
			log('sms (local gateway)', { to: `${phone.slice(0, 3)}****${phone.slice(-4)}`, text });
		}
	};
}
