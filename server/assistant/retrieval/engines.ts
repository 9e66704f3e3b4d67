// The engines `kb:eval -- --engine <name>` can compare. Kept apart from index.ts so the server
// never loads the alternatives (MiniSearch is a devDependency): the hall runs buildIndex (bm25).
// plain is the reference floor of issue 25 (plain-bm25.ts).
import type { KbEntry, KbIndex } from './types.ts';
import { buildIndex } from './index.ts';
import { buildMiniSearchIndex } from './minisearch-engine.ts';
import { buildPlainBm25Index } from './plain-bm25.ts';

export const ENGINES = {
	// what the hall runs: BM25, English questions asked by their topic words (english.ts)
	bm25: buildIndex,
	minisearch: buildMiniSearchIndex,
	plain: buildPlainBm25Index
} satisfies Record<string, (entries: readonly KbEntry[]) => KbIndex>;
export type EngineName = keyof typeof ENGINES;
export const DEFAULT_ENGINE: EngineName = 'bm25';
