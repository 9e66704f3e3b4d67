import { z } from 'zod';
import {
	AppointmentSchema,
	AppointmentsQuery,
	BookInput,
	ClosureInput,
	ClosureSchema,
	DaysQuery,
	DaysResult,
	RescheduleInput,
	ScheduleInput,
	ScheduleSchema,
	SlotsQuery,
	SlotsResult,
	WaitlistEntrySchema,
	WaitlistInput
} from '../../shared/schemas/booking.ts';
import { defineRoute } from '../http/route.ts';
import { createRouter, errorJson, json, jsonBody } from '../http/router.ts';
import { IdParam } from '../catalog/routes.ts';
import { bookableHalls, listDays, listSlots } from './availability.ts';
import {
	bookAppointment,
	cancelAppointment,
	getAppointment,
	listMyAppointments,
	listOrgAppointments,
	markNoShow,
	rescheduleAppointment
} from './appointments.ts';
import { joinWaitlist, leaveWaitlist, listMyWaitlist } from './waitlist.ts';
import { appointmentIcs } from './ics.ts';
import {
	closeDay,
	createSchedule,
	listClosures,
	listSchedules,
	updateSchedule
} from './schedules.ts';
import { localDate } from '../../shared/dates.ts';

const one = z.object({ appointment: AppointmentSchema });
const FRONT_LINE = ['agent', 'township', 'supervisor'] as const;

const days = defineRoute('public', {
	method: 'get',
	path: '/services/{id}/days',
	tags: ['booking'],
	summary: 'The next 14 days: free places per day and closure notices',
	request: { params: IdParam, query: DaysQuery },
	responses: { 200: json(DaysResult, 'Days'), 404: errorJson('No such item') }
});

const slots = defineRoute('public', {
	method: 'get',
	path: '/services/{id}/slots',
	tags: ['booking'],
	summary: 'Slots of one day with remaining places',
	request: { params: IdParam, query: SlotsQuery },
	responses: { 200: json(SlotsResult, 'Slots'), 404: errorJson('No such item') }
});

const book = defineRoute(['citizen'], {
	method: 'post',
	path: '/appointments',
	tags: ['booking'],
	summary: 'Book a slot. A retried request with the same Idempotency-Key returns the first result',
	request: {
		body: jsonBody(BookInput),
		headers: z.object({ 'idempotency-key': z.string().min(8).max(100).optional() })
	},
	responses: {
		201: json(one, 'Booked'),
		409: errorJson(
			'slot_full, already_booked_that_day, booking_closed, slot_in_past, day_closed, too_far_ahead'
		),
		422: errorJson('idempotency_key_reused')
	}
});

const list = defineRoute(['citizen', ...FRONT_LINE], {
	method: 'get',
	path: '/appointments',
	tags: ['booking'],
	summary: 'Citizens: my appointments. Staff: appointments of my org unit and below on a date',
	request: { query: AppointmentsQuery },
	responses: {
		200: json(
			z.object({
				appointments: z.array(AppointmentSchema),
				date: z.string().optional().meta({ description: 'Staff: the day listed' })
			}),
			'Appointments'
		)
	}
});

const get = defineRoute(['citizen', ...FRONT_LINE], {
	method: 'get',
	path: '/appointments/{id}',
	tags: ['booking'],
	summary: 'One appointment (own, or of my org unit for staff)',
	request: { params: IdParam },
	responses: { 200: json(one, 'The appointment'), 404: errorJson('Not found or not yours') }
});

const cancel = defineRoute(['citizen'], {
	method: 'post',
	path: '/appointments/{id}/cancel',
	tags: ['booking'],
	summary: 'Cancel my appointment (until the cut-off); the place goes to the waitlist',
	request: { params: IdParam },
	responses: { 200: json(one, 'Cancelled'), 409: errorJson('change_closed or not_active') }
});

