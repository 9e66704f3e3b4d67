// 代办: a proxy acting for someone under a confirmed grant (issue 23 item 1). While a session acts,
// requests run as the applicant (c.var.user, so citizen routes create records for them) and the
// proxy is the actor (c.var.actor, the audit trail's user). Deny by default: only the routes
// below are reachable, a record reached by id must be of a granted item, and every feature that
// creates or lists records of an item asks this module (requireGrantedItem, listableItems).
import type { Deps } from '../deps.ts';
import { AppError } from '../http/errors.ts';
import { currentActor } from '../audit/context.ts';
import { localDate } from '../../shared/dates.ts';
import type { User } from '../../shared/schemas/auth.ts';
import type { ActedAs, Acting } from '../../shared/schemas/proxy.ts';
import { createAccessRepo, type ItemRecord } from './repo.ts';

/** A session's acting state: the grant, and the applicant while it still holds. */
export interface ActingState extends Acting {
	/** the applicant as the routes see them (c.var.user) while the grant holds */
	applicantUser: User;
}

/** Is the grant usable today? A grant holds through its last day in the hall's time zone. */
export function grantHolds(
	deps: Deps,
	g: { status: string; valid_until: string; grantor_disabled_at?: number | null }
): boolean {
	return (
		g.status === 'active' &&
		!g.grantor_disabled_at &&
		g.valid_until >= localDate(deps.now(), deps.config.timeZone)
	);
}

/**
 * What a session acting under `grantId` resolves to for `actor` (the signed-in proxy): 'active'
 * while the grant is theirs, active, unexpired and the grantor's account enabled, else 'ended'
 * (revoked or expired: nothing may be done for the applicant until the proxy switches back).
 * null when the grant is not the actor's at all.
 */
