// The API answers a refused definition with its problems by path (`parts.1.waitsFor.itemId`);
// each control of the editor has the id its path gives, so that a problem shows beside the
// control it names and the summary above links to it.
export type Problems = Record<string, string>;

export const controlId = (path: string) => `le-${path.replaceAll('.', '-')}`;

/** The id and the ARIA a control gets from its path: invalid, described by its problem. */
export function control(problems: Problems, path: string) {
	const id = controlId(path);
	const bad = path in problems;
	return {
		id,
		'aria-invalid': bad ? ('true' as const) : undefined,
		'aria-describedby': bad ? `${id}-error` : undefined
	};
}
