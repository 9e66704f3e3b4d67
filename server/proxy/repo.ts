import { forUpdate, jsonValues } from '../db/dialect.ts';
import type { Store } from '../db/store.ts';

export interface GrantRow {
	id: string;
	grantor_id: string | null;
	grantor_phone: string;
	proxy_id: string;
	all_items: number;
	valid_until: string;
	status: 'pending' | 'active' | 'revoked';
	phone_code_id: string | null;
	confirmed_at: number | null;
	revoked_at: number | null;
	revoked_by: string | null;
	created_at: number;
	confirmed_via: 'sms' | 'signature' | null;
	confirmed_session_id: string | null;
	witness_id: string | null;
	signature_sha256: string | null;
	signature_file: string | null;
	signature_asked_in: string | null;
	signature_asked_by: string | null;
}

/** A grant as its parties list it: with both parties' names and phones. */
export interface GrantListRow extends GrantRow {
	grantor_name: string | null;
	proxy_name: string;
	proxy_phone: string | null;
}

const LISTED = `SELECT g.*, gu.name AS grantor_name, pu.name AS proxy_name, pu.phone AS proxy_phone
 FROM proxy_grants g LEFT JOIN users gu ON gu.id = g.grantor_id JOIN users pu ON pu.id = g.proxy_id`;

export function createProxyRepo(db: Store) {
	return {
		/** The open (pending or active) grant of a grantor's phone to a proxy, locked until commit. */
		findOpenGrant: (grantorPhone: string, proxyId: string) =>
			db.get<GrantRow>(
				`SELECT * FROM proxy_grants WHERE grantor_phone = ? AND proxy_id = ?
		   AND status IN ('pending', 'active')${forUpdate(db)}`,
				[grantorPhone, proxyId]
			),
		/** A grant, locked until commit (PostgreSQL) when read inside a transaction. */
		findGrant: (id: string, lock = false) =>
			db.get<GrantRow>(`SELECT * FROM proxy_grants WHERE id = ?${lock ? forUpdate(db) : ''}`, [id]),
		insertGrant: async (row: {
			id: string;
			grantor_id: string | null;
			grantor_phone: string;
			proxy_id: string;
			all_items: number;
			valid_until: string;
			phone_code_id: string;
			created_at: number;
		}) => {
			await db.run(
				`INSERT INTO proxy_grants (id, grantor_id, grantor_phone, proxy_id, all_items, valid_until, status,
		   phone_code_id, created_at)
		 VALUES (@id, @grantor_id, @grantor_phone, @proxy_id, @all_items, @valid_until, 'pending',
		   @phone_code_id, @created_at)`,
				row
			);
		},
		/** A pending request asked again: what it covers and the code that now confirms it. */
		renewPendingGrant: async (row: {
			id: string;
			grantor_id: string | null;
			all_items: number;
			valid_until: string;
			phone_code_id: string;
		}) => {
			await db.run(
				`UPDATE proxy_grants SET grantor_id = @grantor_id, all_items = @all_items,
		   valid_until = @valid_until, phone_code_id = @phone_code_id
		 WHERE id = @id AND status = 'pending'`,
				row
			);
		},
		replaceItems: async (grantId: string, itemIds: readonly string[]) => {
			await db.run('DELETE FROM proxy_grant_items WHERE grant_id = ?', [grantId]);
			for (const itemId of itemIds)
				await db.run('INSERT INTO proxy_grant_items (grant_id, service_item_id) VALUES (?, ?)', [
					grantId,
					itemId
				]);
		},
		/** pending → active; false when it was no longer pending (another confirmation won). */
		activate: async (id: string, grantorId: string, now: number) =>
			(
				await db.run(
					`UPDATE proxy_grants SET status = 'active', grantor_id = ?, confirmed_at = ?, confirmed_via = 'sms'
		 WHERE id = ? AND status = 'pending'`,
					[grantorId, now, id]
				)
			).changes === 1,
		/**
		 * pending → active by the grantor's signature in a video session, witnessed by the agent who
		 * asked for it there; false when it was no longer pending (another confirmation won).
		 */
		activateBySignature: async (s: {
			id: string;
			grantorId: string;
			now: number;
			sessionId: string;
			witnessId: string;
			sha256: string;
			file: string;
		}) =>
			(
				await db.run(
					`UPDATE proxy_grants SET status = 'active', grantor_id = ?, confirmed_at = ?,
		   confirmed_via = 'signature', confirmed_session_id = ?, witness_id = ?,
		   signature_sha256 = ?, signature_file = ?
		 WHERE id = ? AND status = 'pending'`,
					[s.grantorId, s.now, s.sessionId, s.witnessId, s.sha256, s.file, s.id]
				)
			).changes === 1,
		/** The agent asks, in a session, for the grantor's signature of a pending grant. */
		askSignature: async (id: string, sessionId: string, agentId: string) =>
			(
				await db.run(
					`UPDATE proxy_grants SET signature_asked_in = ?, signature_asked_by = ?
		 WHERE id = ? AND status = 'pending'`,
					[sessionId, agentId, id]
				)
			).changes === 1,
		/** The pending grants a phone's owner is asked for, newest first, with the proxy's name. */
		pendingGrantsOf: (grantorPhone: string) =>
			db.all<GrantListRow>(
				`${LISTED} WHERE g.grantor_phone = ? AND g.status = 'pending'
		 ORDER BY g.created_at DESC, g.id LIMIT 20`,
				[grantorPhone]
			),
		/** pending or active → revoked; false when it was already revoked. */
		revoke: async (id: string, by: string, now: number) =>
			(
				await db.run(
					`UPDATE proxy_grants SET status = 'revoked', revoked_at = ?, revoked_by = ?
		 WHERE id = ? AND status IN ('pending', 'active')`,
					[now, by, id]
				)
			).changes === 1,
		/** The grants a user gives or holds, newest first. */
		grantsOf: (userId: string) =>
			db.all<GrantListRow>(
				`${LISTED} WHERE g.proxy_id = ? OR g.grantor_id = ? ORDER BY g.created_at DESC, g.id LIMIT 100`,
				[userId, userId]
			),
		listedGrant: (id: string) => db.get<GrantListRow>(`${LISTED} WHERE g.id = ?`, [id]),
		/** The items of the given grants, with their names. */
		itemsOf: async (grantIds: readonly string[]) =>
			grantIds.length
				? db.all<{ grant_id: string; id: string; name: string }>(
						`SELECT i.grant_id, s.id, s.name FROM proxy_grant_items i
		 JOIN service_items s ON s.id = i.service_item_id
		 WHERE i.grant_id IN (${jsonValues(db)}) ORDER BY s.name, s.id`,
						[JSON.stringify(grantIds)]
					)
				: [],
		/** Which of the ids are service items, with their names. */
		serviceItems: (ids: readonly string[]) =>
			db.all<{ id: string; name: string }>(
				`SELECT id, name FROM service_items WHERE id IN (${jsonValues(db)})`,
				[JSON.stringify(ids)]
			),
		/** The sign-ins acting under a grant (their streams end when it is revoked). */
		sessionsActingUnder: async (grantId: string) =>
			(
				await db.all<{ id: string }>('SELECT id FROM sessions WHERE acting_for_grant = ?', [
					grantId
				])
			).map((r) => r.id),
		setSessionActing: async (sessionId: string, grantId: string | null) => {
			await db.run('UPDATE sessions SET acting_for_grant = ? WHERE id = ?', [grantId, sessionId]);
		}
	};
}
