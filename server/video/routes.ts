import { z } from 'zod';
import { DeviceCheckToken } from '../../shared/schemas/health.ts';
import {
	ChatInput,
	CreateSessionInput,
	InvitableSchema,
	SessionEventSchema,
	UserRefInput,
	VideoSessionSchema,
	VideoToken
} from '../../shared/schemas/video.ts';
import { defineRoute } from '../http/route.ts';
import { createRouter, errorJson, json, jsonBody } from '../http/router.ts';
import { IdParam } from '../catalog/routes.ts';
import { lastEventIdOf, streamEventLog } from '../realtime/sse.ts';
import { issueDeviceCheckToken } from './device-check.ts';
import {
	admitCitizen,
	endSession,
	getSession,
	invitableStaff,
	inviteToSession,
	issueSessionToken,
	markWaiting,
	openSessionForTicket,
	postChat,
	requestScreenShare,
	removeFromSession,
	sessionEventLog
} from './sessions.ts';
import { receiveLiveKitWebhook } from './webhook.ts';

const HOSTS = ['agent', 'township'] as const;
const one = z.object({ session: VideoSessionSchema });

const deviceCheckToken = defineRoute('signed-in', {
	method: 'post',
	path: '/device-check/token',
	tags: ['video'],
	summary: 'Token for a private LiveKit test room (设备检测)',
	responses: {
		200: json(DeviceCheckToken, 'Connect with livekit-client and publish'),
		503: errorJson('No LiveKit server is configured')
	}
});
const create = defineRoute(HOSTS, {
	method: 'post',
	path: '/video-sessions',
	tags: ['video'],
	summary: 'Open the video session of a called video ticket (returns the open one if it exists)',
	request: { body: jsonBody(CreateSessionInput) },
	responses: {
		201: json(one, 'The session; the citizen waits until admitted'),
		410: errorJson('session_ended')
	}
});
const get = defineRoute('signed-in', {
	method: 'get',
	path: '/video-sessions/{id}',
	tags: ['video'],
	summary: 'A session with its participants (and, for staff, its timeline); participants only',
	request: { params: IdParam },
	responses: {
		200: json(one, 'The session'),
		403: errorJson('Not a participant'),
		404: errorJson('No such session')
	}
});
const token = defineRoute('signed-in', {
	method: 'post',
	path: '/video-sessions/{id}/token',
	tags: ['video'],
	summary: 'A LiveKit token for this room only, to admitted participants of an open session',
	request: { params: IdParam },
	responses: {
		200: json(VideoToken, 'Connect with livekit-client'),
		403: errorJson('Not a participant, or removed'),
		409: errorJson('not_admitted: still in the waiting room'),
		410: errorJson('session_ended'),
		503: errorJson('video_unavailable')
	}
});
const waiting = defineRoute(['citizen'], {
	method: 'post',
	path: '/video-sessions/{id}/waiting',
	tags: ['video'],
	summary: 'Tell the agent I am in the waiting room',
	request: { params: IdParam },
	responses: { 204: { description: 'Recorded' } }
});
const hostResponses = {
	200: json(one, 'The session'),
	403: errorJson('Not the host'),
	410: errorJson('session_ended')
};
// generic in the path, so each route keeps its literal path and the web's typed client knows it
const hostAction = <const P extends string>(path: P, summary: string) =>
	defineRoute(HOSTS, {
		method: 'post',
		path: `/video-sessions/{id}/${path}`,
		tags: ['video'],
		summary,
		request: { params: IdParam },
		responses: hostResponses
	});
const hostUserAction = <const P extends string>(path: P, summary: string) =>
	defineRoute(HOSTS, {
		method: 'post',
		path: `/video-sessions/{id}/${path}`,
		tags: ['video'],
		summary,
		request: { params: IdParam, body: jsonBody(UserRefInput) },
		responses: hostResponses
	});
