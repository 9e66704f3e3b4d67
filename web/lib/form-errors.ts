import type { ApiError } from './api.ts';
import { hasMessage, type MessageKey, type Translate } from './i18n/index.ts';

/** The localized message for one field of an API error, or null when the field is fine. */
export function fieldError(
	t: Translate,
	error: ApiError | null | undefined,
	field: string
): string | null {
	const raw = error?.fields?.[field];
	if (!raw || !error) return null;
	const key = error.code === 'validation_failed' ? `fieldError.${field}` : `error.${error.code}`;
	return hasMessage(key) ? t(key as MessageKey) : raw;
}
