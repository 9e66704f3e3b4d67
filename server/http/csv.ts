// CSV for downloads that open in a spreadsheet (Excel, WPS): the dashboard's tables, the audit log.

export const snakeCase = (key: string) => key.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());

function csvField(value: unknown): string {
	if (value === null || value === undefined) return '';
	let s = String(value);
	// text a spreadsheet would run as a formula (questions are typed by citizens)
	if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = "'" + s;
	return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180 CSV with a UTF-8 byte order mark (so Excel reads Chinese) and CRLF line ends. */
export function toCsv(columns: string[], rows: Record<string, unknown>[]): string {
	const lines = [columns.map(snakeCase).join(',')];
	for (const row of rows) lines.push(columns.map((c) => csvField(row[c])).join(','));
	return '\uFEFF' + lines.join('\r\n') + '\r\n';
}
