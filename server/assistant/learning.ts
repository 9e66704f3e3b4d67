// The assistant learns from what it could not answer (issue 25 item 3). Every question it did
// not answer, and every one asked in a conversation handed to a person, waits in a queue for
// admins and supervisors, grouped by its words. Staff link a group to an existing entry (the
// question becomes a paraphrase of the entry, indexed with it: the next citizen asking it so
// gets the answer, in every process, once the index is rebuilt), write a new FAQ from it, or
// mark it off topic (kept out of the knowledge-base gaps).
import type { Deps } from '../deps.ts';
import { AppError } from '../http/errors.ts';
import { newId } from '../ids.ts';
import { toIso } from '../time.ts';
import type { User } from '../../shared/schemas/auth.ts';
import type { KbEntryInput } from '../../shared/schemas/assistant.ts';
import type { LearningGroup, LearningView } from '../../shared/schemas/learning.ts';
import { normaliseQuestion } from '../../shared/question-key.ts';
import { recordAudit } from '../audit/audit.ts';
import { liveKb, rebuildKbSoon } from './kb.ts';
import { listFaqs, writeFaqEntry } from './faqs.ts';
import { serviceKbId } from './retrieval/index.ts';
import { createAssistantRepo, type QueueRow } from './repo.ts';

/** How far back the queue looks, and how many questions it reads at most. */
const QUEUE_DAYS = 90;
const QUEUE_ROWS = 5000;

async function pendingRows(deps: Deps): Promise<QueueRow[]> {
	return createAssistantRepo(deps.store).queue(
		deps.now() - QUEUE_DAYS * 24 * 3600 * 1000,
		QUEUE_ROWS
	);
}

/** The pending questions asked with the same words as this one (the group staff act on). */
function sameWords(rows: QueueRow[], question: string): number[] {
	const key = normaliseQuestion(question);
	return rows.filter((r) => normaliseQuestion(r.question) === key).map((r) => r.id);
}

export async function learningQueue(deps: Deps, view: LearningView): Promise<LearningGroup[]> {
	const kb = await liveKb(deps.store);
	// asked again with linked words before every process had rebuilt its index: dealt with
	const learned = new Set(
		(await createAssistantRepo(deps.store).paraphrases()).map((p) => normaliseQuestion(p.text))
	);
	const groups = new Map<string, QueueRow[]>();
	for (const row of await pendingRows(deps)) {
		const offTopic = row.unanswered === 'off_topic';
		if ((view === 'off_topic') !== offTopic) continue;
		const key = normaliseQuestion(row.question);
		if (!key || learned.has(key)) continue;
		groups.set(key, [...(groups.get(key) ?? []), row]);
	}
	return [...groups.values()]
		.map((rows) => {
			const latest = rows[0];
			const suggestions = (JSON.parse(latest.matches) as { id: string; score: number }[])
				.filter((m) => kb.index.get(m.id))
				.slice(0, 3)
				.map((m) => ({
					entryId: m.id,
					title: kb.index.get(m.id)!.title,
					score: Math.round(m.score * 1000) / 1000
				}));
			return {
				questionId: latest.id,
				question: latest.question,
				count: rows.length,
				lastAskedAt: toIso(latest.created_at, deps.config.timeZone),
				handedOff: rows.some((r) => r.handed_off === 1),
				answered: rows.some((r) => r.answered === 1),
				suggestions
			};
		})
		.sort(
			(a, b) =>
				b.count - a.count ||
				(a.lastAskedAt < b.lastAskedAt ? 1 : a.lastAskedAt > b.lastAskedAt ? -1 : 0)
		);
}

async function pendingQuestion(deps: Deps, id: number) {
	const row = await createAssistantRepo(deps.store).findQuestion(id);
	if (!row) throw AppError.notFound('Question');
	if (row.review)
		throw AppError.conflict('already_reviewed', 'Someone has already dealt with this question');
	return row;
}

/** The question as a paraphrase: its words as asked (already masked), without trailing marks. */
const paraphraseOf = (question: string) => normaliseQuestion(question).slice(0, 200);

