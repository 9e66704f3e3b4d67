// The engine's public types (re-exported by index.ts).

/** One knowledge-base entry: a standalone FAQ or a service item as text (service-entry.ts). */
export interface KbEntry {
	id: string;
	title: string;
	body: string;
	tags?: string[];
	/** the service item the entry is about (the item's own entry and its FAQs) */
	serviceCode?: string;
	/** the entry in English (a service item with an English name): English questions search it */
	en?: KbEnglish;
}

/** What an entry says in English (english.ts indexes it apart from the Chinese fields). */
export interface KbEnglish {
	/** e.g. "Individual Business Registration (business licence)" */
	title: string;
	/** the answer to an English question: the title and the key fields in English words */
	text: string;
	/** English keywords */
	tags?: string[];
}

/** What a question asks about an item (aspects.ts): its time limit, fee, place, materials,
 * who may apply, whether it can be done online. */
export type Aspect = 'time_limit' | 'fee' | 'place' | 'materials' | 'conditions' | 'online';

export interface Match {
	id: string;
	/** raw ranking score (comparable within one question only) */
	score: number;
	/** 0..1; below CONFIDENCE_THRESHOLD the assistant says it does not know */
	confidence: number;
	/** the aspect of the item the question asks, when this entry (the item's own) answers it */
	aspect?: Aspect;
}

export interface SearchOptions {
	/** default 5 */
	limit?: number;
	/** only entries with this serviceCode (the item's own entry and its FAQs) */
	serviceCode?: string;
}

export interface KbIndex {
	readonly size: number;
	search(question: string, opts?: SearchOptions): Match[];
	get(id: string): KbEntry | undefined;
}
