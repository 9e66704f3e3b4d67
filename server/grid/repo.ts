// The 入户办 tables (home_visits, home_visit_events): reads and conditional writes only; the
// rules (home-visits.ts) decide who may do what.
import { inItems } from '../db/dialect.ts';
import type { Store } from '../db/store.ts';

export interface HomeVisitRow {
	id: string;
	citizen_id: string;
	community_id: string;
	service_item_id: string;
	address: string;
	phone: string | null;
	reason: 'elderly' | 'sick' | 'disabled' | 'pregnant' | 'other';
	note: string | null;
	requested_by: string;
	requested_as: 'self' | 'proxy';
	status: 'open' | 'accepted' | 'scheduled' | 'started' | 'cancelled';
	grid_worker_id: string | null;
	accepted_at: number | null;
	visit_at: number | null;
	scheduled_at: number | null;
	consent_method: 'signature' | 'verbal' | null;
	consent_signature_sha256: string | null;
	consent_recorded_by: string | null;
	consented_at: number | null;
	ticket_id: string | null;
	started_at: number | null;
	created_at: number;
	// names, for the view
	resident_name: string;
	requester_name: string;
	community_name: string;
	service_name: string;
	grid_worker_name: string | null;
	consent_recorder_name: string | null;
}

export interface HomeVisitEventRow {
	visit_id: string;
	seq: number;
	type: string;
	actor_id: string;
	actor_name: string;
	acted_as: 'self' | 'proxy' | 'grid';
	acted_for: string | null;
	acted_for_name: string | null;
	payload: string;
	created_at: number;
}

const VISIT = `SELECT v.*, r.name AS resident_name, q.name AS requester_name, o.name AS community_name,
	s.name AS service_name, g.name AS grid_worker_name, c.name AS consent_recorder_name
	FROM home_visits v JOIN users r ON r.id = v.citizen_id JOIN users q ON q.id = v.requested_by
	JOIN org_units o ON o.id = v.community_id JOIN service_items s ON s.id = v.service_item_id
	LEFT JOIN users g ON g.id = v.grid_worker_id LEFT JOIN users c ON c.id = v.consent_recorded_by`;

