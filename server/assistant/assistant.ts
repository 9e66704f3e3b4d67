// The assistant's rules: answer from the live knowledge base, follow up on the conversation's
// item, say so when it does not know, log every question, and hand off to a person.
import type { Deps } from '../deps.ts';
import type { User } from '../../shared/schemas/auth.ts';
import { AppError } from '../http/errors.ts';
import { newId } from '../ids.ts';
import { requireVisibleTicket, takeTicket } from '../queue/queue.ts';
import type {
	AskInput,
	AskResult,
	AssistantAction,
	AssistantMatch,
	Conversation
} from '../../shared/schemas/assistant.ts';
import type { Ticket } from '../../shared/schemas/queue.ts';
import {
	CONFIDENCE_THRESHOLD,
	excerpt,
	normalizeText,
	serviceKbId,
	tokenize,
	type KbEntry,
	type Match
} from './retrieval/index.ts';
import { liveKb, type LiveKb } from './kb.ts';
import { aspectAnswer, asksOnlyAspect } from './aspects.ts';
import { classifyUnanswered } from './domain.ts';
import { englishAnswer, replyLang } from './english.ts';
import { createAssistantRepo, type ConversationRow, type KbItemRow } from './repo.ts';

/**
 * What a follow-up asks about an item without naming it ("需要什么材料？", "要交钱吗"): its
 * materials, fee, time limit, place, online channel or conditions.
 */
export const FOLLOW_UP_ASPECTS: readonly RegExp[] = [
	/材料|证件|证明|手续|带(什么|啥|哪些)|准备(什么|啥|哪些)/g,
	/收费|费用|多少钱|要钱|交钱|花钱|付钱|免费|钱吗|钱不/g,
	/多久|几天|多长时间|时限|什么时候|当场|当天/g,
	/在哪|哪里办|去哪|地址|哪个窗口/g,
	/网上|线上|视频|手机上|远程|不去现场|不用去/g,
	/条件|资格|谁能|谁可以|能不能办|可以办吗|流程|步骤|怎么申请/g
];

export function asksAboutAspect(question: string): boolean {
	const q = normalizeText(question);
	return FOLLOW_UP_ASPECTS.some((re) => q.search(re) >= 0);
}

/**
 * A follow-up about the item the knowledge base describes as `aboutItem`: the question asks
 * about an aspect, and everything else it says is something the item's texts say too (or a
 * word of doing, 办…). "我的快递在哪里" asks where, but 快递 is not about the item, so it is not
 * a follow-up; the retrieval scores alone cannot tell the two apart.
 */
export function isFollowUp(question: string, aboutItem: string): boolean {
	if (!asksAboutAspect(question)) return false;
	let residue = normalizeText(question);
	for (const re of FOLLOW_UP_ASPECTS) residue = residue.replace(re, ' ');
	return tokenize(residue).every((t) => t.includes('办') || aboutItem.includes(t));
}

/** Alternatives shown beside an answer must themselves be plausible. */
const ALTERNATIVE_FLOOR = CONFIDENCE_THRESHOLD * 0.5;

/**
 * Questions are kept for supervisors, so what a citizen may type into them (an ID number, a
 * phone or bank card number) is masked before it is stored: after NFKC (full-width digits from
 * Chinese input methods become ASCII), any run of 11 or more digits, spaces and dashes between
 * them allowed, keeps only its first 3 and last 2 digits.
 */
export function redactQuestion(text: string): string {
	return text.normalize('NFKC').replace(/\d(?:[\s-]?\d){10,}(?:[\s-]?[Xx])?/g, (run) => {
		const digits = run.replace(/[\s-]/g, '');
		return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 5)}${digits.slice(-2)}`;
	});
}

async function ownConversation(
	deps: Deps,
	user: User | null,
	id: string | undefined
): Promise<ConversationRow | null> {
	if (!id) return null;
	const repo = createAssistantRepo(deps.store);
	const row = await repo.findConversation(id);
	// a conversation belongs to whoever asked first; an anonymous one is claimed on sign-in
	if (!row || (row.user_id !== null && row.user_id !== user?.id))
		throw AppError.notFound('Conversation');
	return row;
}

function actionsFor(item: KbItemRow): AssistantAction[] {
	const id = item.id;
	const actions: AssistantAction[] = [
		{ kind: 'guide', serviceId: id, href: `/services/${id}` },
		{ kind: 'book', serviceId: id, href: `/services/${id}/book` }
	];
	if (item.channel_onsite)
		actions.push({ kind: 'ticket', serviceId: id, href: `/services/${id}#take-ticket` });
	if (item.channel_video)
		actions.push({ kind: 'video', serviceId: id, href: `/services/${id}#take-ticket` });
	return actions;
}

