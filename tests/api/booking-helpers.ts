import { registerCitizen } from '../../server/accounts/citizens.ts';
import { sendPhoneCode } from '../../server/accounts/phone-codes.ts';
import { startSession } from '../../server/auth/auth.ts';
import { lastSmsCode, type Harness } from './harness.ts';

export async function serviceByCode(
	h: Harness,
	code: string
): Promise<{ id: string; name: string }> {
	const items = (await (await h.request('GET', '/api/services')).json()).items as {
		id: string;
		code: string;
		name: string;
	}[];
	const item = items.find((i) => i.code === code);
	if (!item) throw new Error(`no item ${code}`);
	return item;
}

export interface SlotView {
	id: string;
	start: string;
	remaining: number;
	capacity: number;
	bookable: boolean;
	reason: string | null;
}

export async function slotsOn(h: Harness, serviceId: string, date: string, channel = 'video') {
	const res = await h.request(
		'GET',
		`/api/services/${serviceId}/slots?date=${date}&channel=${channel}`
	);
	if (res.status !== 200) throw new Error(`slots: ${res.status} ${await res.text()}`);
	return (await res.json()) as { slots: SlotView[]; closures: { notice: string }[] };
}

export async function slotAt(
	h: Harness,
	serviceId: string,
	date: string,
	hhmm: string,
	channel = 'video'
) {
	const { slots } = await slotsOn(h, serviceId, date, channel);
	const slot = slots.find((s) => s.start.slice(11, 16) === hhmm);
	if (!slot) throw new Error(`no slot at ${date} ${hhmm}`);
	return slot;
}

/** What a race's worker processes open: the run's PostgreSQL database, or the SQLite file. */
export function raceDatabase(h: Harness): string {
	return h.deps.config.databaseUrl ?? h.deps.config.databasePath;
}

let n = 0;
/** A new citizen with a session token (phones 1520000xxxx). */
export async function newCitizen(
	h: Harness,
	name = '测试群众'
): Promise<{ id: string; token: string; phone: string }> {
	const phone = `152${String(process.pid % 10000).padStart(4, '0')}${String(n++).padStart(4, '0')}`;
	// the way a citizen registers: a code by SMS (read back from sms.log), then the form; each
	// builder citizen comes from its own address, so the per-address limits stay out of the way
	const ip = `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
	await sendPhoneCode(h.deps, { phone, purpose: 'register' }, ip);
	const code = lastSmsCode(h.deps.config.dataDir, phone)!;
	const user = await registerCitizen(h.deps, { phone, code, password: 'Citizen#2026', name }, ip);
	// the registration text is set-up, not one of the messages a test asserts on
	const i = h.sms.sent.findLastIndex((m) => m.phone === phone);
	if (i >= 0) h.sms.sent.splice(i, 1);
	return { id: user.id, token: (await startSession(h.deps, user)).token, phone };
}

export function book(
	h: Harness,
	token: string,
	body: { slotId: string; serviceId: string; channel?: string },
	key?: string
) {
	return h.request('POST', '/api/appointments', {
		token,
		body: { channel: 'video', ...body },
		headers: key ? { 'idempotency-key': key } : {}
	});
}
