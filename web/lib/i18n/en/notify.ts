// Notices (notify.<kind>).
// English: exactly the keys of ../zh-CN/notify.ts (the type below says so).
import type zh from '../zh-CN/notify.ts';

export default {
	'notify.appointment_booked': 'Booked {serviceName} at {when} ({orgUnitName}).',
	'notify.appointment_reminder_24h': 'Reminder: {serviceName} starts at {when}.',
	'notify.appointment_reminder_30m': 'Reminder: {serviceName} starts in 30 minutes ({when}).',
	'notify.appointment_rescheduled':
		'Rescheduled: {serviceName} moved from {from} to {to} ({orgUnitName}).',
	'notify.appointment_cancelled':
		'Cancelled: you cancelled your {serviceName} appointment at {when}.',
	'notify.appointment_cancelled_closure':
		'Cancelled by the hall: because of "{notice}", your {serviceName} appointment at {when} was cancelled. Please book again.',
	'notify.waitlist_closed':
		'Because of "{notice}", your waitlist place for {serviceName} ({when}) was closed. Please book another day.',
	'notify.waitlist_offer': 'A place is free for {serviceName} ({when}). Book it soon.',
	'notify.waitlist_booked': 'From the waitlist: booked {serviceName} at {when}.',
	'notify.ticket_cancelled_closing':
		'{hallName} has closed for the day; your number {code} ({serviceName}) was cancelled. You can book another day.',
	'notify.generic': 'You have a new notice.',
	'notify.video_invite': '{host} invites you to a video session ({serviceName}).',
	'notify.owed_material_reminder':
		'Reminder: you promised to hand in {material} for {serviceName} by {dueDay}.',
	'notify.case_accepted': 'Your {serviceName} application was accepted ({receiptNo}).',
	'notify.case_returned': 'Your {serviceName} application needs corrections; see what to change.',
	'notify.case_approved': 'Your {serviceName} application was approved; collect the result nearby.',
	'notify.application_returned':
		'Part of your {serviceName} application needs corrections; correct it once in the application.',
	'notify.application_part_approved':
		'In your {serviceName} application, {partName} is done; all results are issued together when the rest is done.',
	'notify.application_part_rejected':
		'In your {serviceName} application, {partName} was not approved.',
	'notify.application_completed':
		'Your {serviceName} is completed; all results have been issued together.',
	'notify.case_completed': 'Your {serviceName} is completed.',
	'notify.case_rejected': 'Your {serviceName} application was not approved.',
	'notify.guidance_waiting':
		'A guidance request from {requestingOrgName} ({serviceName}) has waited over {minutes} min.',
	'notify.rating_followup_resolved':
		'Your rating of {serviceName} was followed up by {orgUnitName}; see the outcome.',
	'notify.proxy_appointment_booked':
		'Your proxy {proxyName} booked {serviceName} for you at {when} ({orgUnitName}).',
	'notify.proxy_ticket_taken':
		'Your proxy {proxyName} took number {code} for {serviceName} for you ({hallName}).',
	'notify.proxy_case_submitted':
		'Your proxy {proxyName} submitted your {serviceName} application ({receiptNo}).',
	'notify.grid_case_submitted':
		'Grid worker {gridWorkerName} helped you submit your {serviceName} application ({receiptNo}).',
	'notify.home_visit_scheduled':
		'Grid worker {gridWorkerName} will visit you at home on {when} for {serviceName}.',
	'notify.proxy_grant_signed':
		'{grantorName} signed in a video session: you may act for them until {validUntil}.',
	'notify.proxy_granted':
		'You let {proxyName} act for you until {validUntil}. You can revoke this at any time under My account.'
} satisfies Record<keyof typeof zh, string>;
