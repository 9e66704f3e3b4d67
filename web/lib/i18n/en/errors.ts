// The API's error codes (error.<code>) and field messages of validation errors
// (fieldError.<field>).
// English: exactly the keys of ../zh-CN/errors.ts (the type below says so).
import type zh from '../zh-CN/errors.ts';

export default {
	'error.invalid_credentials': 'Wrong phone number, username or password',
	'error.account_locked':
		'Too many failed attempts; this account is locked. Try again in {minutes} minutes',
	'error.rate_limited': 'Too many attempts; please wait a moment',
	'error.invalid_code':
		'The code is wrong or has expired. Check the text message or get a new code',
	'error.code_too_soon': 'A code was just sent. You can ask for a new one in {seconds} s',
	'error.sms_unavailable':
		'Text messages cannot be sent right now. Try again later or ask at a service hall',
	'error.username_taken': 'This username is already in use',
	'error.validation_failed': 'Please check the marked fields',
	'error.busy': 'The hall is busy; nothing was saved, please try again',
	'error.storage_unavailable':
		'The hall cannot save anything right now (storage is full or unavailable). Nothing was saved; please try again in a few minutes',
	'error.video_unavailable': 'Video is unavailable right now; try later or contact staff',
	'error.generic': 'Something went wrong; please try again',
	'error.title': 'Error',
	'error.403': 'Your account may not open this page.',
	'error.404': 'Page not found.',
	'error.backHome': 'Back to home',
	'error.slot_full': 'This time is fully booked; choose another or join the waitlist',
	'error.already_booked_that_day':
		'You already booked this service on that day; reschedule instead',
	'error.booking_closed': 'Booking for this time has closed; choose a later time',
	'error.slot_in_past': 'This time has passed',
	'error.day_closed': 'The office is closed that day; choose another day',
	'error.too_far_ahead': 'You can book up to 14 days ahead',
	'error.change_closed': 'Too late to cancel or reschedule',
	'error.not_active': 'This appointment can no longer be changed',
	'error.slot_available': 'This time still has places; book it directly',
	'error.already_waiting': 'You are already on the waitlist for this time',
	'error.too_early': 'A no-show can be recorded once the time has started',
	'error.import_rejected': 'The file has invalid rows; nothing was imported',
	'error.schedule_exists': 'This office already has a schedule for the service and channel',
	'error.not_found': 'Not found',
	'error.idempotency_key_reused': 'Duplicate request; reload the page and try again',
	'error.already_queued': 'You already have a number for this service',
	'error.check_in_not_open': 'Check-in opens 60 minutes before the appointment',
	'error.check_in_closed': 'The appointment time is over',
	'error.not_waiting': 'This number is no longer waiting',
	'error.cannot_rejoin': 'A missed number can rejoin once, within 30 minutes',
	'error.desk_taken': 'Another agent serves this desk',
	'error.already_serving': 'You serve another desk; close it first',
	'error.desk_busy': 'Finish or mark the current number first',
	'error.not_your_desk': 'Open this desk first',
	'error.wrong_state': 'Not possible in the current state',
	'error.not_called': 'This number has not been called',
	'error.not_admitted': 'Please wait for the agent to let you in',
	'error.session_ended': 'The session has ended',
	'error.forbidden': 'You may not do this',
	'error.stale_revision': 'The other side just changed this field',
	'error.unconfirmed_values': 'Some values entered by staff are not confirmed yet',
	'error.signature_required': 'Sign before submitting',
	'error.part_of_application':
		'This is part of a life event application: correct it in the whole application',
	'error.decided_by_parts':
		"A life event application is decided by each department: open your department's part",
	'error.items_changed':
		'The items of a submitted application cannot change: apply for other items separately',
	'error.owed_not_for_applications':
		'A life event application cannot take a material as owed yet: hand it in now',
	'error.life_event_form': "This is a life event's form: publish the life event instead",
	'error.already_reviewed': 'Someone has already dealt with this question',
	'error.case_locked': 'The application was submitted and can no longer change',
	'error.unsupported_type': 'Only photos or PDF files can be uploaded',
	'error.payload_too_large': 'The file is too large (10 MB at most)',
	'error.heic_not_supported':
		'iPhone HEIC photos are not supported yet. On the iPhone go to Settings > Camera > Formats, choose Most Compatible and take the photo again, or take a screenshot of the photo and upload the screenshot.',
	'error.file_missing': 'The file is missing; please upload it again',
	'error.acting_for_someone': 'You are acting for someone else; switch back to yourself to do this',
	'error.acting_ended':
		'Your authority to act for this person was revoked or has expired; switch back to yourself',
	'error.signature_in_person':
		'The applicant signs in person, on their own device or in the video session',
	'error.item_not_granted': 'Your authority to act for this person does not cover this item',
	'error.grant_active': 'You already act for this person; revoke that grant to change it',
	'error.grant_request_pending': 'A request to this person is under way; look under My account',
	'error.grant_not_pending': 'This grant was already confirmed or revoked',
	'error.grant_not_active': 'This grant is not confirmed yet or was revoked',
	'error.grant_expired': 'This grant has expired',
	'error.grant_revoked': 'This grant was already revoked',

	'fieldError.phone': 'Enter an 11-digit mobile number starting with 1',
	'fieldError.code': 'Enter the 6 digits from the text message',
	'fieldError.password': 'Passwords have 8 to 128 characters',
	'fieldError.name': 'Enter a name of at most 50 characters',
	'fieldError.login': 'Enter your phone number or username',
	'fieldError.username': '3-32 letters, digits, . _ or -, starting with a letter',
	'fieldError.role': 'Choose a role',
	'fieldError.orgUnitId': 'Choose an org unit whose level fits the role',
	'fieldError.date': 'Choose a valid date',
	'fieldError.serviceId': 'Choose a service',
	'fieldError.notice': 'Write a notice (at most 200 characters)',
	'fieldError.grantorPhone': "Enter your family member's 11-digit mobile number starting with 1",
	'fieldError.items': 'Tick at least one service, or choose All services',
	'fieldError.validUntil': 'Choose a day from today to one year ahead'
} satisfies Record<keyof typeof zh, string>;