export function createGridRepo(db: Store) {
	return {
		communities: () =>
			db.all<{ id: string; code: string; name: string; parent_name: string | null }>(
				`SELECT o.id, o.code, o.name, p.name AS parent_name FROM org_units o
		 LEFT JOIN org_units p ON p.id = o.parent_id WHERE o.level = 'community' ORDER BY o.code`
			),
		communityLevel: async (id: string) =>
			(await db.get<{ level: string }>('SELECT level FROM org_units WHERE id = ?', [id]))?.level,
		insertVisit: async (row: {
			id: string;
			citizen_id: string;
			community_id: string;
			service_item_id: string;
			address: string;
			phone: string | null;
			reason: string;
			note: string | null;
			requested_by: string;
			requested_as: 'self' | 'proxy';
			created_at: number;
		}) => {
			await db.run(
				`INSERT INTO home_visits (id, citizen_id, community_id, service_item_id, address, phone, reason, note,
		   requested_by, requested_as, status, created_at)
		 VALUES (@id, @citizen_id, @community_id, @service_item_id, @address, @phone, @reason, @note,
		   @requested_by, @requested_as, 'open', @created_at)`,
				row
			);
		},
		findVisit: (id: string) => db.get<HomeVisitRow>(`${VISIT} WHERE v.id = ?`, [id]),
		/** The resident's visits, of these items only (代办: a grant of chosen items). */
		ofCitizen: (citizenId: string, items: 'all' | readonly string[]) => {
			const only = inItems(db, 'v.service_item_id', items);
			return db.all<HomeVisitRow>(
				`${VISIT} WHERE v.citizen_id = ?${only.sql} ORDER BY v.created_at DESC, v.id`,
				[citizenId, ...only.params]
			);
		},
		/** A community's visits: the open ones to take, and those a grid worker of it holds. */
		ofCommunity: (communityId: string, status: string | null) =>
			db.all<HomeVisitRow>(
				`${VISIT} WHERE v.community_id = ?${status ? ' AND v.status = ?' : ''}
		 ORDER BY v.created_at, v.id`,
				status ? [communityId, status] : [communityId]
			),
		/** First to accept wins: only an open visit is taken (one row changes, or none). */
		accept: async (id: string, gridWorkerId: string, now: number) =>
			(
				await db.run(
					`UPDATE home_visits SET status = 'accepted', grid_worker_id = ?, accepted_at = ?
		 WHERE id = ? AND status = 'open'`,
					[gridWorkerId, now, id]
				)
			).changes === 1,
		schedule: async (id: string, gridWorkerId: string, visitAt: number, now: number) =>
			(
				await db.run(
					`UPDATE home_visits SET status = 'scheduled', visit_at = ?, scheduled_at = ?
		 WHERE id = ? AND grid_worker_id = ? AND status IN ('accepted', 'scheduled')`,
					[visitAt, now, id, gridWorkerId]
				)
			).changes === 1,
		recordConsent: async (
			id: string,
			gridWorkerId: string,
			c: { method: string; signatureSha256: string | null; now: number }
		) =>
			(
				await db.run(
					`UPDATE home_visits SET consent_method = ?, consent_signature_sha256 = ?, consent_recorded_by = ?,
		   consented_at = ?
		 WHERE id = ? AND grid_worker_id = ? AND status IN ('accepted', 'scheduled')`,
					[c.method, c.signatureSha256, gridWorkerId, c.now, id, gridWorkerId]
				)
			).changes === 1,
		/** The visit's video ticket: once, after consent, by the grid worker who holds it. */
		markStarted: async (id: string, gridWorkerId: string, ticketId: string, now: number) =>
			(
				await db.run(
					`UPDATE home_visits SET status = 'started', ticket_id = ?, started_at = ?
		 WHERE id = ? AND grid_worker_id = ? AND status IN ('accepted', 'scheduled')
		   AND consented_at IS NOT NULL AND ticket_id IS NULL`,
					[ticketId, now, id, gridWorkerId]
				)
			).changes === 1,
		/**
		 * The visit whose video ticket a session serves, once started (a visit starts one ticket):
		 * the resident and the grid worker who took it.
		 */
		visitOfSession: (sessionId: string) =>
			db.get<{ id: string; citizen_id: string; grid_worker_id: string }>(
				`SELECT v.id, v.citizen_id, v.grid_worker_id FROM video_sessions s
		 JOIN home_visits v ON v.ticket_id = s.ticket_id
		 WHERE s.id = ? AND v.grid_worker_id IS NOT NULL`,
				[sessionId]
			),
		appendEvent: async (e: {
			visit_id: string;
			type: string;
			actor_id: string;
			acted_as: 'self' | 'proxy' | 'grid';
			acted_for: string | null;
			payload: string;
			created_at: number;
		}) => {
			await db.run(
				`INSERT INTO home_visit_events (visit_id, seq, type, actor_id, acted_as, acted_for, payload, created_at)
		 VALUES (@visit_id, (SELECT coalesce(max(seq), 0) + 1 FROM home_visit_events WHERE visit_id = @visit_id),
		   @type, @actor_id, @acted_as, @acted_for, @payload, @created_at)`,
				e
			);
		},
		events: (visitId: string) =>
			db.all<HomeVisitEventRow>(
				`SELECT e.*, a.name AS actor_name, f.name AS acted_for_name FROM home_visit_events e
		 JOIN users a ON a.id = e.actor_id LEFT JOIN users f ON f.id = e.acted_for
		 WHERE e.visit_id = ? ORDER BY e.seq`,
				[visitId]
			)
	};
}
