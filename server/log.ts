/** Structured one-line logs to stderr. Keys that could hold secrets are redacted, always. */
export type Logger = (event: string, fields?: Record<string, unknown>) => void;

const SECRET_KEY = /pass|token|secret|authorization|cookie|id_?number|idcard/i;

export function redact(fields: Record<string, unknown>): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(fields)) out[k] = SECRET_KEY.test(k) ? '[redacted]' : v;
	return out;
}

export function createLogger(
	write: (line: string) => void = (l) => process.stderr.write(l + '\n')
): Logger {
	return (event, fields = {}) =>
		write(JSON.stringify({ t: new Date().toISOString(), event, ...redact(fields) }));
}

export const silentLogger: Logger = () => {};