/**
 * The question's words become a paraphrase of the entry (indexed with it), and every pending
 * question asked with the same words is marked done; in the caller's transaction. How many.
 */
async function learnFrom(
	deps: Deps,
	staff: User,
	question: string,
	entryId: string,
	review: 'linked' | 'faq'
): Promise<number> {
	const repo = createAssistantRepo(deps.store);
	await repo.insertParaphrase({
		id: newId(),
		entry_id: entryId,
		text: paraphraseOf(question),
		created_by: staff.id,
		created_at: deps.now()
	});
	const ids = sameWords(await pendingRows(deps), question);
	const n = await repo.markReviewed(ids, review, entryId, staff.id, deps.now());
	await recordAudit(deps, {
		action: review === 'linked' ? 'kb.question_linked' : 'kb.faq_from_question',
		target: { type: 'kb_entry', id: entryId },
		detail: { questions: n }
	});
	return n;
}

/**
 * Links the question (and every pending one asked with the same words) to an entry: the words
 * become a paraphrase of the entry, indexed with it.
 */
export async function linkQuestion(
	deps: Deps,
	staff: User,
	questionId: number,
	entryId: string
): Promise<{ entryId: string; linked: number }> {
	const kb = await liveKb(deps.store);
	if (!kb.index.get(entryId))
		throw AppError.validation({ entryId: 'no such knowledge-base entry' });
	const linked = await deps.store.transaction(async (tx) => {
		const txDeps = { ...deps, store: tx };
		const row = await pendingQuestion(txDeps, questionId);
		return learnFrom(txDeps, staff, row.question, entryId, 'linked');
	});
	// outside the transaction: every process rebuilds when it sees the version moved
	void rebuildKbSoon(deps.store);
	return { entryId, linked };
}

/** Writes a new FAQ from the question; the question (and its same-worded ones) are its paraphrases. */
export async function faqFromQuestion(
	deps: Deps,
	staff: User,
	questionId: number,
	input: KbEntryInput
): Promise<{ entryId: string; linked: number }> {
	const entryId = `learned-${newId()}`;
	const linked = await deps.store.transaction(async (tx) => {
		const txDeps = { ...deps, store: tx };
		const repo = createAssistantRepo(tx);
		const row = await pendingQuestion(txDeps, questionId);
		const serviceCode = input.serviceCode ?? null;
		if (serviceCode && !(await repo.serviceCodes()).has(serviceCode))
			throw AppError.validation({ serviceCode: 'no service item has this code' });
		await writeFaqEntry(txDeps, staff.id, { id: entryId, ...input, serviceCode });
		return learnFrom(txDeps, staff, row.question, entryId, 'faq');
	});
	void rebuildKbSoon(deps.store);
	return { entryId, linked };
}

/** Marks the question (and its same-worded ones) off topic: not a knowledge-base gap. */
export async function markOffTopic(
	deps: Deps,
	staff: User,
	questionId: number
): Promise<{ marked: number }> {
	return deps.store.transaction(async (tx) => {
		const txDeps = { ...deps, store: tx };
		const row = await pendingQuestion(txDeps, questionId);
		const ids = sameWords(await pendingRows(txDeps), row.question);
		const marked = await createAssistantRepo(tx).markReviewed(
			ids,
			'off_topic',
			null,
			staff.id,
			deps.now()
		);
		await recordAudit(txDeps, {
			action: 'kb.question_off_topic',
			target: { type: 'assistant_question', id: String(questionId) },
			detail: { questions: marked }
		});
		return { marked };
	});
}

/** Every entry a question may be linked to: the items' own entries, then the FAQs. */
export async function linkableEntries(deps: Deps): Promise<{ id: string; title: string }[]> {
	const kb = await liveKb(deps.store);
	const items = [...kb.items.values()]
		.map((item) => kb.index.get(serviceKbId(item.code)))
		.filter((e) => !!e)
		.map((e) => ({ id: e.id, title: e.title }));
	const faqs = (await listFaqs(deps)).map((e) => ({ id: e.id, title: e.title }));
	return [...items, ...faqs];
}
