// 代办授权 confirmed by the grantor's signature in a video session (issue 23 item 1: "confirmed by
// the grantor (SMS code, or signature in a session)"), for a grantor who cannot read a code to
// the proxy. The desk agent serving the grantor sees the grantor's pending requests and asks for
// a signature of one; the grantor's own video page shows what they authorise and a pad; the
// signature makes the grant active, witnessed by that agent. The SMS code and the signature
// confirm the same pending row: whichever commits first wins, the other is told 409.
import type { Deps } from '../deps.ts';
import { AppError } from '../http/errors.ts';
import { toIso } from '../time.ts';
import { localDate } from '../../shared/dates.ts';
import { recordAudit } from '../audit/audit.ts';
import { enqueueNotice } from '../notify/outbox.ts';
import { blobStoreOf, sha256Hex } from '../db/blobs.ts';
import { activeUser, maskName, maskPhone } from '../accounts/accounts.ts';
import { requireSignerInPerson } from '../access/acting.ts';
import { requireActiveParticipant, requireHost } from '../access/video-sessions.ts';
import { appendSessionEvent, findSessionFacts } from '../video/session-records.ts';
import { MAX_SIGNATURE_BYTES, sniffType } from '../cases/files.ts';
import type { User } from '../../shared/schemas/auth.ts';
import type { Grant, SessionGrant } from '../../shared/schemas/proxy.ts';
import { createProxyRepo, type GrantListRow } from './repo.ts';
import { listedGrant } from './proxy.ts';

const today = (deps: Deps) => localDate(deps.now(), deps.config.timeZone);

const notPending = () =>
	AppError.conflict('grant_not_pending', 'This grant is no longer waiting for confirmation');
const notFound = () => AppError.notFound('Proxy grant');

/** The session's grantor: its citizen's active account (a session always has one). */
async function sessionCitizen(deps: Deps, sessionId: string): Promise<User> {
	const facts = await findSessionFacts(deps, sessionId);
	const citizen = facts && (await activeUser(deps, facts.citizenId));
	if (!citizen) throw AppError.notFound('Video session');
	return citizen;
}

/** The grantor's pending, unexpired requests (by the phone the proxy named, as the SMS code goes). */
async function pendingOf(deps: Deps, grantor: User): Promise<GrantListRow[]> {
	if (grantor.role !== 'citizen' || !grantor.phone) return [];
	const day = today(deps);
	return (await createProxyRepo(deps.store).pendingGrantsOf(grantor.phone)).filter(
		(g) => g.valid_until >= day
	);
}

async function toSessionGrants(
	deps: Deps,
	rows: GrantListRow[],
	sessionId: string
): Promise<SessionGrant[]> {
	const items = await createProxyRepo(deps.store).itemsOf(rows.map((r) => r.id));
	return rows.map((r) => ({
		id: r.id,
		proxy: { name: maskName(r.proxy_name) ?? '', phone: maskPhone(r.proxy_phone) ?? '' },
		items: r.all_items
			? 'all'
			: items.filter((i) => i.grant_id === r.id).map((i) => ({ id: i.id, name: i.name })),
		validUntil: r.valid_until,
		createdAt: toIso(r.created_at, deps.config.timeZone),
		asked: r.signature_asked_in === sessionId
	}));
}

/** The desk agent serving the session: the pending requests of its citizen, to ask a signature of. */
export async function pendingGrantsInSession(
	deps: Deps,
	agent: User,
	sessionId: string
): Promise<SessionGrant[]> {
	await requireHost(deps, agent, sessionId);
	const grantor = await sessionCitizen(deps, sessionId);
	return toSessionGrants(deps, await pendingOf(deps, grantor), sessionId);
}

/**
 * The agent asks the grantor to sign one of their pending requests: the grantor's video page is
 * woken by the session event and shows it with a pad. Asking again is harmless.
 */
export async function askGrantSignature(
	deps: Deps,
	agent: User,
	sessionId: string,
	grantId: string
): Promise<SessionGrant[]> {
	await requireHost(deps, agent, sessionId);
	const grantor = await sessionCitizen(deps, sessionId);
	await deps.store.transaction(async (tx) => {
		const txDeps = { ...deps, store: tx };
		const repo = createProxyRepo(tx);
		const grant = await repo.findGrant(grantId, true);
		if (!grant || grant.grantor_phone !== grantor.phone) throw notFound();
		if (grant.status !== 'pending') throw notPending();
		if (grant.valid_until < today(deps))
			throw AppError.conflict('grant_expired', 'The day this grant was to last until has passed');
		await repo.askSignature(grantId, sessionId, agent.id);
		await appendSessionEvent(txDeps, sessionId, 'grant.signature_requested', agent.id, {
			grantId
		});
	});
	return pendingGrantsInSession(deps, agent, sessionId);
}

