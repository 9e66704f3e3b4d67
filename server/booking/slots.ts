// Slots are not stored: a slot is a schedule plus a start time, generated from the schedule's
// weekly hours. Its id encodes both ("<scheduleId>.<start in epoch minutes>"), so booking can
// re-derive and re-check it; capacity is counted from appointments inside the booking
// transaction.
import { isoWeekday, minutesOfDay, hhmm, zonedTime, type DateString } from '../../shared/dates.ts';

export interface ScheduleHours {
	slot_minutes: number;
	hours: string;
}

export interface SlotTime {
	start: number;
	end: number;
}

export type WeekHours = Record<string, [string, string][]>;

/** The slot start/end instants of a schedule on one date in the hall's time zone. */
export function slotTimesOn(
	schedule: ScheduleHours,
	date: DateString,
	timeZone: string
): SlotTime[] {
	const hours = (JSON.parse(schedule.hours) as WeekHours)[String(isoWeekday(date))] ?? [];
	const out: SlotTime[] = [];
	for (const [open, close] of hours) {
		for (
			let m = minutesOfDay(open);
			m + schedule.slot_minutes <= minutesOfDay(close);
			m += schedule.slot_minutes
		) {
			const start = zonedTime(date, hhmm(m), timeZone);
			out.push({ start, end: start + schedule.slot_minutes * 60_000 });
		}
	}
	return out;
}

export function slotId(scheduleId: string, start: number): string {
	return `${scheduleId}.${Math.round(start / 60_000)}`;
}

export function parseSlotId(id: string): { scheduleId: string; start: number } | null {
	const m = /^([a-z2-7]{1,64})\.(\d{1,12})$/.exec(id);
	return m ? { scheduleId: m[1], start: Number(m[2]) * 60_000 } : null;
}
