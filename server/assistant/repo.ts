import type { Store } from '../db/store.ts';

export interface KbEntryRow {
	id: string;
	title: string;
	body: string;
	tags: string;
	service_code: string | null;
	content_hash: string;
	updated_by: string | null;
	created_at: number;
	updated_at: number;
}

export interface ConversationRow {
	id: string;
	user_id: string | null;
	service_item_id: string | null;
	handoff_ticket_id: string | null;
	handoff_at: number | null;
	created_at: number;
	updated_at: number;
}

export interface QuestionRow {
	id: number;
	conversation_id: string;
	question: string;
	entry_id: string | null;
	service_item_id: string | null;
	org_unit_id: string | null;
	confidence: number;
	answered: number;
	matches: string;
	used_context: number;
	created_at: number;
	/** unanswered: why (off_topic or gap), decided when asked */
	unanswered: 'off_topic' | 'gap' | null;
	review: 'linked' | 'faq' | 'off_topic' | null;
	review_entry_id: string | null;
	reviewed_by: string | null;
	reviewed_at: number | null;
}

/** A question in the learning queue: unanswered, or asked in a conversation handed to a person. */
export interface QueueRow {
	id: number;
	question: string;
	matches: string;
	unanswered: 'off_topic' | 'gap' | null;
	answered: number;
	handed_off: number;
	created_at: number;
}

export interface KbItemRow {
	id: string;
	code: string;
	name: string;
	name_en: string | null;
	description: string;
	keywords: string;
	fee_fen: number;
	time_limit_days: number;
	channel_video: number;
	channel_onsite: number;
	dept_name: string;
	dept_name_en: string | null;
	dept_org_unit_id: string;
	/** JSON [{ name, description, required (0/1) }] in position order */
	materials: string;
}