const reschedule = defineRoute(['citizen'], {
	method: 'post',
	path: '/appointments/{id}/reschedule',
	tags: ['booking'],
	summary: 'Move my appointment to another slot of the same item, in one step',
	request: { params: IdParam, body: jsonBody(RescheduleInput) },
	responses: {
		200: json(one, 'The new appointment'),
		409: errorJson('Slot full, closed or too late')
	}
});

const noShow = defineRoute(FRONT_LINE, {
	method: 'post',
	path: '/appointments/{id}/no-show',
	tags: ['booking'],
	summary: 'Record that the citizen did not come (after the start)',
	request: { params: IdParam },
	responses: { 200: json(one, 'Recorded'), 409: errorJson('too_early or not_active') }
});

const ics = defineRoute(['citizen'], {
	method: 'get',
	path: '/appointments/{id}/ics',
	tags: ['booking'],
	summary: 'My appointment as an iCalendar file',
	request: { params: IdParam },
	responses: {
		200: { description: 'text/calendar', content: { 'text/calendar': { schema: z.string() } } }
	}
});

const waitlistJoin = defineRoute(['citizen'], {
	method: 'post',
	path: '/waitlist',
	tags: ['booking'],
	summary: 'Join the waitlist of a full slot (optionally booked automatically when a place frees)',
	request: { body: jsonBody(WaitlistInput) },
	responses: {
		201: json(z.object({ entry: WaitlistEntrySchema }), 'On the waitlist'),
		409: errorJson('slot_available, already_waiting')
	}
});

const waitlistList = defineRoute(['citizen'], {
	method: 'get',
	path: '/waitlist',
	tags: ['booking'],
	summary: 'My waitlist entries',
	responses: { 200: json(z.object({ entries: z.array(WaitlistEntrySchema) }), 'Entries') }
});

const waitlistLeave = defineRoute(['citizen'], {
	method: 'post',
	path: '/waitlist/{id}/cancel',
	tags: ['booking'],
	summary: 'Leave a waitlist',
	request: { params: IdParam },
	responses: { 200: json(z.object({ entry: WaitlistEntrySchema }), 'Left') }
});

const scheduleList = defineRoute(['admin'], {
	method: 'get',
	path: '/admin/schedules',
	tags: ['booking admin'],
	summary: 'All schedules',
	responses: { 200: json(z.object({ schedules: z.array(ScheduleSchema) }), 'Schedules') }
});

const scheduleCreate = defineRoute(['admin'], {
	method: 'post',
	path: '/admin/schedules',
	tags: ['booking admin'],
	summary: 'Create a schedule: opening hours per weekday, slot length, capacity, cut-off',
	request: { body: jsonBody(ScheduleInput) },
	responses: {
		201: json(z.object({ schedule: ScheduleSchema }), 'Created'),
		409: errorJson('schedule_exists')
	}
});

const scheduleUpdate = defineRoute(['admin'], {
	method: 'put',
	path: '/admin/schedules/{id}',
	tags: ['booking admin'],
	summary: 'Change a schedule (booked appointments keep their times)',
	request: { params: IdParam, body: jsonBody(ScheduleInput) },
	responses: { 200: json(z.object({ schedule: ScheduleSchema }), 'Updated') }
});

const closureList = defineRoute(['admin'], {
	method: 'get',
	path: '/admin/closures',
	tags: ['booking admin'],
	summary: 'Holidays and closures from today on',
	responses: { 200: json(z.object({ closures: z.array(ClosureSchema) }), 'Closures') }
});

const closureCreate = defineRoute(['admin'], {
	method: 'post',
	path: '/admin/closures',
	tags: ['booking admin'],
	summary: 'Close a day (holiday or one-off): cancels its bookings and notifies the citizens',
	request: { body: jsonBody(ClosureInput) },
	responses: { 201: json(z.object({ closure: ClosureSchema }), 'Closed') }
});

