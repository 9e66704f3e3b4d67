// Questions asked in English (issue 25 item 4). The engine's analyser is built for Chinese: it
// keeps Latin words as they are, so "How long does a business license take?" would search for
// how, long, does, take and license, and the confidence would count the asking words as a
// topic the knowledge base lacks. Here an English question becomes its topic words in one
// spelling (licence, not license; register, not registration; no plural), and an item's English
// name, keywords and key fields (an entry's `en`, service-entry.ts) are indexed in the same
// spelling, in an index of their own, so both sides meet without touching the Chinese analysis
// or the Chinese index. The asking words (how long, how much,
// where, what to bring) are dropped like the Chinese ones: an English answer gives all the key
// fields at once.
import { buildBm25Index } from './bm25.ts';
import type { KbEnglish, KbEntry, KbIndex, Match, SearchOptions } from './types.ts';

/** Words that ask, or carry no topic: dropped from an English question. */
const STOP_WORDS: ReadonlySet<string> = new Set(
	// function words
	(
		'a an the and or but if of to in on at by for from with about into as than then so this that ' +
		'these those it its there here is are was were be been being am do does did done doing ' +
		'have has had having can could shall should will would may might must i me my mine we us ' +
		'our you your he she they them their his her one ones any some all no not only also just ' +
		'very too more most much many please thanks thank hi hello dear sir madam ok okay ' +
		// asking
		'how what which where when who whom whose why whether tell know want wanna like would ' +
		'need needed needs get got getting take takes taking long soon quickly fast time times ' +
		'day days week weeks month months working cost costs price fee fees charge charged pay ' +
		'paid free money much bring bringing document documents material materials paper papers ' +
		'prepare required require requirement requirements office offices place where go going ' +
		'issue issues issued handle handles handled deal done way ways step steps process ' +
		'procedure procedures apply applying application applications online somewhere anywhere ' +
		'possible allowed able make makes making let lets see find out up use using'
	).split(' ')
);

/** One spelling for each word an English question and an English name may use. */
const SPELLINGS: Record<string, string> = {
	license: 'licence',
	licensed: 'licence',
	licensing: 'licence',
	permit: 'licence',
	registration: 'register',
	registering: 'register',
	registered: 'register',
	enrol: 'register',
	enroll: 'register',
	enrolment: 'register',
	enrollment: 'register',
	signup: 'register',
	join: 'register',
	withdrawal: 'withdraw',
	withdrawing: 'withdraw',
	renting: 'rent',
	rental: 'rent',
	rented: 'rent',
	filing: 'file',
	retailer: 'retail',
	selling: 'sell',
	elderly: 'senior',
	opening: 'open',
	freelancer: 'freelance',
	freelancing: 'freelance'
};

/** Plural and possessive endings: licences → licence, residents' → resident, policies → policy. */
function singular(word: string): string {
	if (word.length <= 3 || /(ss|us|is)$/.test(word)) return word;
	if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
	if (/(ches|shes|xes|sses)$/.test(word)) return word.slice(0, -2);
	if (word.endsWith('s')) return word.slice(0, -1);
	return word;
}

/** A Latin word in its one spelling (lower case). */
export function englishWord(word: string): string {
	const w = word.toLowerCase().replace(/'s$|'$/, '');
	const direct = SPELLINGS[w];
	if (direct) return direct;
	const one = singular(w);
	return SPELLINGS[one] ?? one;
}

const LATIN = /\p{Script=Latin}/gu;
const HAN = /\p{Script=Han}/gu;

/** A question mostly of Latin letters (at least three, and three times its Chinese characters). */
export function isEnglish(text: string): boolean {
	const latin = text.match(LATIN)?.length ?? 0;
	const han = text.match(HAN)?.length ?? 0;
	return latin >= 3 && latin >= 3 * han;
}

/** The topic words of English text, in their one spelling, in order, each once. */
export function englishTerms(text: string): string[] {
	return [...new Set(englishWords(text))];
}

