import type { User } from '$shared/schemas/auth.ts';
import type { Locale } from '$lib/i18n/index.ts';

declare global {
	namespace App {
		interface Locals {
			user: User | null;
			locale: Locale;
		}
		interface Error {
			message: string;
			code?: string;
		}
	}
}

export {};
