import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';

/** Random, URL-safe, unguessable id (120 bits): row ids and room names (tickets: newTimeOrderedId). */
export function newId(): string {
	const bytes = new Uint8Array(15);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

// newId's 32 characters in ASCII order, so the text sorts as the bits do
const SORTED_BASE32 = '234567abcdefghijklmnopqrstuvwxyz';

/**
 * An id like newId (24 of the same characters, still 72 random bits) that starts with the
 * millisecond it was made, so ids made later sort after. For a table written at a high rate
 * (tickets, issue 19): a new row's primary-key entry lands on the index's last page, which the
 * rows before it already made dirty, instead of on a random page a commit must write again
 * (a group commit of ten tickets wrote ~38 pages to the WAL, now ~31).
 */
export function newTimeOrderedId(now = Date.now()): string {
	const bytes = new Uint8Array(15);
	crypto.getRandomValues(bytes.subarray(6));
	let ms = Math.max(0, Math.floor(now));
	for (let i = 5; i >= 0; i--) {
		bytes[i] = ms % 256;
		ms = Math.floor(ms / 256);
	}
	let out = '';
	let buffer = 0;
	let bits = 0;
	for (const byte of bytes) {
		buffer = (buffer << 8) | byte;
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			out += SORTED_BASE32[(buffer >>> bits) & 31];
		}
		buffer &= (1 << bits) - 1;
	}
	return out;
}
