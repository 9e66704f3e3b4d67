import { z } from 'zod';
import { ChannelSchema } from './catalog.ts';
import { ActedBySchema } from './acting.ts';

const dateString = z
	.string({ error: 'is required' })
	.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');

export const SlotSchema = z.object({
	id: z.string(),
	start: z.string(),
	end: z.string(),
	capacity: z.number().int(),
	remaining: z.number().int(),
	orgUnitId: z.string(),
	orgUnitName: z.string(),
	bookable: z.boolean(),
	reason: z.enum(['past', 'cutoff', 'full']).nullable()
});
export type Slot = z.infer<typeof SlotSchema>;

export const ClosureNotice = z.object({ kind: z.enum(['holiday', 'closure']), notice: z.string() });

export const SlotsQuery = z.object({
	date: dateString,
	channel: ChannelSchema,
	hallId: z
		.string()
		.min(1)
		.max(64)
		.optional()
		.meta({ description: 'Only this hall (org unit id); default: every hall with a schedule' })
});
export const SlotsResult = z.object({
	date: z.string(),
	closures: z.array(ClosureNotice),
	slots: z.array(SlotSchema)
});

export const DaysQuery = z.object({
	channel: ChannelSchema,
	hallId: z
		.string()
		.min(1)
		.max(64)
		.optional()
		.meta({ description: 'Only this hall (org unit id); default: every hall with a schedule' })
});
export const DaySchema = z.object({
	date: z.string(),
	weekday: z.number().int().min(1).max(7),
	open: z.boolean().meta({ description: 'The office has opening hours for this item that day' }),
	remaining: z.number().int(),
	closures: z.array(ClosureNotice)
});
export const DaysResult = z.object({
	days: z.array(DaySchema),
	halls: z
		.array(z.object({ id: z.string(), name: z.string() }))
		.meta({ description: 'The halls with a schedule for the item on the channel' })
});
export type Day = z.infer<typeof DaySchema>;

export const APPOINTMENT_STATUSES = [
	'booked',
	'cancelled',
	'no_show',
	'checked_in',
	'completed'
] as const;

export const AppointmentSchema = z
	.object({
		id: z.string(),
		serviceId: z.string(),
		serviceName: z.string(),
		orgUnitId: z.string(),
		orgUnitName: z.string(),
		channel: ChannelSchema,
		start: z.string(),
		end: z.string(),
		date: z.string(),
		status: z.enum(APPOINTMENT_STATUSES),
		cancelReason: z.enum(['citizen', 'rescheduled', 'closure', 'staff']).nullable(),
		changeableUntil: z.string().meta({ description: 'Cancel and reschedule close at this time' }),
		changeable: z.boolean(),
		citizen: z
			.object({ id: z.string(), name: z.string(), phone: z.string().nullable() })
			.optional(),
		actedBy: ActedBySchema
	})
	.meta({ id: 'Appointment' });
export type Appointment = z.infer<typeof AppointmentSchema>;

export const BookInput = z.object({
	slotId: z.string({ error: 'is required' }).min(1, 'is required').max(80, 'is not a slot id'),
	serviceId: z
		.string({ error: 'is required' })
		.min(1, 'is required')
		.max(64, 'is not a service id'),
	channel: ChannelSchema
});
export type BookInput = z.infer<typeof BookInput>;

export const RescheduleInput = z.object({
	slotId: z.string({ error: 'is required' }).min(1, 'is required').max(80, 'is not a slot id')
});

export const AppointmentsQuery = z.object({
	date: dateString.optional().meta({ description: 'Staff: the day to list (default today)' })
});

export const WaitlistInput = BookInput.extend({
	autoBook: z.boolean({ error: 'must be true or false' }).default(false)
});
export const WaitlistEntrySchema = z.object({
	id: z.string(),
	serviceId: z.string(),
	serviceName: z.string(),
	slotId: z.string(),
	start: z.string(),
	autoBook: z.boolean(),
	status: z.enum(['waiting', 'offered', 'booked', 'cancelled', 'expired']),
	position: z.number().int().nullable(),
	appointmentId: z.string().nullable()
});
export type WaitlistEntry = z.infer<typeof WaitlistEntrySchema>;

export const NotificationSchema = z.object({
	id: z.string(),
	kind: z.string(),
	params: z.record(z.string(), z.string()),
	link: z.string().nullable(),
	at: z.string(),
	read: z.boolean()
});
export type Notification = z.infer<typeof NotificationSchema>;

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time HH:MM');
export const WeekHoursSchema = z
	.record(
		z.enum(['1', '2', '3', '4', '5', '6', '7'], { error: 'weekday must be 1 (Mon) to 7 (Sun)' }),
		z.array(z.tuple([hhmm, hhmm]).refine(([a, b]) => a < b, 'opening must be before closing'))
	)
	.meta({
		description: 'ISO weekday → list of [open, close] times, e.g. {"1":[["09:00","12:00"]]}'
	});

export const ScheduleInput = z.object({
	orgUnitId: z.string({ error: 'is required' }).min(1, 'is required'),
	serviceId: z.string({ error: 'is required' }).min(1, 'is required'),
	channel: ChannelSchema,
	slotMinutes: z
		.number({ error: 'must be a number' })
		.int()
		.min(5, 'at least 5')
		.max(240, 'at most 240'),
	capacity: z
		.number({ error: 'must be a number' })
		.int()
		.min(1, 'at least 1')
		.max(100, 'at most 100'),
	cutoffMinutes: z.number({ error: 'must be a number' }).int().min(0).max(2880).default(60),
	hours: WeekHoursSchema,
	active: z.boolean().default(true)
});
export type ScheduleInput = z.infer<typeof ScheduleInput>;

export const ScheduleSchema = ScheduleInput.extend({
	id: z.string(),
	serviceName: z.string(),
	orgUnitName: z.string()
});
export type Schedule = z.infer<typeof ScheduleSchema>;

export const ClosureInput = z.object({
	orgUnitId: z.string({ error: 'is required' }).min(1, 'is required'),
	serviceId: z
		.string()
		.min(1)
		.optional()
		.meta({ description: 'Close one item only; all items when absent' }),
	date: dateString,
	kind: z.enum(['holiday', 'closure'], { error: 'must be holiday or closure' }),
	notice: z
		.string({ error: 'is required' })
		.transform((s) => s.trim())
		.pipe(z.string().min(1, 'is required').max(200, 'must be at most 200 characters'))
});
export type ClosureInput = z.infer<typeof ClosureInput>;

export const ClosureSchema = z.object({
	id: z.string(),
	orgUnitId: z.string(),
	orgUnitName: z.string(),
	serviceId: z.string().nullable(),
	date: z.string(),
	kind: z.enum(['holiday', 'closure']),
	notice: z.string(),
	cancelledAppointments: z.number().int().optional(),
	closedWaitlistEntries: z
		.number()
		.int()
		.optional()
		.meta({ description: 'Waitlist entries of the day closed, their citizens told' })
});
export type Closure = z.infer<typeof ClosureSchema>;
