// What the citizen's notices say after they change an appointment: a reschedule tells the move
// (from the old time to the new, "已改约"), a cancel tells the cancel ("已取消"), and neither reads
// as a fresh booking. The clock starts on Thursday 2026-11-26 at 09:00 in Shanghai.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deliverDueNotifications } from '../../server/notify/outbox.ts';
import { createHarness, type Harness } from './harness.ts';
import { book, newCitizen, serviceByCode, slotAt } from './booking-helpers.ts';

interface NoticeView {
	kind: string;
	params: Record<string, string>;
	link: string | null;
}

let h: Harness;
let license: { id: string; name: string };

beforeEach(async () => {
	h = await createHarness();
	license = await serviceByCode(h, '370281-XZSP-001');
});
afterEach(() => h.close());

async function bookAt(token: string, date: string, hhmm: string) {
	const res = await book(h, token, {
		slotId: (await slotAt(h, license.id, date, hhmm)).id,
		serviceId: license.id
	});
	expect(res.status).toBe(201);
	return (await res.json()).appointment as { id: string; orgUnitName: string };
}

async function noticesOf(token: string): Promise<NoticeView[]> {
	const res = await h.request('GET', '/api/notifications', { token });
	expect(res.status).toBe(200);
	return (await res.json()).notifications;
}

const kinds = (notices: NoticeView[]) => notices.map((n) => n.kind).sort();

describe('notices after a change', () => {
	it('a reschedule is told as a move from the old time to the new, not as a new booking', async () => {
		const citizen = await newCitizen(h);
		const first = await bookAt(citizen.token, '2026-12-01', '09:30');
		const target = await slotAt(h, license.id, '2026-12-02', '14:00');
		const res = await h.request('POST', `/api/appointments/${first.id}/reschedule`, {
			token: citizen.token,
			body: { slotId: target.id }
		});
		expect(res.status).toBe(200);

		const notices = await noticesOf(citizen.token);
		expect(kinds(notices)).toEqual(['appointment_booked', 'appointment_rescheduled']);
		expect(notices.find((n) => n.kind === 'appointment_rescheduled')).toMatchObject({
			params: {
				serviceName: license.name,
				orgUnitName: first.orgUnitName,
				from: '2026-12-01 09:30',
				to: '2026-12-02 14:00',
				when: '2026-12-02 14:00'
			},
			link: '/my/appointments'
		});
	});

	it('the new time keeps its reminders and the old time loses them', async () => {
		const citizen = await newCitizen(h);
		const first = await bookAt(citizen.token, '2026-12-01', '09:30');
		const target = await slotAt(h, license.id, '2026-12-02', '14:00');
		await h.request('POST', `/api/appointments/${first.id}/reschedule`, {
			token: citizen.token,
			body: { slotId: target.id }
		});
		// the day before the new time: only the new appointment's 24 h reminder is due
		h.clock.advance(Date.parse('2026-12-01T14:00:00+08:00') - h.clock.now);
		await deliverDueNotifications(h.deps);
		const reminders = (await noticesOf(citizen.token)).filter(
			(n) => n.kind === 'appointment_reminder_24h'
		);
		expect(reminders.map((n) => n.params.when)).toEqual(['2026-12-02 14:00']);
	});

	it('a cancel by the citizen is told as cancelled, in-app only, with the time it had', async () => {
		const citizen = await newCitizen(h);
		const appt = await bookAt(citizen.token, '2026-12-03', '10:00');
		const res = await h.request('POST', `/api/appointments/${appt.id}/cancel`, {
			token: citizen.token
		});
		expect(res.status).toBe(200);

		const notices = await noticesOf(citizen.token);
		expect(kinds(notices)).toEqual(['appointment_booked', 'appointment_cancelled']);
		expect(notices.find((n) => n.kind === 'appointment_cancelled')).toMatchObject({
			params: { serviceName: license.name, when: '2026-12-03 10:00' },
			link: `/services/${license.id}`
		});
		await deliverDueNotifications(h.deps);
		expect(h.sms.sent.filter((m) => m.phone === citizen.phone)).toEqual([]);
	});

	it('a cancel by the hall is told as the hall closing the day, with its reason', async () => {
		const citizen = await newCitizen(h);
		const appt = await bookAt(citizen.token, '2026-12-04', '11:00');
		const admin = await h.loginAs('admin');
		const closure = await h.request('POST', '/api/admin/closures', {
			token: admin,
			body: {
				orgUnitId: (
					await (
						await h.request('GET', `/api/appointments/${appt.id}`, { token: citizen.token })
					).json()
				).appointment.orgUnitId,
				date: '2026-12-04',
				kind: 'closure',
				notice: '线路检修'
			}
		});
		expect(closure.status).toBe(201);

		const notices = await noticesOf(citizen.token);
		expect(kinds(notices)).toEqual(['appointment_booked', 'appointment_cancelled_closure']);
		expect(notices.find((n) => n.kind === 'appointment_cancelled_closure')?.params).toMatchObject({
			notice: '线路检修',
			when: '2026-12-04 11:00'
		});
	});
});
