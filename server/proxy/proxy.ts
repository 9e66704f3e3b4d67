// 代办授权 (issue 23 item 1): a citizen asks to act for someone; the grantor confirms with an SMS
// code sent to their own phone (read to the proxy, or typed on the proxy's phone); either party
// revokes at any time. A confirmed, unexpired grant lets the proxy switch their session to act
// for the grantor (server/access/acting.ts decides what that session may then do).
//
// One direction only: the proxy asks and the grantor's code confirms. The other direction (the
// grantor names the proxy's phone) would need a second code flow, and its confirmation would
// still have to come from the grantor's own phone, which this one already proves.
import type { Deps } from '../deps.ts';
import { AppError } from '../http/errors.ts';
import { newId } from '../ids.ts';
import { isUniqueViolation } from '../db/dialect.ts';
import { toIso } from '../time.ts';
import { addDays, localDate } from '../../shared/dates.ts';
import { recordAudit } from '../audit/audit.ts';
import { enqueueNotice } from '../notify/outbox.ts';
import { signInKey } from '../realtime/bus.ts';
import { activeCitizenByPhone, activeUser, maskName, maskPhone } from '../accounts/accounts.ts';
import {
	checkPhoneCode,
	invalidCode,
	sendCode,
	spendPhoneCode,
	type CodeMessage
} from '../accounts/phone-codes.ts';
import { grantHolds, resolveActing } from '../access/acting.ts';
import type { User } from '../../shared/schemas/auth.ts';
import {
	MAX_GRANT_DAYS,
	type Acting,
	type Grant,
	type GrantRequest,
	type GrantRequested
} from '../../shared/schemas/proxy.ts';
import { createProxyRepo, type GrantListRow } from './repo.ts';

const today = (deps: Deps) => localDate(deps.now(), deps.config.timeZone);

/** The items a request names, checked: 'all', or existing service items (400 otherwise). */
async function requestedItems(
	deps: Deps,
	items: GrantRequest['items']
): Promise<'all' | { id: string; name: string }[]> {
	if (items === 'all') return 'all';
	const ids = [...new Set(items)];
	const found = await createProxyRepo(deps.store).serviceItems(ids);
	const missing = ids.filter((id) => !found.some((f) => f.id === id));
	if (missing.length)
		throw AppError.validation({ items: `no such service item: ${missing.join(', ')}` });
	return ids.map((id) => found.find((f) => f.id === id)!);
}

/** 全部事项, or up to three names and how many in all: what the grantor's SMS says. */
function itemsText(items: 'all' | { name: string }[]): string {
	if (items === 'all') return '全部事项';
	const names = items.slice(0, 3).map((i) => i.name);
	return items.length > 3 ? `${names.join('、')}等${items.length}项` : names.join('、');
}

/**
 * A proxy asks to act for the person with `grantorPhone`. The answer is the same whether or not
 * the phone has an account: a pending grant is recorded either way and a code goes only to a
 * citizen account's phone (as a password reset does). Asking again while a request is pending
 * renews it with a new code; while a grant is active, 409.
 */
export async function requestGrant(
	deps: Deps,
	proxy: User,
	input: GrantRequest,
	ip: string
): Promise<GrantRequested> {
	if (proxy.phone && input.grantorPhone === proxy.phone)
		throw AppError.validation({ grantorPhone: 'is your own number' });
	const day = today(deps);
	if (input.validUntil < day) throw AppError.validation({ validUntil: 'is in the past' });
	if (input.validUntil > addDays(day, MAX_GRANT_DAYS))
		throw AppError.validation({ validUntil: `is more than ${MAX_GRANT_DAYS} days away` });
	const items = await requestedItems(deps, input.items);
	let grantId = '';
	const { sent } = await sendCode(
		deps,
		input.grantorPhone,
		'proxy',
		ip,
		async (tx, code, codeId): Promise<CodeMessage | null> => {
			const repo = createProxyRepo(tx.store);
			const grantor = await activeCitizenByPhone(tx, input.grantorPhone);
			const open = await repo.findOpenGrant(input.grantorPhone, proxy.id);
			if (open?.status === 'active')
				throw AppError.conflict(
					'grant_active',
					'You already hold an active grant from this person; revoke it before asking again'
				);
			const fields = {
				grantor_id: grantor?.id ?? null,
				all_items: items === 'all' ? 1 : 0,
				valid_until: input.validUntil,
				phone_code_id: codeId
			};
			if (open) {
				grantId = open.id;
				await repo.renewPendingGrant({ id: open.id, ...fields });
			} else {
				grantId = newId();
				try {
					// a savepoint: a request racing this one for the same pair loses only the insert
					await tx.store.transaction((sp) =>
						createProxyRepo(sp).insertGrant({
							id: grantId,
							grantor_phone: input.grantorPhone,
							proxy_id: proxy.id,
							created_at: deps.now(),
							...fields
						})
					);
				} catch (err) {
					if (isUniqueViolation(err, 'proxy_grants_one_open') || isUniqueViolation(err))
						throw AppError.conflict(
							'grant_request_pending',
							'A request to this person is already being made; wait a moment and look under 我的'
						);
					throw err;
				}
			}
			await repo.replaceItems(grantId, items === 'all' ? [] : items.map((i) => i.id));
			if (!grantor) return null;
			return {
				kind: 'phone_code_proxy',
				params: {
					code,
					proxyName: maskName(proxy.name) ?? '',
					proxyPhone: maskPhone(proxy.phone) ?? '',
					items: itemsText(items),
					validUntil: input.validUntil
				},
				carriesCode: true
			};
		}
	);
	return { grantId, ...sent };
}