export function bookingRoutes() {
	return createRouter()
		.openapi(days, async (c) => {
			const { id } = c.req.valid('param');
			const q = c.req.valid('query');
			return c.json(
				{
					days: await listDays(c.var.deps, id, q.channel, q.hallId),
					halls: await bookableHalls(c.var.deps, id, q.channel)
				},
				200
			);
		})
		.openapi(slots, async (c) => {
			const q = c.req.valid('query');
			return c.json(
				await listSlots(c.var.deps, c.req.valid('param').id, q.channel, q.date, q.hallId),
				200
			);
		})
		.openapi(book, async (c) => {
			const key = c.req.valid('header')['idempotency-key'] ?? null;
			const { appointment } = await bookAppointment(
				c.var.deps,
				c.var.user!,
				c.req.valid('json'),
				key
			);
			return c.json({ appointment }, 201);
		})
		.openapi(list, async (c) => {
			const user = c.var.user!;
			if (user.role === 'citizen')
				return c.json({ appointments: await listMyAppointments(c.var.deps, user) }, 200);
			const date =
				c.req.valid('query').date ?? localDate(c.var.deps.now(), c.var.deps.config.timeZone);
			return c.json({ appointments: await listOrgAppointments(c.var.deps, user, date), date }, 200);
		})
		.openapi(get, async (c) =>
			c.json(
				{ appointment: await getAppointment(c.var.deps, c.var.user!, c.req.valid('param').id) },
				200
			)
		)
		.openapi(cancel, async (c) =>
			c.json(
				{ appointment: await cancelAppointment(c.var.deps, c.var.user!, c.req.valid('param').id) },
				200
			)
		)
		.openapi(reschedule, async (c) =>
			c.json(
				{
					appointment: await rescheduleAppointment(
						c.var.deps,
						c.var.user!,
						c.req.valid('param').id,
						c.req.valid('json').slotId
					)
				},
				200
			)
		)
		.openapi(noShow, async (c) =>
			c.json(
				{ appointment: await markNoShow(c.var.deps, c.var.user!, c.req.valid('param').id) },
				200
			)
		)
		.openapi(ics, async (c) => {
			const file = await appointmentIcs(c.var.deps, c.var.user!, c.req.valid('param').id);
			c.header('content-type', 'text/calendar; charset=utf-8');
			c.header('content-disposition', `attachment; filename="${file.filename}"`);
			return c.body(file.body, 200);
		})
		.openapi(waitlistJoin, async (c) =>
			c.json({ entry: await joinWaitlist(c.var.deps, c.var.user!, c.req.valid('json')) }, 201)
		)
		.openapi(waitlistList, async (c) =>
			c.json({ entries: await listMyWaitlist(c.var.deps, c.var.user!) }, 200)
		)
		.openapi(waitlistLeave, async (c) =>
			c.json({ entry: await leaveWaitlist(c.var.deps, c.var.user!, c.req.valid('param').id) }, 200)
		)
		.openapi(scheduleList, async (c) => c.json({ schedules: await listSchedules(c.var.deps) }, 200))
		.openapi(scheduleCreate, async (c) =>
			c.json({ schedule: await createSchedule(c.var.deps, c.var.user!, c.req.valid('json')) }, 201)
		)
		.openapi(scheduleUpdate, async (c) =>
			c.json(
				{
					schedule: await updateSchedule(
						c.var.deps,
						c.var.user!,
						c.req.valid('param').id,
						c.req.valid('json')
					)
				},
				200
			)
		)
		.openapi(closureList, async (c) =>
			c.json(
				{
					closures: await listClosures(
						c.var.deps,
						localDate(c.var.deps.now(), c.var.deps.config.timeZone)
					)
				},
				200
			)
		)
		.openapi(closureCreate, async (c) =>
			c.json({ closure: await closeDay(c.var.deps, c.var.user!, c.req.valid('json')) }, 201)
		);
}
