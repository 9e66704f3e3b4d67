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

/** One problem of a rejected import file: where (row or line number), which field, why. */
export interface ImportProblem {
	at: string;
	field: string;
	message: string;
}

/**
 * The problems of an `import_rejected` error, whose fields are named "<unit> N.field"
 * ("row 3.name" for the catalog, "line 2.body" for the knowledge base).
 */
export function importProblems(
	error: ApiError | null | undefined,
	unit: 'row' | 'line'
): ImportProblem[] {
	if (error?.code !== 'import_rejected') return [];
	const pattern = new RegExp(`^${unit} (\\d+)\\.(.*)$`);
	return Object.entries(error.fields ?? {}).map(([key, message]) => {
		const m = pattern.exec(key);
		return { at: m?.[1] ?? '', field: m?.[2] ?? key, message };
	});
}
