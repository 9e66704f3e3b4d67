// LiveKit's webhooks, verified on the raw body (WebhookReceiver checks the signed JWT and the
// body hash). Events of known session rooms go on the session's timeline once, keyed by the
// webhook's id; other rooms (device checks) are acknowledged and ignored. Reconciliation
// (reconcile.ts) records what webhooks missed through recordLiveKitEvent too, so one fact is
// recorded once whichever of the two saw it first.
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

export type LiveKitEventName =
	'room_started' | 'participant_joined' | 'participant_left' | 'track_published' | 'room_finished';

export interface LiveKitFact {
	event: LiveKitEventName;
	/** The room's name: the session's id. */
	room: string;
	/** LiveKit's id of this run of the room (RM_…), when known. */
	roomSid?: string;
	/** LiveKit's participant: identity is the user's id; sid (PA_…) names one connection. */
	participant?: { identity: string; name: string; sid?: string };
	track?: { type: unknown; source: unknown };
	/** The webhook's own id, or reconciliation's key when LiveKit's ids are not known. */
	sourceId: string | null;
	/** true when reconciliation inferred the fact from RoomService rather than a webhook */
	reconciled?: boolean;
}

/**
 * The key a fact about a room run or a participant's connection is recorded under: the same for
 * the webhook and for reconciliation (a participant's join and leave by their connection's sid,
 * a room's start and finish by the room's sid), so a late webhook after reconciliation, or two
 * deliveries of one webhook, add nothing. Facts without such an id keep their own source id.
 */
function factKey(f: LiveKitFact): string | null {
	const sid =
		f.event === 'participant_joined' || f.event === 'participant_left'
			? f.participant?.sid
			: f.event === 'room_started' || f.event === 'room_finished'
				? f.roomSid
				: undefined;
	return sid ? `livekit:${f.event}:${sid}` : f.sourceId;
}

/** Puts a LiveKit fact on the session's timeline once; true when this call recorded it. */
export function recordLiveKitEvent(deps: Deps, f: LiveKitFact): Promise<boolean> {
	const payload = {
		identity: f.participant?.identity ?? null,
		name: f.participant?.name ?? null,
		track: f.track ?? null,
		...(f.participant?.sid ? { participantSid: f.participant.sid } : {}),
		...(f.roomSid ? { roomSid: f.roomSid } : {}),
		...(f.reconciled ? { reconciled: true } : {})
	};
	return appendSessionEvent(
		deps,
		f.room,
		`livekit.${f.event}`,
		f.participant?.identity ?? null,
		payload,
		factKey(f)
	);
}

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
	const recorded = await recordLiveKitEvent(deps, {
		event: event.event as LiveKitEventName,
		room,
		roomSid: event.room?.sid || undefined,
		participant: event.participant && {
			identity: event.participant.identity,
			name: event.participant.name,
			sid: event.participant.sid || undefined
		},
		track: event.track ? { type: event.track.type, source: event.track.source } : undefined,
		sourceId: event.id || null
	});
	return { recorded };
}
