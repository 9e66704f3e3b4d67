import { perConnection, type Db } from '../db/index.ts';

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
}

export interface KbItemRow {
	id: string;
	code: string;
	name: string;
	description: string;
	keywords: string;
	fee_fen: number;
	time_limit_days: number;
	channel_video: number;
	channel_onsite: number;
	dept_name: string;
	dept_org_unit_id: string;
	/** JSON [{ name, description, required (0/1) }] in position order */
	materials: string;
}

export const createAssistantRepo = perConnection((db: Db) => {
	const version = db.prepare<[], { version: number }>(
		'SELECT version FROM kb_version WHERE id = 1'
	);
	const items = db.prepare<[], KbItemRow>(
		`SELECT s.id, s.code, s.name, s.description, s.keywords, s.fee_fen, s.time_limit_days,
		   s.channel_video, s.channel_onsite, d.name AS dept_name, d.org_unit_id AS dept_org_unit_id,
		   (SELECT json_group_array(json_object('name', m.name, 'description', m.description, 'required', m.required))
		      FROM (SELECT name, description, required FROM service_materials WHERE service_item_id = s.id ORDER BY position) m
		   ) AS materials
		 FROM service_items s JOIN departments d ON d.id = s.department_id ORDER BY s.code`
	);
	const entries = db.prepare<[], KbEntryRow>('SELECT * FROM kb_entries ORDER BY id');
	const entry = db.prepare<[string], KbEntryRow>('SELECT * FROM kb_entries WHERE id = ?');
	const upsertEntry = db.prepare(
		`INSERT INTO kb_entries (id, title, body, tags, service_code, content_hash, updated_by, created_at, updated_at)
		 VALUES (@id, @title, @body, @tags, @service_code, @content_hash, @updated_by, @now, @now)
		 ON CONFLICT (id) DO UPDATE SET title = excluded.title, body = excluded.body, tags = excluded.tags,
		   service_code = excluded.service_code, content_hash = excluded.content_hash,
		   updated_by = excluded.updated_by, updated_at = excluded.updated_at`
	);
	const deleteEntry = db.prepare('DELETE FROM kb_entries WHERE id = ?');
	const itemCodes = db.prepare<[], { code: string }>('SELECT code FROM service_items');

	const conversation = db.prepare<[string], ConversationRow>(
		'SELECT * FROM assistant_conversations WHERE id = ?'
	);
	const conversationOfTicket = db.prepare<[string], ConversationRow>(
		'SELECT * FROM assistant_conversations WHERE handoff_ticket_id = ?'
	);
	const insertConversation = db.prepare(
		`INSERT INTO assistant_conversations (id, user_id, created_at, updated_at) VALUES (?, ?, ?, ?)`
	);
	const claim = db.prepare(
		'UPDATE assistant_conversations SET user_id = ? WHERE id = ? AND user_id IS NULL'
	);
	const setContext = db.prepare(
		'UPDATE assistant_conversations SET service_item_id = ?, updated_at = ? WHERE id = ?'
	);
	const setHandoff = db.prepare(
		`UPDATE assistant_conversations SET handoff_ticket_id = ?, handoff_at = ?, user_id = ?, updated_at = ?
		 WHERE id = ? AND handoff_ticket_id IS NULL`
	);
	const insertQuestion = db.prepare(
		`INSERT INTO assistant_questions (conversation_id, question, entry_id, service_item_id, org_unit_id,
		   confidence, answered, matches, used_context, created_at)
		 VALUES (@conversation_id, @question, @entry_id, @service_item_id, @org_unit_id,
		   @confidence, @answered, @matches, @used_context, @created_at)`
	);
	const questions = db.prepare<[string], QuestionRow>(
		'SELECT * FROM assistant_questions WHERE conversation_id = ? ORDER BY id'
	);

	return {
		version: () => version.get()!.version,
		kbItems: () => items.all(),
		listEntries: () => entries.all(),
		findEntry: (id: string) => entry.get(id),
		upsertEntry: (row: Omit<KbEntryRow, 'created_at' | 'updated_at'> & { now: number }) =>
			void upsertEntry.run(row),
		deleteEntry: (id: string) => deleteEntry.run(id).changes === 1,
		serviceCodes: () => new Set(itemCodes.all().map((r) => r.code)),
		findConversation: (id: string) => conversation.get(id),
		conversationOfTicket: (ticketId: string) => conversationOfTicket.get(ticketId),
		insertConversation: (id: string, userId: string | null, now: number) =>
			void insertConversation.run(id, userId, now, now),
		claimConversation: (id: string, userId: string) => void claim.run(userId, id),
		setContext: (id: string, serviceItemId: string | null, now: number) =>
			void setContext.run(serviceItemId, now, id),
		setHandoff: (id: string, ticketId: string, userId: string, now: number) =>
			setHandoff.run(ticketId, now, userId, now, id).changes === 1,
		insertQuestion: (row: Omit<QuestionRow, 'id'>) => void insertQuestion.run(row),
		questionsOf: (conversationId: string) => questions.all(conversationId)
	};
});
