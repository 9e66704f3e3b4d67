// A key per rendered form for the writes a person may send twice: a double click, the browser's
// "resend" after a dropped connection, a retry through the balancer after a node went down. The
// form carries it as a hidden field; its action hands it to the API as the Idempotency-Key
// (server/http/idempotency.ts), so the write lands once. A new key comes with every load.
export const WRITE_KEY_FIELD = 'writeKey';

export function newWriteKey(): string {
	return `f-${crypto.randomUUID()}`;
}

/**
 * The Idempotency-Key header for the form's write; `part` tells two writes of one submission
 * apart (finish, then call the next). No header when the form carried no key.
 */
export function writeKeyHeaders(form: FormData, part?: string): Record<string, string> {
	const key = form.get(WRITE_KEY_FIELD);
	if (typeof key !== 'string' || !key) return {};
	return { 'idempotency-key': part ? `${key}:${part}` : key };
}