const notFound = () => AppError.notFound('Proxy grant');

/**
 * The proxy gives the code the grantor read to them. Two confirmations at once (two nodes): the
 * grant's row lock and the code's single spend let one win; the other gets 409.
 */
export async function confirmGrant(
	deps: Deps,
	proxy: User,
	grantId: string,
	code: string
): Promise<Grant> {
	const repo = createProxyRepo(deps.store);
	const grant = await repo.findGrant(grantId);
	if (!grant || grant.proxy_id !== proxy.id) throw notFound();
	if (grant.status !== 'pending') throw notPending();
	// counts a wrong attempt in a transaction of its own (it must stay counted when we refuse)
	const checked = await checkPhoneCode(deps, grant.grantor_phone, 'proxy', code).catch(
		async (err: unknown) => {
			// the same code given at once elsewhere was spent by a confirmation that won: say so
			if ((await repo.findGrant(grantId))?.status !== 'pending') throw notPending();
			throw err;
		}
	);
	// a code sent for another request of this phone never confirms this one
	if (checked.id !== grant.phone_code_id || !grant.grantor_id) throw invalidCode();
	await deps.store.transaction(async (tx) => {
		const txDeps = { ...deps, store: tx };
		const txRepo = createProxyRepo(tx);
		const locked = (await txRepo.findGrant(grantId, true))!;
		if (locked.status !== 'pending') throw notPending();
		if (!(await spendPhoneCode(txDeps, checked.id))) throw invalidCode();
		if (locked.valid_until < today(deps))
			throw AppError.conflict('grant_expired', 'The day this grant was to last until has passed');
		const grantor = await activeUser(txDeps, locked.grantor_id!);
		if (!grantor || grantor.role !== 'citizen' || grantor.phone !== locked.grantor_phone)
			throw invalidCode();
		if (!(await txRepo.activate(grantId, grantor.id, deps.now()))) throw notPending();
		// the grantor hears of it on their own phone too: a grant they did not mean is revoked at once
		await enqueueNotice(txDeps, {
			userId: grantor.id,
			kind: 'proxy_granted',
			params: { proxyName: maskName(proxy.name) ?? '', validUntil: locked.valid_until },
			link: '/my',
			dueAt: deps.now(),
			key: `proxy_granted:${grantId}`,
			channels: ['in_app', 'sms']
		});
		await recordAudit(txDeps, {
			action: 'proxy.granted',
			target: { type: 'proxy_grant', id: grantId },
			detail: { grantor: grantor.id, proxy: proxy.id, validUntil: locked.valid_until }
		});
	});
	return listedGrant(deps, proxy, grantId);
}

const notPending = () =>
	AppError.conflict('grant_not_pending', 'This grant is no longer waiting for confirmation');

/**
 * Either party ends a grant, pending or active, at any time. Every sign-in acting under it stops
 * at once: its next request is refused (403 acting_ended) and its open streams end now.
 */
export async function revokeGrant(deps: Deps, actor: User, grantId: string): Promise<Grant> {
	const sessions = await deps.store.transaction(async (tx) => {
		const repo = createProxyRepo(tx);
		const grant = await repo.findGrant(grantId, true);
		if (!grant || (grant.proxy_id !== actor.id && grant.grantor_id !== actor.id)) throw notFound();
		if (!(await repo.revoke(grantId, actor.id, deps.now())))
			throw AppError.conflict('grant_revoked', 'This grant was already revoked');
		await recordAudit(
			{ ...deps, store: tx },
			{
				action: 'proxy.revoked',
				target: { type: 'proxy_grant', id: grantId },
				detail: { grantor: grant.grantor_id, proxy: grant.proxy_id, was: grant.status }
			}
		);
		return repo.sessionsActingUnder(grantId);
	});
	for (const id of sessions) deps.engine.events.end(signInKey(id));
	return listedGrant(deps, actor, grantId);
}