function itemOf(kb: LiveKb, entryId: string): KbItemRow | null {
	const code = kb.index.get(entryId)?.serviceCode;
	return (code && kb.items.get(code)) || null;
}

const clip = (text: string, max: number) => {
	const chars = Array.from(text);
	return chars.length <= max ? text : chars.slice(0, max - 1).join('') + '…';
};

/**
 * What to show of the answering entry. A general question about an item ("怎么办理营业执照")
 * gets the item's guide and materials; a question about one aspect gets the line about it.
 */
export function answerText(entry: KbEntry, question: string): string {
	// how long, how much, where, what to bring, who may apply: that field's line
	const line = aspectAnswer(entry, question);
	if (line) return line;
	if (
		entry.serviceCode &&
		entry.id === serviceKbId(entry.serviceCode) &&
		!asksAboutAspect(question)
	) {
		const lines = entry.body.split('\n');
		const materials = lines.find((l) => l.startsWith('所需材料'));
		return [clip(lines[0], 120), ...(materials ? [clip(materials, 120)] : [])].join('\n');
	}
	return excerpt(entry, question);
}

function itemById(kb: LiveKb, id: string): KbItemRow | null {
	for (const item of kb.items.values()) if (item.id === id) return item;
	return null;
}

function choose(
	kb: LiveKb,
	question: string,
	context: KbItemRow | null
): { best: Match | null; matches: Match[]; usedContext: boolean } {
	const matches = kb.index.search(question, { limit: 4 });
	const top = matches[0];
	const topAnswers = !!top && top.confidence >= CONFIDENCE_THRESHOLD;
	// a follow-up names the item's things, or asks only an aspect (那要带啥东西去)
	if (
		context &&
		(isFollowUp(question, kb.aboutItem.get(context.code) ?? '') ||
			(!topAnswers && asksOnlyAspect(question)))
	) {
		const local = kb.index.search(question, { limit: 4, serviceCode: context.code });
		// the item's own FAQ when one fits, else the item's guide (its excerpt picks the line)
		const faq = local.find((m) => m.confidence >= CONFIDENCE_THRESHOLD);
		const own = local.find((m) => m.id === serviceKbId(context.code));
		const lead = faq ?? own;
		if (lead) return { best: lead, matches: local, usedContext: true };
	}
	return { best: topAnswers ? top : null, matches, usedContext: false };
}

export async function ask(deps: Deps, user: User | null, input: AskInput): Promise<AskResult> {
	// before the transaction: liveKb may start a background build, never from inside one
	const kb = await liveKb(deps.store);
	const now = deps.now();
	return deps.store.transaction(async (tx) => {
		const repo = createAssistantRepo(tx);
		let conversation = await ownConversation({ ...deps, store: tx }, user, input.conversationId);
		if (!conversation) {
			const id = newId();
			await repo.insertConversation(id, user?.id ?? null, now);
			conversation = (await repo.findConversation(id))!;
		} else if (conversation.user_id === null && user) {
			// claimed by another asker meanwhile (PostgreSQL: no lock on the read above): the
			// owner check again, on the row as it is now (404 unless this user claimed it)
			if (!(await repo.claimConversation(conversation.id, user.id)))
				conversation = (await ownConversation({ ...deps, store: tx }, user, conversation.id))!;
		}
		const contextId = conversation.service_item_id ?? input.serviceId;
		const contextItem = contextId ? itemById(kb, contextId) : null;
		if (input.serviceId && !itemById(kb, input.serviceId))
			throw AppError.validation({ serviceId: 'no such service item' });
		const { best, matches, usedContext } = choose(kb, input.message, contextItem);
		// not answered: the hall's business missing from the knowledge base, or not its business
		const unanswered = best ? null : classifyUnanswered(input.message, matches[0]?.confidence ?? 0);
		const entry = best ? kb.index.get(best.id)! : null;
		const item = best ? itemOf(kb, best.id) : null;
		// an English question is answered from the entry's English, when it has some
		const english = entry ? englishAnswer(entry, input.message) : null;
		const toMatch = (m: Match): AssistantMatch => ({
			id: m.id,
			title: kb.index.get(m.id)?.title ?? m.id,
			score: Math.round(m.confidence * 1000) / 1000
		});

		await repo.insertQuestion({
			conversation_id: conversation.id,
			question: redactQuestion(input.message),
			entry_id: best?.id ?? null,
			service_item_id: item?.id ?? null,
			org_unit_id: item?.dept_org_unit_id ?? null,
			confidence: best?.confidence ?? matches[0]?.confidence ?? 0,
			answered: best ? 1 : 0,
			matches: JSON.stringify(matches.map((m) => ({ id: m.id, score: m.confidence }))),
			used_context: usedContext ? 1 : 0,
			created_at: now,
			unanswered
		});
		if (item && item.id !== conversation.service_item_id)
			await repo.setContext(conversation.id, item.id, now);

		return {
			conversationId: conversation.id,
			answer:
				best && entry
					? {
							entryId: entry.id,
							title: english?.title ?? entry.title,
							excerpt: english?.excerpt ?? answerText(entry, input.message),
							confidence: Math.round(best.confidence * 1000) / 1000,
							service: item ? { id: item.id, code: item.code, name: item.name } : null,
							usedContext
						}
					: null,
			alternatives: best
				? matches
						.filter((m) => m.id !== best.id && m.confidence >= ALTERNATIVE_FLOOR)
						.slice(0, 3)
						.map(toMatch)
				: [],
			matches: matches.map(toMatch),
			actions: item ? actionsFor(item) : [],
			handoff: !best,
			unanswered,
			lang: replyLang(input.message, entry)
		};
	});
}

