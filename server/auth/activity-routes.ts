// The idle clock of staff sessions (等保: sign-out after a spell without activity). Pages
// report the user's clicks and typing here at most once a minute, and read the clock before
// they warn that the session is about to end.
import { SessionActivity } from '../../shared/schemas/auth.ts';
import { defineRoute } from '../http/route.ts';
import { createRouter, json } from '../http/router.ts';
import type { ValidSession } from './session.ts';
import type { Deps } from '../deps.ts';

const activity = defineRoute('signed-in', {
	method: 'post',
	path: '/auth/activity',
	tags: ['auth'],
	summary: 'Report activity on the page (clicks, typing, a call going on); resets the idle clock',
	description:
		'Any request that changes something counts as activity too; reads do not. Written at most once a minute.',
	responses: { 200: json(SessionActivity, 'The idle clock after this activity') }
});

const state = defineRoute('signed-in', {
	method: 'get',
	path: '/auth/session',
	tags: ['auth'],
	summary: "The session's idle clock, without counting as activity",
	responses: { 200: json(SessionActivity, 'The idle clock') }
});

function clock(deps: Deps, auth: ValidSession): SessionActivity {
	if (auth.idleExpiresAt === null) return { idleTimeoutSeconds: null, idleExpiresInSeconds: null };
	const idleMs = deps.config.session.staffIdleMinutes * 60_000;
	// after noteActivity (POST) the session row carries the new last activity
	const expiresAt = auth.session.last_active_at + idleMs;
	return {
		idleTimeoutSeconds: idleMs / 1000,
		idleExpiresInSeconds: Math.max(0, Math.round((expiresAt - deps.now()) / 1000))
	};
}

export function activityRoutes() {
	return createRouter()
		.openapi(activity, (c) => c.json(clock(c.var.deps, c.var.auth!), 200))
		.openapi(state, (c) => c.json(clock(c.var.deps, c.var.auth!), 200));
}