/** The topic words of English text, in their one spelling, in order (repeats kept). */
export function englishWords(text: string): string[] {
	const words = (
		text
			.normalize('NFKC')
			.toLowerCase()
			.match(/[a-z]+(?:'[a-z]*)?/g) ?? []
	)
		.join(' ')
		// "sign up" and "sign-up" are one word here (register)
		.replace(/\bsign(?:ing)? up\b/g, 'signup')
		.split(' ')
		.filter(Boolean);
	const out: string[] = [];
	for (const raw of words) {
		if (STOP_WORDS.has(raw.replace(/'.*$/, ''))) continue;
		const w = englishWord(raw);
		if (w.length >= 2 && !STOP_WORDS.has(w)) out.push(w);
	}
	return out;
}

/** What an English question is searched by: its topic words in their one spelling. */
export function searchText(question: string): string {
	return englishTerms(question).join(' ');
}

/**
 * The English side of the entries that have one: title, keywords and text as their topic words
 * in one spelling, for an index of their own. Kept apart from the Chinese index so the English
 * words change nothing there (field lengths, document counts).
 */
function englishEntries(entries: readonly KbEntry[]): KbEntry[] {
	return entries.flatMap((e) =>
		e.en
			? [
					{
						id: e.id,
						title: englishWords(e.en.title).join(' '),
						body: englishWords(e.en.text).join(' '),
						...(e.en.tags?.length ? { tags: [englishWords(e.en.tags.join(' ')).join(' ')] } : {}),
						...(e.serviceCode ? { serviceCode: e.serviceCode } : {})
					}
				]
			: []
	);
}

/**
 * The names of an entry in English, as topic words: its title and the part of it in brackets
 * ("business licence" of "Individual Business Registration (business licence)"). Not the
 * keywords: the catalog keeps them as single words.
 */
function englishNames(en: KbEnglish): string[][] {
	const bracketed = [...en.title.matchAll(/\(([^)]*)\)/g)].map((m) => m[1]);
	return [en.title, ...bracketed].map((name) => englishTerms(name)).filter((words) => words.length);
}

/** The largest share of one of the entry's English names the question says. */
function nameCoverage(names: readonly string[][], question: ReadonlySet<string>): number {
	let best = 0;
	for (const words of names)
		best = Math.max(best, words.filter((w) => question.has(w)).length / words.length);
	return best;
}

/**
 * The index of `entries` as one: a question in English searches the entries' English side by
 * its topic words (searchText), any other the Chinese index. An entry without English is not
 * found by an English question; the assistant says so in English (and offers a person).
 *
 * Among English matches equally sure, the one the question names more fully comes first:
 * "business licence" names all of 个体工商户设立登记's "business licence" but only part of
 * "Food Business Licence", which the length of the names alone would put first.
 */
export function withEnglishQuestions(index: KbIndex, entries: readonly KbEntry[]): KbIndex {
	const english = buildBm25Index(englishEntries(entries));
	const names = new Map(entries.flatMap((e) => (e.en ? [[e.id, englishNames(e.en)]] : [])));
	const searchEnglish = (question: string, opts?: SearchOptions): Match[] => {
		const words = searchText(question);
		const asked = new Set(words.split(' '));
		const limit = opts?.limit ?? 5;
		return english
			.search(words, { ...opts, limit: english.size })
			.map((m) => ({ m, named: nameCoverage(names.get(m.id) ?? [], asked) }))
			.sort((a, b) => b.m.confidence - a.m.confidence || b.named - a.named || b.m.score - a.m.score)
			.slice(0, limit)
			.map(({ m }) => m);
	};
	return {
		get size() {
			return index.size;
		},
		search: (question, opts) =>
			isEnglish(question) ? searchEnglish(question, opts) : index.search(question, opts),
		get: (id) => index.get(id)
	};
}