/** The session's citizen in person: admitted, not removed, the session open, not a proxy acting. */
async function requireGrantorInSession(deps: Deps, user: User, sessionId: string): Promise<void> {
	requireSignerInPerson();
	const p = await requireActiveParticipant(deps, user, sessionId);
	if (p.kind !== 'citizen')
		throw AppError.forbidden('Only the citizen of this session signs their grants');
	if (!p.admitted) throw AppError.conflict('not_admitted', 'You are still in the waiting room');
}

/** What the grantor is asked to sign in this session, while it is still pending (else null). */
export async function askedGrant(
	deps: Deps,
	grantor: User,
	sessionId: string
): Promise<SessionGrant | null> {
	await requireGrantorInSession(deps, grantor, sessionId);
	const asked = (await pendingOf(deps, grantor)).filter((g) => g.signature_asked_in === sessionId);
	return (await toSessionGrants(deps, asked.slice(0, 1), sessionId))[0] ?? null;
}

/**
 * The grantor signs the grant the agent asked for in this session: it becomes active, recorded
 * as confirmed by signature, with the session, the agent as witness and the image; the grantor
 * and the proxy are told, as after an SMS confirmation.
 */
export async function signGrantInSession(
	deps: Deps,
	grantor: User,
	sessionId: string,
	grantId: string,
	dataUrl: string
): Promise<Grant> {
	await requireGrantorInSession(deps, grantor, sessionId);
	const data = Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
	if (data.byteLength > MAX_SIGNATURE_BYTES)
		throw new AppError(413, 'payload_too_large', 'The signature image is too large');
	if (sniffType(data) !== 'image/png') throw AppError.validation({ image: 'is not a PNG image' });
	// named by content: storing before the transaction leaves at most an unreferenced copy
	const sha256 = sha256Hex(data);
	const blobs = blobStoreOf(deps);
	await blobs.put('signatures', sha256, data);
	const file = blobs.locate('signatures', sha256);
	await deps.store.transaction(async (tx) => {
		const txDeps = { ...deps, store: tx };
		const repo = createProxyRepo(tx);
		const grant = await repo.findGrant(grantId, true);
		if (!grant || grant.grantor_phone !== grantor.phone) throw notFound();
		if (grant.status !== 'pending') throw notPending();
		if (grant.signature_asked_in !== sessionId || !grant.signature_asked_by)
			throw AppError.conflict(
				'signature_not_asked',
				'The agent has not asked for your signature of this grant in this session'
			);
		if (grant.valid_until < today(deps))
			throw AppError.conflict('grant_expired', 'The day this grant was to last until has passed');
		const witnessId = grant.signature_asked_by;
		const now = deps.now();
		if (
			!(await repo.activateBySignature({
				id: grantId,
				grantorId: grantor.id,
				now,
				sessionId,
				witnessId,
				sha256,
				file
			}))
		)
			throw notPending();
		const proxy = await activeUser(txDeps, grant.proxy_id);
		await enqueueNotice(txDeps, {
			userId: grantor.id,
			kind: 'proxy_granted',
			params: { proxyName: maskName(proxy?.name ?? null) ?? '', validUntil: grant.valid_until },
			link: '/my/proxy',
			dueAt: now,
			key: `proxy_granted:${grantId}`,
			channels: ['in_app', 'sms']
		});
		// the proxy was not there: they hear that they may now act
		await enqueueNotice(txDeps, {
			userId: grant.proxy_id,
			kind: 'proxy_grant_signed',
			params: { grantorName: maskName(grantor.name) ?? '', validUntil: grant.valid_until },
			link: '/my/proxy',
			dueAt: now,
			key: `proxy_grant_signed:${grantId}`,
			channels: ['in_app', 'sms']
		});
		await appendSessionEvent(txDeps, sessionId, 'grant.signed', grantor.id, { grantId });
		await recordAudit(txDeps, {
			action: 'proxy.granted',
			target: { type: 'proxy_grant', id: grantId },
			detail: {
				grantor: grantor.id,
				proxy: grant.proxy_id,
				validUntil: grant.valid_until,
				confirmedVia: 'signature',
				sessionId,
				witness: witnessId,
				signatureSha256: sha256
			}
		});
	});
	return listedGrant(deps, grantor, grantId);
}
