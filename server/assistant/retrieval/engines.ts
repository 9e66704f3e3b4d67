// The engines `kb:eval -- --engine <name>` can compare. Kept apart from index.ts so the server
// never loads the library alternative (a devDependency): the hall runs buildIndex (bm25).
import type { KbEntry, KbIndex } from './types.ts';
import { buildBm25Index } from './bm25.ts';
import { buildMiniSearchIndex } from './minisearch-engine.ts';

export const ENGINES = {
	bm25: buildBm25Index,
	minisearch: buildMiniSearchIndex
} satisfies Record<string, (entries: readonly KbEntry[]) => KbIndex>;
export type EngineName = keyof typeof ENGINES;
export const DEFAULT_ENGINE: EngineName = 'bm25';
