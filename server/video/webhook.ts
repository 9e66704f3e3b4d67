// LiveKit's webhooks, verified on the raw body (WebhookReceiver checks the signed JWT and the
// body hash). Events of known session rooms go on the session's timeline once, keyed by the
// webhook's id; other rooms (device checks) are acknowledged and ignored.
import { WebhookReceiver } from 'livekit-server-sdk';
import type { Deps } from '../deps.ts';
import { AppError } from '../http/errors.ts';
import { createVideoRepo } from './repo.ts';
import { appendSessionEvent } from './session-records.ts';

const RECORDED = new Set([
	'room_started',
	'participant_joined',
	'participant_left',
	'track_published',
	'room_finished'
]);

export async function receiveLiveKitWebhook(
	deps: Deps,
	body: string,
	authHeader: string | undefined
): Promise<{ recorded: boolean }> {
	if (!deps.config.livekit)
		throw new AppError(503, 'video_unavailable', 'No LiveKit server is configured');
	const receiver = new WebhookReceiver(deps.config.livekit.apiKey, deps.config.livekit.apiSecret);
	let event;
	try {
		event = await receiver.receive(body, authHeader);
	} catch {
		throw new AppError(401, 'bad_signature', 'The webhook signature does not match its body');
	}
	const room = event.room?.name;
	if (!room || !RECORDED.has(event.event) || !(await createVideoRepo(deps.store).findSession(room)))
		return { recorded: false };
	const payload = {
		identity: event.participant?.identity ?? null,
		name: event.participant?.name ?? null,
		track: event.track ? { type: event.track.type, source: event.track.source } : null
	};
	const recorded = await appendSessionEvent(
		deps,
		room,
		`livekit.${event.event}`,
		event.participant?.identity ?? null,
		payload,
		event.id || null
	);
	return { recorded };
}