export async function resolveActing(
	deps: Deps,
	grantId: string,
	actor: User
): Promise<ActingState | null> {
	const g = await createAccessRepo(deps.store).actingGrant(grantId);
	if (!g || g.proxy_id !== actor.id || !g.grantor_id) return null;
	return {
		grantId: g.id,
		state: grantHolds(deps, g) ? 'active' : 'ended',
		applicant: { id: g.grantor_id, name: g.grantor_name ?? '' },
		items: g.all_items ? 'all' : (g.item_ids ?? '').split(',').filter(Boolean),
		validUntil: g.valid_until,
		applicantUser: {
			id: g.grantor_id,
			role: 'citizen',
			name: g.grantor_name ?? '',
			phone: g.grantor_account_phone,
			username: null,
			orgUnitId: null
		}
	};
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
const ID = '[^/]+';
const route = (method: Method, path: string) =>
	({ method, pattern: new RegExp(`^/api${path.replaceAll('{id}', ID)}$`) }) as const;

/**
 * Leaving the acting state: reachable whatever the grant's state, so a proxy whose grant was
 * revoked or expired can see that (/api/me) and switch back.
 */
const WAY_OUT = [
	route('GET', '/me'),
	route('GET', '/auth/session'),
	route('POST', '/auth/activity'),
	route('POST', '/auth/logout'),
	route('GET', '/proxy/grants'),
	route('POST', '/proxy/acting'),
	route('DELETE', '/proxy/acting')
];

/**
 * What a proxy may do for the applicant (issue 23: book, take a number, ask, join the video
 * session, fill the form): the catalogue, booking and its list, a ticket and its page, the
 * assistant, the applicant's video session, cases of granted items. Everything else (notices,
 * ratings, the waitlist, preferences, two-factor, any staff route) answers 403.
 */
const FOR_THE_APPLICANT = [
	...WAY_OUT,
	route('GET', '/services'),
	route('GET', '/services/{id}'),
	route('GET', '/services/{id}/days'),
	route('GET', '/services/{id}/slots'),
	route('GET', '/services/{id}/halls'),
	route('GET', '/services/{id}/form-template'),
	route('GET', '/departments'),
	route('GET', '/bundles'),
	route('GET', '/health'),
	route('POST', '/appointments'),
	route('GET', '/appointments'),
	route('GET', '/appointments/{id}'),
	route('POST', '/appointments/{id}/cancel'),
	route('POST', '/appointments/{id}/reschedule'),
	route('GET', '/appointments/{id}/ics'),
	route('POST', '/queue/tickets'),
	route('GET', '/queue/tickets'),
	route('GET', '/queue/tickets/{id}'),
	route('POST', '/queue/tickets/{id}/cancel'),
	route('POST', '/queue/tickets/{id}/rejoin'),
	route('GET', '/queue/board'),
	route('GET', '/queue/halls'),
	route('GET', '/queue/events'),
	route('POST', '/assistant/ask'),
	route('POST', '/assistant/conversations/{id}/handoff'),
	route('GET', '/assistant/conversations/{id}'),
	route('POST', '/device-check/token'),
	route('GET', '/video-sessions/{id}'),
	route('POST', '/video-sessions/{id}/token'),
	route('POST', '/video-sessions/{id}/waiting'),
	route('POST', '/video-sessions/{id}/chat'),
	route('GET', '/video-sessions/{id}/events'),
	route('POST', '/cases'),
	route('GET', '/cases'),
	route('GET', '/cases/{id}'),
	route('PUT', '/cases/{id}/fields/{id}'),
	route('POST', '/cases/{id}/fields/{id}/confirm'),
	route('POST', '/cases/{id}/presence'),
	route('POST', '/cases/{id}/documents'),
	route('POST', '/cases/{id}/submit'),
	route('GET', '/cases/{id}/documents/{id}/file'),
	route('GET', '/cases/{id}/signature/file'),
	route('GET', '/cases/{id}/events'),
	route('GET', '/cases/{id}/receipt'),
	route('GET', '/cases/{id}/acceptance-notice'),
	// 入户办: family may ask the community's grid workers to visit the applicant at home
	route('GET', '/communities'),
	route('POST', '/home-visits'),
	route('GET', '/home-visits'),
	route('GET', '/home-visits/{id}')
];

/** the applicant's own signatures: a case's form, a proxy grant signed in a video session */
const SIGNATURES = [
	route('POST', '/cases/{id}/signature'),
	route('POST', '/video-sessions/{id}/grant-signature')
];

const signatureInPerson = () =>
	new AppError(
		403,
		'signature_in_person',
		"A signature is always the applicant's own: they sign on their own device or in the video session"
	);

const matches = (list: readonly { method: string; pattern: RegExp }[], m: string, p: string) =>
	list.some((r) => (r.method === m || (r.method === 'GET' && m === 'HEAD')) && r.pattern.test(p));

/** 403 unless a session acting as `acting` may call this route at all. */
export function requireActingRoute(acting: Acting, method: string, path: string): void {
	if (matches(WAY_OUT, method, path)) return;
	if (acting.state === 'ended')
		throw new AppError(
			403,
			'acting_ended',
			'Your authority to act for this person was revoked or has expired; switch back to yourself'
		);
	// 签名必须本人: the applicant signs in person (on their own device or in the video session)
	if (matches(SIGNATURES, method, path)) throw signatureInPerson();
	if (!matches(FOR_THE_APPLICANT, method, path))
		throw new AppError(
			403,
			'acting_for_someone',
			'You are acting for someone else; switch back to yourself to do this'
		);
}

/** The record an allowed route reaches by id, if any: its table and id. */
function recordOf(path: string): { table: ItemRecord; id: string } | null {
	const m = /^\/api\/(appointments|queue\/tickets|cases|video-sessions|home-visits)\/([^/]+)/.exec(
		path
	);
	if (!m) return null;
	const table = (
		{
			appointments: 'appointments',
			'queue/tickets': 'tickets',
			cases: 'cases',
			'video-sessions': 'video_sessions',
			'home-visits': 'home_visits'
		} as const
	)[m[1] as 'appointments' | 'queue/tickets' | 'cases' | 'video-sessions' | 'home-visits'];
	return { table, id: decodeURIComponent(m[2]) };
}

function covers(items: Acting['items'] | readonly string[], serviceItemId: string): boolean {
	return items === 'all' || items.includes(serviceItemId);
}

const notGranted = () =>
	new AppError(
		403,
		'item_not_granted',
		'Your authority to act for this person does not cover this item'
	);

/**
 * A record reached by id while acting must be the applicant's and of a granted item (the
 * feature's own check still decides whether the applicant may see it: 404 when absent).
 */
export async function requireActingRecord(
	deps: Deps,
	acting: ActingState,
	path: string
): Promise<void> {
	const record = recordOf(path);
	if (!record) return;
	const row = await createAccessRepo(deps.store).serviceItemOf(record.table, record.id);
	if (!row) return;
	if (row.citizen_id !== acting.applicant.id || !covers(acting.items, row.service_item_id))
		throw notGranted();
}

/** In a rule taking a signature: 403 while a proxy acts (the applicant signs in person). */
export function requireSignerInPerson(): void {
	if (currentActor().actingFor) throw signatureInPerson();
}

/** In a rule creating a record of an item: 403 when a proxy acts and the grant does not cover it. */
export function requireGrantedItem(serviceItemId: string): void {
	const acting = currentActor().actingFor;
	if (acting && !covers(acting.items, serviceItemId)) throw notGranted();
}

/**
 * In a rule listing the applicant's records: the items the list may show, 'all' or, while a proxy
 * acts under a grant of chosen items, those. The feature's query filters on them (server/db/
 * dialect.ts inItems), so its LIMIT counts only what the proxy may see.
 */
export function listableItems(): 'all' | readonly string[] {
	return currentActor().actingFor?.items ?? 'all';
}

/** Who acted on a record of `applicantId`: a proxy acting for them, staff, or they themself. */
export interface ActedBy {
	actedBy: string;
	actedAs: ActedAs;
}

export function whoActsFor(applicantId: string): ActedBy {
	const { user, actingFor } = currentActor();
	if (user && actingFor?.applicant.id === applicantId)
		return { actedBy: user.id, actedAs: 'proxy' };
	// 入户办: a grid worker acts for the resident at their home (issue 23 item 2)
	if (user && user.role === 'grid') return { actedBy: user.id, actedAs: 'grid' };
	if (user && user.role !== 'citizen') return { actedBy: user.id, actedAs: 'staff' };
	return { actedBy: applicantId, actedAs: 'self' };
}

/**
 * The proxy acting for the applicant right now, if any (to name them in the notice the applicant
 * gets about what was done for them).
 */
export function proxyActingFor(applicantId: string): Pick<User, 'id' | 'name'> | null {
	const { user, actingFor } = currentActor();
	return user && actingFor?.applicant.id === applicantId ? { id: user.id, name: user.name } : null;
}

/** 入户办: the grid worker acting for the resident right now, if any (to name them in her notice). */
export function gridWorkerActingFor(applicantId: string): Pick<User, 'id' | 'name'> | null {
	const { user } = currentActor();
	return user && user.role === 'grid' && user.id !== applicantId
		? { id: user.id, name: user.name }
		: null;
}

/**
 * A case event's actor: a write the rules record as the applicant's (actor = the applicant) was
 * done by the proxy while one acts; the event then names the proxy as actor and the applicant as
 * the one acted for. A grid worker's step is always for the resident (入户办, issue 23 item 2):
 * the grid worker is the actor, the applicant (read only then) the one acted for.
 */
export async function caseEventActor(
	actorId: string | null,
	applicantOf: () => Promise<string>
): Promise<{ actorId: string | null; actedFor: string | null }> {
	const { user, actingFor } = currentActor();
	if (user && actingFor && actorId === actingFor.applicant.id)
		return { actorId: user.id, actedFor: actingFor.applicant.id };
	if (user && user.role === 'grid' && actorId === user.id)
		return { actorId, actedFor: await applicantOf() };
	return { actorId, actedFor: null };
}
