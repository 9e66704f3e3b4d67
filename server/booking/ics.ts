// The .ics file of an appointment, made with ical-generator, with a real VTIMEZONE for the
// hall's zone (timezones-ical-library) so calendars show the hall's local time.
import { TZDate } from '@date-fns/tz';
import ical from 'ical-generator';
import { tzlib_get_ical_block } from 'timezones-ical-library';
import type { Deps } from '../deps.ts';
import type { User } from '../../shared/schemas/auth.ts';
import { AppError } from '../http/errors.ts';
import { createBookingRepo } from './repo.ts';

export async function appointmentIcs(
	deps: Deps,
	user: User,
	id: string
): Promise<{ filename: string; body: string }> {
	const row = await createBookingRepo(deps.store).findAppointment(id);
	if (!row || row.citizen_id !== user.id) throw AppError.notFound('Appointment');
	const tz = deps.config.timeZone;
	const cal = ical({
		name: '云上大厅预约',
		prodId: { company: 'cloud-hall', product: 'appointments', language: 'ZH' }
	});
	cal.timezone({ name: tz, generator: (zone) => tzlib_get_ical_block(zone)[0] });
	const channel = row.channel === 'video' ? '视频办理' : '现场办理';
	cal.createEvent({
		id: `${row.id}@cloud-hall`,
		// TZDate: ical-generator writes the wall-clock time of the event's zone with TZID.
		start: new TZDate(row.start_at, tz),
		end: new TZDate(row.end_at, tz),
		timezone: tz,
		summary: `预约：${row.service_name}（${channel}）`,
		description: `${row.org_unit_name} · ${channel}。视频办理请提前 5 分钟登录云上大厅，进入“我的预约”。`,
		location: row.channel === 'video' ? '云上大厅（视频）' : row.org_unit_name
	});
	return { filename: `appointment-${row.local_date}.ics`, body: cal.toString() };
}
