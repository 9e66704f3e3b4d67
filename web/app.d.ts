import type { User } from '$shared/schemas/auth.ts';
import type { Locale } from '$lib/i18n/index.ts';

declare global {
	namespace App {
		interface Locals {
			user: User | null;
			locale: Locale;
			/** 适老化 mode: the `care` cookie of this device, or the signed-in account's choice. */
			care: boolean;
		}
		interface Error {
			message: string;
			code?: string;
		}
	}
}

export {};
