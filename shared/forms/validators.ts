// Checksums of Chinese identifiers, pure and shared by browser and server.

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** 居民身份证号码 (GB 11643-1999): 17 digits, a check character (0-9 or X), a real birth date. */
export function isValidIdNumber(value: string): boolean {
	return idNumberProblem(value) === null;
}

/** What is wrong with an ID number, so the person can be told: its shape, birth date or check digit. */
export function idNumberProblem(value: string): 'format' | 'birth_date' | 'check_digit' | null {
	const id = value.trim().toUpperCase();
	if (!/^\d{17}[\dX]$/.test(id)) return 'format';
	const birth = id.slice(6, 14);
	const y = +birth.slice(0, 4);
	const m = +birth.slice(4, 6);
	const d = +birth.slice(6, 8);
	const date = new Date(Date.UTC(y, m - 1, d));
	if (
		y < 1900 ||
		date.getUTCFullYear() !== y ||
		date.getUTCMonth() !== m - 1 ||
		date.getUTCDate() !== d
	)
		return 'birth_date';
	const sum = ID_WEIGHTS.reduce((s, w, i) => s + w * Number(id[i]), 0);
	return ID_CHECK[sum % 11] === id[17] ? null : 'check_digit';
}

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The check character of a 统一社会信用代码's first 17 characters (GB 32100-2015). */
export function creditCodeCheck(stem: string): string {
	const sum = USCC_WEIGHTS.reduce((s, w, i) => s + w * USCC_CHARS.indexOf(stem[i]), 0);
	return USCC_CHARS[(31 - (sum % 31)) % 31];
}

/** 统一社会信用代码 (GB 32100-2015): 18 characters from its alphabet, the last a check character. */
export function isValidCreditCode(value: string): boolean {
	const code = value.trim().toUpperCase();
	if (code.length !== 18 || [...code].some((c) => !USCC_CHARS.includes(c))) return false;
	return creditCodeCheck(code.slice(0, 17)) === code[17];
}

/** 110101199003071234 → 1101**********1234: enough to recognise, not to reuse. */
export function maskIdNumber(value: string): string {
	return value.length > 8
		? `${value.slice(0, 4)}${'*'.repeat(value.length - 8)}${value.slice(-4)}`
		: value;
}
