import type { User } from '$shared/schemas/auth.ts';
import type { Locale } from '$lib/i18n/index.ts';
import type { Acting } from '$shared/schemas/acting.ts';

declare global {
	namespace App {
		interface Locals {
			user: User | null;
			locale: Locale;
			/** 适老化 mode: the `care` cookie of this device, or the signed-in account's choice. */
			care: boolean;
			/** 代办: whom the signed-in citizen acts for (the session's grant), else null */
			acting: Acting | null;
		}
		/** The root layout's data every page has (web/routes/+layout.server.ts). */
		interface PageData {
			/** 代办: whom this sign-in acts for (the banner, the acting errors), else null */
			acting?: Acting | null;
		}
		interface Error {
			message: string;
			code?: string;
		}
	}
}

export {};
