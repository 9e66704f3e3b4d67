// How the case form reads a field's stored value and a refusal's reason.
import type { Translate } from '$lib/i18n/index.ts';
import { fieldReasonCode, type FieldValue } from '$shared/forms/template.ts';
import { FieldWriteInput } from '$shared/schemas/cases.ts';

/** A stored value as the form handles it (the values the API accepts for a field). */
export function fieldValue(value: unknown): FieldValue {
	const parsed = FieldWriteInput.shape.value.safeParse(value);
	return parsed.success ? parsed.data : null;
}

/** A value as a control shows it; the choices of a checkbox field joined by `separator`. */
export const display = (v: FieldValue | undefined, separator = ', ') =>
	Array.isArray(v) ? v.join(separator) : v === null || v === undefined ? '' : String(v);

/** A reason the server gave, in the reader's language (a template's own wording as given). */
export function reasonText(t: Translate, reason: string): string {
	const code = fieldReasonCode(reason);
	return code ? t(`case.reason.${code}`) : t('case.reasonOther', { reason });
}
