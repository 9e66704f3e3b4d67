// The life-event editor's working parts: what a new definition starts as, each item's form and
// materials as buildUnionForm needs them (read from the catalog and the item's form), and the
// union form computed from them, in the browser, as the API will at publishing.
import { callApi } from '$lib/api.ts';
import {
	buildUnionForm,
	UnionFormError,
	type PartSource,
	type UnionForm
} from '$shared/life-events/union-form.ts';
import type { LifeEventDefinition } from '$shared/schemas/life-events.ts';

/** A new life event: the admin names its items and writes its titles. */
export function blankDefinition(themeName: string): LifeEventDefinition {
	return {
		title: themeName.slice(0, 80),
		questionsTitle: '',
		sharedTitle: '',
		questions: [],
		parts: [],
		sharedFields: [],
		sharedMaterials: [],
		delivery: 'electronic'
	};
}

/** One item's form and materials, or null when it has no online form (it cannot be a part). */
export async function loadPartSource(
	fetch: typeof globalThis.fetch,
	itemId: string
): Promise<PartSource | null> {
	const [item, template] = await Promise.all([
		callApi(fetch, (api) => api.services[':id'].$get({ param: { id: itemId } })),
		callApi(fetch, (api) => api.services[':id']['form-template'].$get({ param: { id: itemId } }))
	]);
	if (!item.ok || !template.ok) return null;
	return {
		itemId,
		itemName: item.data.name,
		templateId: template.data.id,
		template: template.data.definition,
		materials: item.data.materials.map((m) => ({ name: m.name, required: m.required, key: m.key }))
	};
}

export type Preview =
	| { state: 'waiting' }
	| { state: 'built'; union: UnionForm }
	| { state: 'refused'; field: string; message: string };

/** The union form of the definition, once every item's form is at hand. */
export function preview(
	definition: LifeEventDefinition,
	sources: Record<string, PartSource | null | undefined>
): Preview {
	const parts: PartSource[] = [];
	for (const part of definition.parts) {
		const source = sources[part.itemId];
		if (!source) return { state: 'waiting' };
		parts.push(source);
	}
	if (definition.parts.length < 2) return { state: 'waiting' };
	try {
		return { state: 'built', union: buildUnionForm(definition, parts) };
	} catch (err) {
		if (err instanceof UnionFormError)
			return { state: 'refused', field: err.field, message: err.message };
		throw err;
	}
}

/** The fields of an item's form, for the pickers (fill, shared fields). */
export function fieldsOf(source: PartSource | null | undefined) {
	return source?.template.sections.flatMap((s) => s.fields) ?? [];
}
