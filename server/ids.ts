import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';

/** Random, URL-safe, unguessable id (120 bits). Used for every row id and room name. */
export function newId(): string {
	const bytes = new Uint8Array(15);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}
