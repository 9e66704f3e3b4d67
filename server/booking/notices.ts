// What a citizen is told about their appointments, and when: the confirmation (or, for a
// reschedule, the move from the old time to the new) and the 24 h / 30 min reminders, a booking the
// citizen cancelled, a waitlist place booked or offered, a booking or waitlist entry cancelled by a
// closure. Each is an outbox row written in the transaction of the change it announces.
import type { Deps } from '../deps.ts';
import { toIso } from '../time.ts';
import { localTime } from '../../shared/dates.ts';
import { cancelNotices, enqueueNotice } from '../notify/outbox.ts';
import type { AppointmentRow, ScheduleRow } from './repo.ts';
import { maskName } from '../accounts/accounts.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The time a notice shows for an appointment: its local day and start. */
const noticeWhen = (deps: Deps, row: { start_at: number; local_date: string }) =>
	`${row.local_date} ${localTime(row.start_at, deps.config.timeZone)}`;

/** The parameters every appointment notice shows: item, hall, local time. */
export function appointmentNoticeParams(
	deps: Deps,
	row: { start_at: number; local_date: string },
	serviceName: string,
	orgUnitName: string
) {
	const when = noticeWhen(deps, row);
	return { serviceName, orgUnitName, when, start: toIso(row.start_at, deps.config.timeZone) };
}

/**
 * Booking confirmation and the 24 h / 30 min reminders (skipped when already past). A reschedule
 * confirms the move instead ("已改约", from the old time to the new), so the citizen never reads
 * a plain "已预约" for a time they only changed.
 */
export async function enqueueBookingNotices(
	deps: Deps,
	appt: { id: string; citizen_id: string; start_at: number; local_date: string },
	serviceName: string,
	orgUnitName: string,
	rescheduledFrom: { start_at: number; local_date: string } | null = null,
	byProxy: { name: string } | null = null
) {
	const params = appointmentNoticeParams(deps, appt, serviceName, orgUnitName);
	const link = '/my/appointments';
	const now = deps.now();
	const base = { userId: appt.citizen_id, link, dueAt: now };
	if (rescheduledFrom)
		await enqueueNotice(deps, {
			...base,
			kind: 'appointment_rescheduled',
			params: { ...params, from: noticeWhen(deps, rescheduledFrom), to: params.when },
			key: `rescheduled:${appt.id}`,
			channels: ['in_app']
		});
	else if (byProxy)
		// 代办: the applicant hears of a booking made for them on their own phone too
		await enqueueNotice(deps, {
			...base,
			kind: 'proxy_appointment_booked',
			params: { ...params, proxyName: maskName(byProxy.name) ?? '' },
			key: `booked:${appt.id}`,
			channels: ['in_app', 'sms']
		});
	else
		await enqueueNotice(deps, {
			...base,
			kind: 'appointment_booked',
			params,
			key: `booked:${appt.id}`,
			channels: ['in_app']
		});
	for (const [kind, before, tag] of [
		['appointment_reminder_24h', 24 * HOUR, 'r24'],
		['appointment_reminder_30m', 30 * MINUTE, 'r30']
	] as const) {
		const dueAt = appt.start_at - before;
		if (dueAt > now)
			await enqueueNotice(deps, {
				userId: appt.citizen_id,
				kind,
				params,
				link,
				dueAt,
				key: `${tag}:${appt.id}`,
				channels: ['in_app', 'sms']
			});
	}
}

/** A cancelled or missed appointment needs no reminder. */
export async function cancelReminders(deps: Deps, appointmentId: string) {
	await cancelNotices(deps, `r24:${appointmentId}:`);
	await cancelNotices(deps, `r30:${appointmentId}:`);
}

type Params = ReturnType<typeof appointmentNoticeParams>;

/** The citizen cancelled their booking: the list says so, as it happened ("已取消"). */
export async function noticeCitizenCancellation(deps: Deps, row: AppointmentRow) {
	await enqueueNotice(deps, {
		userId: row.citizen_id,
		kind: 'appointment_cancelled',
		params: appointmentNoticeParams(deps, row, row.service_name, row.org_unit_name),
		link: `/services/${row.service_item_id}`,
		dueAt: deps.now(),
		key: `cancelled:${row.id}`,
		channels: ['in_app']
	});
}

/** An auto-booking waiter got the freed place. */
export async function noticeWaitlistBooked(
	deps: Deps,
	waiter: { id: string; citizen_id: string },
	params: Params
) {
	await enqueueNotice(deps, {
		userId: waiter.citizen_id,
		kind: 'waitlist_booked',
		params,
		link: '/my/appointments',
		dueAt: deps.now(),
		key: `wl-booked:${waiter.id}`,
		channels: ['in_app', 'sms']
	});
}

/** A waiter is told the place is free, with a link to book it. */
export async function noticeWaitlistOffer(
	deps: Deps,
	waiter: { id: string; citizen_id: string },
	schedule: ScheduleRow,
	date: string,
	params: Params
) {
	await enqueueNotice(deps, {
		userId: waiter.citizen_id,
		kind: 'waitlist_offer',
		params,
		link: `/services/${schedule.service_item_id}/book?channel=${schedule.channel}&date=${date}`,
		dueAt: deps.now(),
		key: `wl-offer:${waiter.id}`,
		channels: ['in_app', 'sms']
	});
}

/** A waitlist entry closed because its day was closed: why, and a link to book another day. */
export async function noticeWaitlistClosed(
	deps: Deps,
	entry: { id: string; citizen_id: string; service_item_id: string },
	params: Params,
	notice: string
) {
	await enqueueNotice(deps, {
		userId: entry.citizen_id,
		kind: 'waitlist_closed',
		params: { ...params, notice },
		link: `/services/${entry.service_item_id}`,
		dueAt: deps.now(),
		key: `wl-closed:${entry.id}`,
		channels: ['in_app', 'sms']
	});
}

/** A booking cancelled because the hall (or the item there) is closed that day, and why. */
export async function noticeClosureCancellation(deps: Deps, row: AppointmentRow, notice: string) {
	await enqueueNotice(deps, {
		userId: row.citizen_id,
		kind: 'appointment_cancelled_closure',
		params: { ...appointmentNoticeParams(deps, row, row.service_name, row.org_unit_name), notice },
		link: `/services/${row.service_item_id}`,
		dueAt: deps.now(),
		key: `closure:${row.id}`,
		channels: ['in_app', 'sms']
	});
}
