// 一件事一次办: one form for a life event, built from its items' forms. A field several items
// share (by the admin's mapping, or by the same key and kind) is asked once; the questions come
// first and decide which items apply, and an item's own fields show only when it applies.
// Shared by the server (publishing, splitting) and the pages (which items the answers select).
import type { FieldDefinition, FieldValue, TemplateDefinition } from '../forms/template.ts';
import type { LifeEventDefinition, PartMapping, UnionMaterial } from '../schemas/life-events.ts';

export interface PartSource {
	itemId: string;
	itemName: string;
	templateId: string;
	template: TemplateDefinition;
	materials: { name: string; required: boolean; key: boolean }[];
}

export interface UnionForm {
	template: TemplateDefinition;
	parts: PartMapping[];
	materials: UnionMaterial[];
}

/** A definition that cannot be built, with the path of what is wrong (a 400's field). */
export class UnionFormError extends Error {
	readonly field: string;
	constructor(field: string, message: string) {
		super(message);
		this.field = field;
	}
}

type Condition = LifeEventDefinition['parts'][number]['when'];

/** Whether a part applies, given the answers so far. */
export function partApplies(
	part: { when?: Condition },
	values: Record<string, FieldValue | undefined>
): boolean {
	if (!part.when) return true;
	return part.when.in.includes(String(values[part.when.question] ?? ''));
}

/** The item ids that apply, in the definition's order. */
export function selectedItems(
	definition: LifeEventDefinition,
	values: Record<string, FieldValue | undefined>
): string[] {
	return definition.parts.filter((p) => partApplies(p, values)).map((p) => p.itemId);
}

/**
 * The visibility a field used by these parts gets: none if any of them always applies, else the
 * one question they all hang on (with every answer that selects one of them). Parts selected
 * by different questions cannot share a field: a form condition names one field.
 */
function sharedCondition(
	parts: LifeEventDefinition['parts'],
	fieldKey: string
): FieldDefinition['visibleIf'] {
	if (parts.some((p) => !p.when)) return undefined;
	const questions = new Set(parts.map((p) => p.when!.question));
	if (questions.size > 1)
		throw new UnionFormError(
			'sharedFields',
			`${fieldKey} is shared by items selected by different questions; share it with an item that always applies, or do not share it`
		);
	return {
		field: parts[0].when!.question,
		in: [...new Set(parts.flatMap((p) => p.when!.in))]
	};
}