/** The grants I give or hold, as 我的 lists them. */
export async function listGrants(deps: Deps, me: User): Promise<Grant[]> {
	const repo = createProxyRepo(deps.store);
	const rows = await repo.grantsOf(me.id);
	const items = await repo.itemsOf(rows.filter((r) => !r.all_items).map((r) => r.id));
	return rows.map((r) =>
		toGrant(
			deps,
			me,
			r,
			items.filter((i) => i.grant_id === r.id)
		)
	);
}

export async function listedGrant(deps: Deps, me: User, grantId: string): Promise<Grant> {
	const repo = createProxyRepo(deps.store);
	const row = (await repo.listedGrant(grantId))!;
	return toGrant(deps, me, row, await repo.itemsOf([grantId]));
}

/**
 * Names and phones masked, as the hall shows the other party of a list. While a request is
 * pending the proxy sees only the number they typed: not whether it has an account, nor its name.
 */
function toGrant(
	deps: Deps,
	me: User,
	r: GrantListRow,
	items: { id: string; name: string }[]
): Grant {
	const tz = deps.config.timeZone;
	const mine = r.proxy_id === me.id ? 'proxy' : 'grantor';
	const grantorKnown = mine === 'grantor' || r.status === 'active' || r.confirmed_at !== null;
	return {
		id: r.id,
		role: mine,
		grantor: {
			id: grantorKnown ? r.grantor_id : null,
			name: grantorKnown ? maskName(r.grantor_name) : null,
			phone: maskPhone(r.grantor_phone)!
		},
		proxy: { id: r.proxy_id, name: maskName(r.proxy_name), phone: maskPhone(r.proxy_phone) ?? '' },
		items: r.all_items ? 'all' : items.map((i) => ({ id: i.id, name: i.name })),
		validUntil: r.valid_until,
		status: r.status,
		expired: r.status === 'active' && r.valid_until < today(deps),
		createdAt: toIso(r.created_at, tz),
		confirmedAt: r.confirmed_at === null ? null : toIso(r.confirmed_at, tz),
		confirmedVia: r.confirmed_at === null ? null : (r.confirmed_via ?? 'sms'),
		revokedAt: r.revoked_at === null ? null : toIso(r.revoked_at, tz)
	};
}

function toActing(a: Acting): Acting {
	return {
		grantId: a.grantId,
		state: a.state,
		applicant: a.applicant,
		items: a.items,
		validUntil: a.validUntil
	};
}

/**
 * The signed-in proxy switches this sign-in to act for the grantor (an active, unexpired grant
 * of theirs). The sign-in's open streams end: the pages reconnect as who they now act for.
 */
export async function startActing(
	deps: Deps,
	proxy: User,
	sessionId: string,
	grantId: string
): Promise<Acting> {
	await deps.store.transaction(async (tx) => {
		const repo = createProxyRepo(tx);
		const grant = await repo.findGrant(grantId, true);
		if (!grant || grant.proxy_id !== proxy.id) throw notFound();
		if (grant.status !== 'active')
			throw AppError.conflict('grant_not_active', 'This grant is not confirmed or was revoked');
		const grantor = grant.grantor_id
			? await activeUser({ ...deps, store: tx }, grant.grantor_id)
			: null;
		// a disabled grantor counts as an ended grant
		if (!grantHolds(deps, { ...grant, grantor_disabled_at: grantor ? null : 1 }))
			throw AppError.conflict('grant_expired', 'This grant has expired');
		await repo.setSessionActing(sessionId, grantId);
		await recordAudit(
			{ ...deps, store: tx },
			{
				action: 'proxy.acting_started',
				target: { type: 'proxy_grant', id: grantId },
				detail: { actingFor: grant.grantor_id, actingForName: grantor!.name }
			}
		);
	});
	deps.engine.events.end(signInKey(sessionId));
	return toActing((await resolveActing(deps, grantId, proxy))!);
}

/** Back to acting for oneself (also after the grant was revoked or expired). */
export async function stopActing(
	deps: Deps,
	sessionId: string,
	acting: Acting | null
): Promise<void> {
	if (!acting) return;
	await deps.store.transaction(async (tx) => {
		await createProxyRepo(tx).setSessionActing(sessionId, null);
		await recordAudit(
			{ ...deps, store: tx },
			{
				action: 'proxy.acting_ended',
				target: { type: 'proxy_grant', id: acting.grantId },
				detail: { actingFor: acting.applicant.id, actingForName: acting.applicant.name }
			}
		);
	});
	deps.engine.events.end(signInKey(sessionId));
}

/** What /api/me says about acting: null when the sign-in acts for itself. */
export function actingOf(acting: Acting | null): Acting | null {
	return acting ? toActing(acting) : null;
}