/** One tap to a person: a video ticket for the item, with the conversation attached to it. */
export async function handOff(
	deps: Deps,
	citizen: User,
	conversationId: string,
	serviceId: string | undefined
): Promise<Ticket> {
	// before the transaction: liveKb may start a background build, never from inside one
	const kb = await liveKb(deps.store);
	return deps.store.transaction(async (tx) => {
		const txDeps = { ...deps, store: tx };
		const repo = createAssistantRepo(tx);
		const conversation = (await ownConversation(txDeps, citizen, conversationId))!;
		if (conversation.handoff_ticket_id)
			throw AppError.conflict(
				'already_handed_off',
				'This conversation is already with a person: see its ticket',
				{ ticketId: conversation.handoff_ticket_id }
			);
		const target = serviceId ?? conversation.service_item_id;
		if (!target)
			throw AppError.validation({ serviceId: 'choose the service to consult a person about' });
		const item = itemById(kb, target);
		if (!item) throw AppError.validation({ serviceId: 'no such service item' });
		if (!item.channel_video)
			throw AppError.validation({
				serviceId: 'this service is not offered by video; choose one that is'
			});
		const ticket = await takeTicket(txDeps, citizen, { serviceId: target, channel: 'video' });
		if (!(await repo.setHandoff(conversation.id, ticket.id, citizen.id, deps.now())))
			throw AppError.conflict('already_handed_off', 'This conversation is already with a person');
		return ticket;
	});
}

async function toConversation(deps: Deps, row: ConversationRow): Promise<Conversation> {
	const repo = createAssistantRepo(deps.store);
	const kb = await liveKb(deps.store);
	const item = row.service_item_id ? itemById(kb, row.service_item_id) : null;
	return {
		id: row.id,
		service: item ? { id: item.id, code: item.code, name: item.name } : null,
		handoffTicketId: row.handoff_ticket_id,
		turns: (await repo.questionsOf(row.id)).map((q) => {
			const entry = q.entry_id ? kb.index.get(q.entry_id) : undefined;
			return {
				question: q.question,
				answerTitle: entry ? (englishAnswer(entry, q.question)?.title ?? entry.title) : null,
				excerpt: entry
					? (englishAnswer(entry, q.question)?.excerpt ?? answerText(entry, q.question))
					: null,
				confidence: q.confidence,
				at: q.created_at
			};
		})
	};
}

export async function getConversation(
	deps: Deps,
	citizen: User,
	id: string
): Promise<Conversation> {
	const row = (await ownConversation(deps, citizen, id))!;
	if (row.user_id === null) throw AppError.notFound('Conversation');
	return toConversation(deps, row);
}

/** What the citizen asked before taking the ticket, for the staff member who serves it. */
export async function conversationOfTicket(
	deps: Deps,
	staff: User,
	ticketId: string
): Promise<Conversation> {
	await requireVisibleTicket(deps, staff, ticketId);
	const row = await createAssistantRepo(deps.store).conversationOfTicket(ticketId);
	if (!row) throw AppError.notFound('Conversation');
	return toConversation(deps, row);
}