export function buildUnionForm(definition: LifeEventDefinition, sources: PartSource[]): UnionForm {
	const sourceOf = new Map(sources.map((s) => [s.itemId, s]));
	const partOf = new Map(definition.parts.map((p) => [p.itemId, p]));
	const fieldOf = (itemId: string, key: string) =>
		sourceOf
			.get(itemId)
			?.template.sections.flatMap((s) => s.fields)
			.find((f) => f.key === key);

	// the fields filled from an earlier part's result are not asked
	const filled = new Set(
		definition.parts.flatMap((p) =>
			p.waitsFor?.fill ? [`${p.itemId}\u0000${p.waitsFor.fill}`] : []
		)
	);
	// item field → application key: first the admin's mapping, then same key and kind
	const target = new Map<string, string>();
	const parentKeys = new Map<string, { itemId: string; key: string }[]>();
	const claim = (parentKey: string, itemId: string, key: string) => {
		target.set(`${itemId}\u0000${key}`, parentKey);
		parentKeys.set(parentKey, [...(parentKeys.get(parentKey) ?? []), { itemId, key }]);
	};
	definition.sharedFields.forEach((shared, i) => {
		let kind: string | undefined;
		for (const [j, s] of shared.sources.entries()) {
			const field = fieldOf(s.itemId, s.key);
			if (!partOf.has(s.itemId) || !field)
				throw new UnionFormError(
					`sharedFields.${i}.sources.${j}`,
					`${s.itemId} has no field ${s.key} in this life event`
				);
			if (kind && field.kind !== kind)
				throw new UnionFormError(
					`sharedFields.${i}.sources.${j}`,
					`${s.key} is a ${field.kind} field, the others are ${kind}`
				);
			kind = field.kind;
			if (target.has(`${s.itemId}\u0000${s.key}`))
				throw new UnionFormError(`sharedFields.${i}`, `${s.key} is mapped twice`);
			claim(shared.key, s.itemId, s.key);
		}
	});
	const byKeyKind = new Map<string, { itemId: string; key: string }[]>();
	for (const part of definition.parts)
		for (const field of sourceOf.get(part.itemId)!.template.sections.flatMap((s) => s.fields)) {
			const id = `${part.itemId}\u0000${field.key}`;
			if (target.has(id) || filled.has(id)) continue;
			const group = `${field.key}\u0000${field.kind}`;
			byKeyKind.set(group, [
				...(byKeyKind.get(group) ?? []),
				{ itemId: part.itemId, key: field.key }
			]);
		}
	// shared automatically: the same key and kind in several items; a key used by one item keeps
	// its name unless another item (or the admin's mapping) uses it, then it gets the item's prefix
	const usedKeys = new Set([...parentKeys.keys(), ...definition.questions.map((q) => q.key)]);
	const groups = [...byKeyKind.values()];
	const keyCount = new Map<string, number>();
	for (const g of groups) keyCount.set(g[0].key, (keyCount.get(g[0].key) ?? 0) + 1);
	for (const g of groups) {
		const plain = g[0].key;
		const unique = keyCount.get(plain) === 1 && !usedKeys.has(plain);
		if (unique) {
			for (const s of g) claim(plain, s.itemId, s.key);
			usedKeys.add(plain);
			continue;
		}
		for (const s of g) {
			const n = definition.parts.findIndex((p) => p.itemId === s.itemId) + 1;
			const prefixed = `p${n}_${s.key}`.slice(0, 40);
			claim(prefixed, s.itemId, s.key);
			usedKeys.add(prefixed);
		}
	}

	// the form: questions, then the fields asked once for several items, then each item's own
	const sections: TemplateDefinition['sections'] = [];
	if (definition.questions.length)
		sections.push({
			id: 'lifeEvent',
			title: definition.questionsTitle,
			fields: definition.questions.map((q) => ({
				key: q.key,
				kind: 'radio' as const,
				label: q.label,
				guide: q.guide,
				example: '',
				required: true,
				options: q.options,
				rules: {},
				sensitive: false
			}))
		});
	const shared: FieldDefinition[] = [];
	const own = new Map<string, FieldDefinition[]>();
	const emitted = new Set<string>();
	const rename = (itemId: string, field: FieldDefinition): FieldDefinition['visibleIf'] =>
		field.visibleIf && {
			field: target.get(`${itemId}\u0000${field.visibleIf.field}`) ?? field.visibleIf.field,
			in: field.visibleIf.in
		};
	for (const part of definition.parts)
		for (const section of sourceOf.get(part.itemId)!.template.sections)
			for (const field of section.fields) {
				const parentKey = target.get(`${part.itemId}\u0000${field.key}`);
				if (!parentKey || emitted.has(parentKey)) continue;
				emitted.add(parentKey);
				const users = parentKeys.get(parentKey)!;
				const fields = users.map((u) => fieldOf(u.itemId, u.key)!);
				const ownCondition = rename(part.itemId, field);
				const partCondition = sharedCondition(
					users.map((u) => partOf.get(u.itemId)!),
					parentKey
				);
				if (ownCondition && partCondition)
					throw new UnionFormError(
						'parts',
						`${field.key} of ${sourceOf.get(part.itemId)!.itemName} has its own condition and its item is selected by a question`
					);
				const asked: FieldDefinition = {
					...field,
					key: parentKey,
					required: fields.some((f) => f.required),
					sensitive: fields.some((f) => f.sensitive),
					visibleIf: ownCondition ?? partCondition
				};
				if (users.length > 1) shared.push(asked);
				else
					own.set(`${part.itemId}\u0000${section.id}`, [
						...(own.get(`${part.itemId}\u0000${section.id}`) ?? []),
						asked
					]);
			}
	if (shared.length) sections.push({ id: 'shared', title: definition.sharedTitle, fields: shared });
	definition.parts.forEach((part, n) => {
		const source = sourceOf.get(part.itemId)!;
		for (const section of source.template.sections) {
			const fields = own.get(`${part.itemId}\u0000${section.id}`);
			if (fields?.length)
				sections.push({
					id: `p${n + 1}_${section.id}`.slice(0, 60),
					title: `${source.itemName} · ${section.title}`,
					fields
				});
		}
	});

	// materials: the admin's mapping, then same-named ones, each handed in once
	const materialTarget = new Map<string, string | null>();
	definition.sharedMaterials.forEach((m, i) =>
		m.sources.forEach((s, j) => {
			if (!sourceOf.get(s.itemId)?.materials.some((x) => x.name === s.name))
				throw new UnionFormError(
					`sharedMaterials.${i}.sources.${j}`,
					`${s.itemId} has no material ${s.name} in this life event`
				);
			materialTarget.set(`${s.itemId}\u0000${s.name}`, m.name);
		})
	);
	// neither asked: the earlier part's result, and the 申请书 the application form stands for
	for (const part of definition.parts)
		for (const name of [part.waitsFor?.material, part.formMaterial])
			if (name) materialTarget.set(`${part.itemId}\u0000${name}`, null);
	const materials: UnionMaterial[] = [];
	for (const part of definition.parts)
		for (const m of sourceOf.get(part.itemId)!.materials) {
			const id = `${part.itemId}\u0000${m.name}`;
			if (!materialTarget.has(id)) materialTarget.set(id, m.name);
			const name = materialTarget.get(id);
			if (name === null || name === undefined) continue;
			const union = materials.find((u) => u.name === name);
			const source = {
				itemId: part.itemId,
				name: m.name,
				required: m.required,
				key: m.key
			};
			if (union) union.sources.push(source);
			else materials.push({ name, sources: [source] });
		}

	return {
		template: { title: definition.title, sections },
		parts: definition.parts.map((part) => {
			const source = sourceOf.get(part.itemId)!;
			return {
				itemId: part.itemId,
				itemName: source.itemName,
				templateId: source.templateId,
				fields: Object.fromEntries(
					source.template.sections
						.flatMap((s) => s.fields)
						.map((f) => [f.key, target.get(`${part.itemId}\u0000${f.key}`) ?? null])
				),
				materials: Object.fromEntries(
					source.materials.map((m) => [
						m.name,
						materialTarget.get(`${part.itemId}\u0000${m.name}`) ?? null
					])
				)
			};
		}),
		materials
	};
}

/** The materials the application needs, given which items apply: required if any of them requires it. */
export function applicationMaterials(
	materials: UnionMaterial[],
	items: readonly string[]
): { name: string; required: boolean; key: boolean; items: string[] }[] {
	return materials
		.map((m) => {
			const used = m.sources.filter((s) => items.includes(s.itemId));
			return {
				name: m.name,
				required: used.some((s) => s.required),
				key: used.some((s) => s.key),
				items: used.map((s) => s.itemId)
			};
		})
		.filter((m) => m.items.length > 0);
}

/** One part's field values, taken from the application's (its filled field left out). */
export function partValues(
	part: PartMapping,
	values: Record<string, FieldValue>
): Record<string, FieldValue> {
	const out: Record<string, FieldValue> = {};
	for (const [itemKey, parentKey] of Object.entries(part.fields))
		if (parentKey && values[parentKey] !== undefined && values[parentKey] !== null)
			out[itemKey] = values[parentKey];
	return out;
}
