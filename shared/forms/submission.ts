// What a case needs before it may be submitted, besides its form: every required material
// handed in, or owed on a promise an agent recorded (容缺受理). Shared so the page lists the
// same blockers the server refuses with.

export interface MaterialNeed {
	name: string;
	required: boolean;
}

/** The error key of a material in a 400's `fields` ("materials.<name>"), beside field keys. */
export const materialErrorKey = (name: string) => `materials.${name}`;

/** Required materials with no document and no promise to hand them in later. */
export function missingMaterials(
	materials: readonly MaterialNeed[],
	documents: readonly { material: string }[],
	owed: readonly { material: string }[]
): string[] {
	return materials
		.filter(
			(m) =>
				m.required &&
				!documents.some((d) => d.material === m.name) &&
				!owed.some((o) => o.material === m.name)
		)
		.map((m) => m.name);
}