export function createAssistantRepo(db: Store) {
	return {
		version: async () =>
			(await db.get<{ version: number }>('SELECT version FROM kb_version WHERE id = 1'))!.version,
		/**
		 * Every item with its department and its materials (as the JSON text the index reads). The
		 * materials come from one query for all items and are put together here, one SQL text for
		 * both engines (SQLite's json_group_array has no PostgreSQL spelling).
		 */
		async kbItems(): Promise<KbItemRow[]> {
			const items = await db.all<Omit<KbItemRow, 'materials'>>(
				`SELECT s.id, s.code, s.name, s.name_en, s.description, s.keywords, s.fee_fen, s.time_limit_days,
		   s.channel_video, s.channel_onsite, d.name AS dept_name, d.name_en AS dept_name_en,
		   d.org_unit_id AS dept_org_unit_id
		 FROM service_items s JOIN departments d ON d.id = s.department_id ORDER BY s.code`
			);
			const materials = new Map<
				string,
				{ name: string; description: string; required: number }[]
			>();
			for (const m of await db.all<{
				service_item_id: string;
				name: string;
				description: string;
				required: number;
			}>(
				`SELECT service_item_id, name, description, required FROM service_materials
		 ORDER BY service_item_id, position`
			)) {
				const list = materials.get(m.service_item_id) ?? [];
				list.push({ name: m.name, description: m.description, required: m.required });
				materials.set(m.service_item_id, list);
			}
			return items.map((i) => ({ ...i, materials: JSON.stringify(materials.get(i.id) ?? []) }));
		},
		listEntries: () => db.all<KbEntryRow>('SELECT * FROM kb_entries ORDER BY id'),
		findEntry: (id: string) => db.get<KbEntryRow>('SELECT * FROM kb_entries WHERE id = ?', [id]),
		upsertEntry: async (row: Omit<KbEntryRow, 'created_at' | 'updated_at'> & { now: number }) => {
			await db.run(
				`INSERT INTO kb_entries (id, title, body, tags, service_code, content_hash, updated_by, created_at, updated_at)
		 VALUES (@id, @title, @body, @tags, @service_code, @content_hash, @updated_by, @now, @now)
		 ON CONFLICT (id) DO UPDATE SET title = excluded.title, body = excluded.body, tags = excluded.tags,
		   service_code = excluded.service_code, content_hash = excluded.content_hash,
		   updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
				row
			);
		},
		deleteEntry: async (id: string) =>
			(await db.run('DELETE FROM kb_entries WHERE id = ?', [id])).changes === 1,
		serviceCodes: async () =>
			new Set(
				(await db.all<{ code: string }>('SELECT code FROM service_items')).map((r) => r.code)
			),
		findConversation: (id: string) =>
			db.get<ConversationRow>('SELECT * FROM assistant_conversations WHERE id = ?', [id]),
		conversationOfTicket: (ticketId: string) =>
			db.get<ConversationRow>('SELECT * FROM assistant_conversations WHERE handoff_ticket_id = ?', [
				ticketId
			]),
		insertConversation: async (id: string, userId: string | null, now: number) => {
			await db.run(
				`INSERT INTO assistant_conversations (id, user_id, created_at, updated_at) VALUES (?, ?, ?, ?)`,
				[id, userId, now, now]
			);
		},
		/** false when someone claimed it first (the row count: PostgreSQL takes no lock on the read) */
		claimConversation: async (id: string, userId: string) =>
			(
				await db.run(
					'UPDATE assistant_conversations SET user_id = ? WHERE id = ? AND user_id IS NULL',
					[userId, id]
				)
			).changes === 1,
		setContext: async (id: string, serviceItemId: string | null, now: number) => {
			await db.run(
				'UPDATE assistant_conversations SET service_item_id = ?, updated_at = ? WHERE id = ?',
				[serviceItemId, now, id]
			);
		},
		setHandoff: async (id: string, ticketId: string, userId: string, now: number) =>
			(
				await db.run(
					`UPDATE assistant_conversations SET handoff_ticket_id = ?, handoff_at = ?, user_id = ?, updated_at = ?
		 WHERE id = ? AND handoff_ticket_id IS NULL`,
					[ticketId, now, userId, now, id]
				)
			).changes === 1,
		insertQuestion: async (
			row: Omit<QuestionRow, 'id' | 'review' | 'review_entry_id' | 'reviewed_by' | 'reviewed_at'>
		) => {
			await db.run(
				`INSERT INTO assistant_questions (conversation_id, question, entry_id, service_item_id, org_unit_id,
		   confidence, answered, matches, used_context, created_at, unanswered)
		 VALUES (@conversation_id, @question, @entry_id, @service_item_id, @org_unit_id,
		   @confidence, @answered, @matches, @used_context, @created_at, @unanswered)`,
				row
			);
		},
		/** Every paraphrase staff linked, to be indexed with its entry. */
		paraphrases: () =>
			db.all<{ entry_id: string; text: string }>(
				'SELECT entry_id, text FROM kb_paraphrases ORDER BY created_at, id'
			),
		/** false when the entry already has this paraphrase */
		insertParaphrase: async (row: {
			id: string;
			entry_id: string;
			text: string;
			created_by: string;
			created_at: number;
		}) =>
			(
				await db.run(
					`INSERT INTO kb_paraphrases (id, entry_id, text, created_by, created_at)
			 VALUES (@id, @entry_id, @text, @created_by, @created_at) ON CONFLICT (entry_id, text) DO NOTHING`,
					row
				)
			).changes === 1,
		findQuestion: (id: number) =>
			db.get<QuestionRow>('SELECT * FROM assistant_questions WHERE id = ?', [id]),
		/**
		 * The learning queue's questions not yet reviewed, newest first: unanswered ones, and every
		 * one asked in a conversation that was handed to a person (the answer did not do).
		 */
		queue: (since: number, limit: number) =>
			db.all<QueueRow>(
				`SELECT q.id, q.question, q.matches, q.unanswered, q.answered, q.created_at,
		   CASE WHEN c.handoff_ticket_id IS NULL THEN 0 ELSE 1 END AS handed_off
		 FROM assistant_questions q JOIN assistant_conversations c ON c.id = q.conversation_id
		 WHERE q.review IS NULL AND q.created_at >= ? AND (q.answered = 0 OR c.handoff_ticket_id IS NOT NULL)
		 ORDER BY q.created_at DESC, q.id DESC LIMIT ?`,
				[since, limit]
			),
		/** Marks the questions reviewed (those still pending); how many it marked. */
		markReviewed: async (
			ids: readonly number[],
			review: 'linked' | 'faq' | 'off_topic',
			entryId: string | null,
			by: string,
			at: number
		) =>
			ids.length
				? (
						await db.run(
							`UPDATE assistant_questions SET review = ?, review_entry_id = ?, reviewed_by = ?, reviewed_at = ?
				 WHERE review IS NULL AND id IN (${ids.map(() => '?').join(', ')})`,
							[review, entryId, by, at, ...ids]
						)
					).changes
				: 0,
		questionsOf: (conversationId: string) =>
			db.all<QuestionRow>(
				'SELECT * FROM assistant_questions WHERE conversation_id = ? ORDER BY id',
				[conversationId]
			)
	};
}
export type AssistantRepo = ReturnType<typeof createAssistantRepo>;
