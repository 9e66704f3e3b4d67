// Answer the question asked (issue 25 item 2). A question about one aspect of an item (how long,
// how much, where, what to bring, who can apply, online) is answered from that field of the
// item's own entry, even when one of the item's FAQs shares more words with it: 办营业执照要多久
// is about the licence's 办理时限, not about the FAQ on a rented shop that says 营业执照 too.
// An FAQ keeps the answer when its title is about the same aspect (提取的公积金…多久到账？ for
// 公积金多久到账) or when it belongs to no item (在云上大厅办事收费吗？).
import { normalizeColloquialQuestion } from '../../../shared/lexicon.ts';
import { analyzeNormalized, normalizeText } from './analyze.ts';
import { topicText } from './query.ts';
import { serviceKbId } from './service-entry.ts';
import type { Aspect, KbEntry, KbIndex, Match, SearchOptions } from './types.ts';

/**
 * How a question asks for each aspect, in the order they are tried: the more specific first
 * (能在家视频办吗 asks whether it can be done online before whether one may apply).
 */
export const ASPECT_PATTERNS: readonly { aspect: Aspect; pattern: RegExp }[] = [
	{
		aspect: 'online',
		pattern: /网上|线上|视频|手机上|用手机|远程|在家|不去现场|不用去|不出门|不跑/
	},
	{
		aspect: 'time_limit',
		pattern: /多久|几天|多长时间|多少天|几个工作日|什么时候能|时限|多快|当场|当天|能拿到|下来/
	},
	{
		aspect: 'materials',
		pattern:
			/材料|证件|资料|(带|拿|准备|提供|交)(点|上)?(什么|哪些)(东西)?|(什么|哪些)东西|(拿|用)\S{1,6}(能|可以)办/
	},
	{
		aspect: 'place',
		pattern:
			/在哪|哪里办|去哪|到哪|哪儿办|地址|窗口|(哪个|什么|哪)(部门|局|单位)|找谁|找哪|归哪|谁管/
	},
	{
		// 能办老年证吗, 也要办食品经营许可吗: whether one may (or must) apply
		aspect: 'conditions',
		pattern:
			/条件|资格|谁能|谁可以|什么人|什么样的人|哪些人|能不能办|够不够|符合|能参加|(能|可以)办\S{0,8}(吗|不)$|(要|需要|得)办\S{0,10}吗$/
	},
	{
		aspect: 'fee',
		pattern: /多少钱|收费|收钱|要钱|交钱|花钱|掏钱|费用|免费|钱吗|钱不|付钱|给钱|几块|花多少/
	}
];

/** The aspect a question asks about, if any (after the colloquial lexicon: 啥 → 什么). */
export function askedAspect(question: string): Aspect | undefined {
	const q = normalizeText(normalizeColloquialQuestion(question));
	return ASPECT_PATTERNS.find((a) => a.pattern.test(q))?.aspect;
}

/** The normalised question with what its aspect patterns match blanked out (same length). */
export function blankAspects(normalized: string): string {
	let out = normalized;
	for (const { pattern } of ASPECT_PATTERNS)
		out = out.replace(new RegExp(pattern.source, 'g'), (m) => ' '.repeat(m.length));
	return out;
}

/** The labels of the lines of an item's entry (service-entry.ts) that state each aspect. */
const LINE_LABELS: Record<Exclude<Aspect, 'conditions'>, string> = {
	time_limit: '办理时限',
	fee: '收费',
	place: '办理部门',
	materials: '所需材料',
	online: '办理方式'
};

/**
 * The part of an item's entry that answers the aspect: 办理时限：1个工作日。, 收费：免费。, the
 * department (with the channels for `place`), the materials, the channels, or for `conditions`
 * the guide (its first line says who may apply). Undefined when the entry does not state it
 * (我要开餐馆 lists no materials).
 */
