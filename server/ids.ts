import { randomFillSync } from 'node:crypto';

/**
 * Random bytes are drawn from the CSPRNG 4 KiB at a time and each is handed out once, as Node's
 * own crypto.randomUUID caches its entropy: a call for 15 bytes costs ~2.7 µs here (most of it the
 * call, not the bytes), and a take makes ids on its hot path (issue 19).
 */
const POOL = new Uint8Array(4096);
let used = POOL.length;

/** The offset in POOL of n bytes nobody has had yet. */
function freshBytes(n: number): number {
	if (used + n > POOL.length) {
		randomFillSync(POOL);
		used = 0;
	}
	const at = used;
	used += n;
	return at;
}

/** RFC 4648 base32, lower case (what @oslojs/encoding wrote for newId before). */
const RFC_BASE32 = charCodes('abcdefghijklmnopqrstuvwxyz234567');
// the same 32 characters in ASCII order, so the text sorts as the bits do
const SORTED_BASE32 = charCodes('234567abcdefghijklmnopqrstuvwxyz');

function charCodes(alphabet: string): number[] {
	return Array.from(alphabet, (c) => c.charCodeAt(0));
}

/** 15 bytes from `from` as 24 characters: each 5 bytes as 8, most significant bits first. */
function base32Of15(bytes: Uint8Array, from: number, alphabet: number[]): string {
	const out = new Array<number>(24);
	for (let g = 0; g < 3; g++) {
		const i = from + g * 5;
		const o = g * 8;
		const b0 = bytes[i];
		const b1 = bytes[i + 1];
		const b2 = bytes[i + 2];
		const b3 = bytes[i + 3];
		const b4 = bytes[i + 4];
		out[o] = alphabet[b0 >> 3];
		out[o + 1] = alphabet[((b0 & 7) << 2) | (b1 >> 6)];
		out[o + 2] = alphabet[(b1 >> 1) & 31];
		out[o + 3] = alphabet[((b1 & 1) << 4) | (b2 >> 4)];
		out[o + 4] = alphabet[((b2 & 15) << 1) | (b3 >> 7)];
		out[o + 5] = alphabet[(b3 >> 2) & 31];
		out[o + 6] = alphabet[((b3 & 3) << 3) | (b4 >> 5)];
		out[o + 7] = alphabet[b4 & 31];
	}
	return String.fromCharCode(...out);
}

/** Random, URL-safe, unguessable id (120 bits): row ids and room names (tickets: newTimeOrderedId). */
export function newId(): string {
	return base32Of15(POOL, freshBytes(15), RFC_BASE32);
}

const timed = new Uint8Array(15);

/**
 * An id like newId (24 of the same characters, still 72 random bits) that starts with the
 * millisecond it was made, so ids made later sort after. For a table written at a high rate
 * (tickets, issue 19): a new row's primary-key entry lands on the index's last page, which the
 * rows before it already made dirty, instead of on a random page a commit must write again
 * (a group commit of ten tickets wrote ~38 pages to the WAL, now ~31).
 */
export function newTimeOrderedId(now = Date.now()): string {
	let ms = Math.max(0, Math.floor(now));
	for (let i = 5; i >= 0; i--) {
		timed[i] = ms % 256;
		ms = Math.floor(ms / 256);
	}
	const at = freshBytes(9);
	timed.set(POOL.subarray(at, at + 9), 6);
	return base32Of15(timed, 0, SORTED_BASE32);
}