const admit = hostAction('admit', 'Let the citizen in from the waiting room');
const invite = hostUserAction(
	'invite',
	'Invite a colleague, township staff or an expert (in-app alert with a join link)'
);
const remove = hostUserAction('remove', 'Remove a participant (through LiveKit RoomService)');
const end = hostAction('end', 'End the session for everyone (deletes the LiveKit room)');
const requestShare = hostAction('request-share', 'Ask the citizen to share their screen');
const invitable = defineRoute(HOSTS, {
	method: 'get',
	path: '/video-sessions/{id}/invitable',
	tags: ['video'],
	summary: 'Staff who can be invited',
	request: { params: IdParam },
	responses: { 200: json(InvitableSchema, 'Staff') }
});
const chat = defineRoute('signed-in', {
	method: 'post',
	path: '/video-sessions/{id}/chat',
	tags: ['video'],
	summary: 'Send a chat message to the session (stored with the session)',
	request: { params: IdParam, body: jsonBody(ChatInput) },
	responses: { 201: json(z.object({ message: SessionEventSchema }), 'Sent') }
});
const events = defineRoute('signed-in', {
	method: 'get',
	path: '/video-sessions/{id}/events',
	tags: ['video'],
	summary:
		'Server-sent events of a session: chat, admit, invite, remove, end, LiveKit joins and leaves',
	request: {
		params: IdParam,
		query: z.object({ lastEventId: z.coerce.number().int().min(0).optional() }),
		headers: z.object({ 'last-event-id': z.string().optional() })
	},
	responses: {
		200: {
			description: 'text/event-stream',
			content: { 'text/event-stream': { schema: z.string() } }
		}
	}
});
const webhook = defineRoute('public', {
	method: 'post',
	path: '/livekit/webhook',
	tags: ['video'],
	summary: "LiveKit's signed webhooks (verified on the raw body)",
	responses: {
		200: json(z.object({ recorded: z.boolean() }), 'Accepted'),
		401: errorJson('bad_signature')
	}
});

export function videoRoutes() {
	return createRouter()
		.openapi(deviceCheckToken, async (c) =>
			c.json(await issueDeviceCheckToken(c.var.deps, c.var.user!), 200)
		)
		.openapi(create, async (c) =>
			c.json(
				{
					session: await openSessionForTicket(c.var.deps, c.var.user!, c.req.valid('json').ticketId)
				},
				201
			)
		)
		.openapi(get, async (c) =>
			c.json({ session: await getSession(c.var.deps, c.var.user!, c.req.valid('param').id) }, 200)
		)
		.openapi(token, async (c) =>
			c.json(await issueSessionToken(c.var.deps, c.var.user!, c.req.valid('param').id), 200)
		)
		.openapi(waiting, async (c) => {
			await markWaiting(c.var.deps, c.var.user!, c.req.valid('param').id);
			return c.body(null, 204);
		})
		.openapi(admit, async (c) =>
			c.json({ session: await admitCitizen(c.var.deps, c.var.user!, c.req.valid('param').id) }, 200)
		)
		.openapi(invite, async (c) =>
			c.json(
				{
					session: await inviteToSession(
						c.var.deps,
						c.var.user!,
						c.req.valid('param').id,
						c.req.valid('json').userId
					)
				},
				200
			)
		)
		.openapi(remove, async (c) =>
			c.json(
				{
					session: await removeFromSession(
						c.var.deps,
						c.var.user!,
						c.req.valid('param').id,
						c.req.valid('json').userId
					)
				},
				200
			)
		)
		.openapi(requestShare, async (c) =>
			c.json(
				{ session: await requestScreenShare(c.var.deps, c.var.user!, c.req.valid('param').id) },
				200
			)
		)
		.openapi(end, async (c) =>
			c.json({ session: await endSession(c.var.deps, c.var.user!, c.req.valid('param').id) }, 200)
		)
		.openapi(invitable, async (c) =>
			c.json({ users: await invitableStaff(c.var.deps, c.var.user!, c.req.valid('param').id) }, 200)
		)
		.openapi(chat, async (c) =>
			c.json(
				{
					message: await postChat(
						c.var.deps,
						c.var.user!,
						c.req.valid('param').id,
						c.req.valid('json').text
					)
				},
				201
			)
		)
		.openapi(events, async (c) => {
			const log = await sessionEventLog(c.var.deps, c.var.user!, c.req.valid('param').id);
			const last = lastEventIdOf(
				c.req.valid('header')['last-event-id'],
				c.req.valid('query').lastEventId
			);
			return (await streamEventLog(c, log, last)) as never;
		})
		.openapi(webhook, async (c) =>
			c.json(
				await receiveLiveKitWebhook(c.var.deps, await c.req.text(), c.req.header('authorization')),
				200
			)
		);
}