export function aspectLine(entry: KbEntry, aspect: Aspect): string | undefined {
	const lines = entry.body.split('\n');
	const labelled = (label: string) => {
		for (const line of lines)
			for (const part of line.split(/(?<=。)/))
				if (part.startsWith(`${label}：`)) return part.trim();
		return undefined;
	};
	if (aspect === 'conditions') {
		const guide = lines[0]?.trim();
		return guide && !Object.values(LINE_LABELS).some((l) => guide.startsWith(`${l}：`))
			? guide
			: undefined;
	}
	if (aspect === 'place') {
		const dept = labelled(LINE_LABELS.place);
		const channels = labelled(LINE_LABELS.online);
		return dept && channels ? `${dept}${channels}` : dept;
	}
	return labelled(LINE_LABELS[aspect]);
}

/** Topic words and bigrams of a text: its asking phrases blanked, none with 办 (a doing word). */
function topicTerms(text: string): Set<string> {
	const a = analyzeNormalized(topicText(normalizeText(normalizeColloquialQuestion(text))));
	// a bigram across two words is no word of the text (业参 of 就业|参保)
	const inWords = a.bigrams.filter((b) => !a.joins.has(b));
	return new Set([...a.words, ...inWords].filter((t) => !t.includes('办')));
}

/**
 * Whether the question names something an FAQ's title says beyond its item's name and keywords
 * (门面 and 租 of 租的门面房，没有房产证，能办营业执照吗？ in 门面是租的，营业执照能办不; 到账 of
 * 提取的公积金打到哪里？多久到账？): then the FAQ is about the question's own case and answers it
 * better than the item's field.
 */
function faqFitsQuestion(faq: KbEntry, own: KbEntry, question: string): boolean {
	const item = topicTerms([own.title, ...(own.tags ?? [])].join(' '));
	const asked = topicTerms(question);
	for (const t of topicTerms(faq.title)) if (!item.has(t) && asked.has(t)) return true;
	return false;
}

const POOL = 10;
/** How far behind an FAQ of no item the item asked about may rank (办执照要几天能下来). */
const NEAR = 1;

/**
 * The index with aspect routing: a question asking an aspect, whose best entry is one of an
 * item's FAQs not about that aspect, is answered by the item's own entry (first, with `aspect`);
 * its confidence is the better of the two, as the FAQ's words were the item's words. A best
 * entry that is the item's own gets `aspect` too.
 */
export function withAspects(index: KbIndex): KbIndex {
	return {
		get size() {
			return index.size;
		},
		get: (id) => index.get(id),
		search(question: string, opts: SearchOptions = {}): Match[] {
			const limit = Math.max(1, opts.limit ?? 5);
			const aspect = askedAspect(question);
			if (!aspect) return index.search(question, opts);
			const matches = index.search(question, { ...opts, limit: Math.max(limit, POOL) });
			const top = matches[0];
			const entry = top && index.get(top.id);
			if (!top || !entry) return matches;
			// the item asked about: the best entry's, else an item close behind an FAQ of none
			const code =
				entry.serviceCode ??
				matches
					.slice(1, NEAR)
					.map((m) => index.get(m.id))
					.find((e) => e?.serviceCode !== undefined && e.id === serviceKbId(e.serviceCode))
					?.serviceCode;
			if (code === undefined) return matches.slice(0, limit);
			const ownId = serviceKbId(code);
			const own = index.get(ownId);
			if (!own || aspectLine(own, aspect) === undefined) return matches.slice(0, limit);
			if (top.id === ownId) return [{ ...top, aspect }, ...matches.slice(1, limit)];
			if (faqFitsQuestion(entry, own, question)) return matches.slice(0, limit);
			const ownMatch = matches.find((m) => m.id === ownId) ??
				index.search(question, { limit: POOL, serviceCode: code }).find((m) => m.id === ownId) ?? {
					id: ownId,
					score: top.score,
					confidence: 0
				};
			return [
				{ ...ownMatch, confidence: Math.max(ownMatch.confidence, top.confidence), aspect },
				...matches.filter((m) => m.id !== ownId)
			].slice(0, limit);
		}
	};
}
