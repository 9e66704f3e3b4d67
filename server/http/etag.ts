/**
 * Whether an If-None-Match header names this entity tag (RFC 9110 §13.1.2: a list of tags, or
 * `*`; compared weakly, so `W/"x"` matches `"x"`).
 */
export function tagMatches(ifNoneMatch: string | undefined, tag: string): boolean {
	if (!ifNoneMatch) return false;
	const bare = (t: string) => (t.startsWith('W/') ? t.slice(2) : t);
	const wanted = bare(tag);
	return ifNoneMatch.split(',').some((t) => {
		const candidate = t.trim();
		return candidate === '*' || bare(candidate) === wanted;
	});
}
