// 一件事一次办 (issue 24 item 5): an admin defines a life event on its theme item (a catalog item
// with its 牵头部门 and its own 承诺时限): its items, the questions that select them, the fields
// and materials asked once, which parts wait for another, and one result delivery. Publishing
// builds the union form, publishes it as the theme item's form template and keeps both as one
// version: applications keep the version they started with, as cases keep their form's.
import type { Deps } from '../deps.ts';
import { AppError } from '../http/errors.ts';
import { newId } from '../ids.ts';
import { toIso } from '../time.ts';
import type { User } from '../../shared/schemas/auth.ts';
import { recordAudit } from '../audit/audit.ts';
import { findServiceSummary, listServiceMaterials } from '../catalog/catalog.ts';
import { cachedCatalog, forgetCatalog } from '../catalog/cache.ts';
import { latestTemplate, publishTemplate } from '../cases/templates.ts';
import { templateOf } from '../cases/cases.ts';
import {
	LifeEventDefinition,
	type LifeEventDefinitionInput,
	type LifeEventOffer,
	type LifeEventVersion,
	type PartMapping,
	type UnionMaterial
} from '../../shared/schemas/life-events.ts';
import { TemplateDefinition } from '../../shared/forms/template.ts';
import {
	buildUnionForm,
	UnionFormError,
	type PartSource
} from '../../shared/life-events/union-form.ts';
import { createLifeEventsRepo, type VersionRow } from './repo.ts';

interface Published {
	definition: LifeEventDefinition;
	parts: PartMapping[];
	materials: UnionMaterial[];
}

function toVersion(
	deps: Deps,
	row: VersionRow,
	templateDefinition: TemplateDefinition
): LifeEventVersion {
	const published = JSON.parse(row.definition) as Published;
	return {
		id: row.id,
		themeItemId: row.service_item_id,
		themeName: row.theme_name,
		version: row.version,
		definition: published.definition,
		template: { id: row.template_id, definition: templateDefinition },
		parts: published.parts,
		materials: published.materials,
		publishedAt: toIso(row.published_at, deps.config.timeZone)
	};
}

/** Checks what the union form cannot: the items, questions and waits refer to what exists. */
async function partSources(
	deps: Deps,
	themeItemId: string,
	definition: LifeEventDefinition
): Promise<PartSource[]> {
	const seen = new Set<string>();
	const sources: PartSource[] = [];
	for (const [i, part] of definition.parts.entries()) {
		const at = `parts.${i}`;
		if (part.itemId === themeItemId)
			throw AppError.validation({ [`${at}.itemId`]: 'is the life event itself' });
		if (seen.has(part.itemId)) throw AppError.validation({ [`${at}.itemId`]: 'is named twice' });
		seen.add(part.itemId);
		const item = await findServiceSummary(deps, part.itemId);
		if (!item) throw AppError.validation({ [`${at}.itemId`]: 'no such service item' });
		const template = await latestTemplate(deps, item.id).catch(() => null);
		if (!template)
			throw AppError.validation({ [`${at}.itemId`]: `${item.name} has no online form yet` });
		if (part.when) {
			const question = definition.questions.find((q) => q.key === part.when!.question);
			if (!question) throw AppError.validation({ [`${at}.when.question`]: 'no such question' });
			const wrong = part.when.in.filter((v) => !question.options.some((o) => o.value === v));
			if (wrong.length)
				throw AppError.validation({ [`${at}.when.in`]: `not an answer: ${wrong.join(', ')}` });
		}
		if (part.waitsFor) {
			const earlier = definition.parts.findIndex((p) => p.itemId === part.waitsFor!.itemId);
			if (earlier < 0 || earlier >= i)
				throw AppError.validation({
					[`${at}.waitsFor.itemId`]: 'must be an item named before this one'
				});
			// a part waiting for one that may not apply would never start
			if (definition.parts[earlier].when)
				throw AppError.validation({
					[`${at}.waitsFor.itemId`]: 'must be an item that always applies'
				});
			const fill = part.waitsFor.fill;
			if (fill && !template.definition.sections.some((s) => s.fields.some((f) => f.key === fill)))
				throw AppError.validation({ [`${at}.waitsFor.fill`]: `${item.name} has no field ${fill}` });
		}
		const materials = await listServiceMaterials(deps, item.id);
		if (part.waitsFor?.material && !materials.some((m) => m.name === part.waitsFor!.material))
			throw AppError.validation({
				[`${at}.waitsFor.material`]: `${item.name} has no material ${part.waitsFor.material}`
			});
		if (part.formMaterial && !materials.some((m) => m.name === part.formMaterial))
			throw AppError.validation({
				[`${at}.formMaterial`]: `${item.name} has no material ${part.formMaterial}`
			});
		sources.push({
			itemId: item.id,
			itemName: item.name,
			templateId: template.id,
			template: template.definition,
			materials
		});
	}
	const keys = definition.questions.map((q) => q.key);
	const twice = keys.find((k, i) => keys.indexOf(k) !== i);
	if (twice) throw AppError.validation({ questions: `${twice} is asked twice` });
	return sources;
}

export async function publishLifeEvent(
	deps: Deps,
	admin: User | null,
	themeItemId: string,
	input: LifeEventDefinitionInput
): Promise<LifeEventVersion> {
	const definition = LifeEventDefinition.parse(input);
	const theme = await findServiceSummary(deps, themeItemId);
	if (!theme) throw AppError.notFound('Service item');
	try {
		return await publishedVersion(deps, admin, themeItemId, definition);
	} finally {
		// the offers are kept with the catalog (lifeEventOffers): read again after a publish
		forgetCatalog();
	}
}

async function publishedVersion(
	deps: Deps,
	admin: User | null,
	themeItemId: string,
	definition: LifeEventDefinition
): Promise<LifeEventVersion> {
	return deps.store.transaction(async (tx) => {
		const txDeps = { ...deps, store: tx };
		const sources = await partSources(txDeps, themeItemId, definition);
		let union;
		try {
			union = buildUnionForm(definition, sources);
			TemplateDefinition.parse(union.template);
		} catch (err) {
			if (err instanceof UnionFormError) throw AppError.validation({ [err.field]: err.message });
			throw err;
		}
		// the union form is the theme item's next form version (publishTemplate locks the item)
		const template = await publishTemplate(txDeps, admin, themeItemId, union.template);
		const repo = createLifeEventsRepo(tx);
		const version = ((await repo.latestVersion(themeItemId))?.version ?? 0) + 1;
		const id = newId();
		const published: Published = {
			definition,
			parts: union.parts,
			materials: union.materials
		};
		await repo.insertVersion({
			id,
			service_item_id: themeItemId,
			version,
			definition: JSON.stringify(published),
			template_id: template.id,
			published_by: admin?.id ?? null,
			published_at: deps.now()
		});
		await recordAudit(txDeps, {
			action: 'life_event.published',
			target: { type: 'service_item', id: themeItemId },
			detail: { version, items: definition.parts.map((p) => p.itemId) }
		});
		return toVersion(deps, (await repo.latestVersion(themeItemId))!, template.definition);
	});
}

/** The version whose union form this is, or null (the form of an ordinary item). */
export async function lifeEventOfTemplate(
	deps: Deps,
	templateId: string
): Promise<LifeEventVersion | null> {
	const row = await createLifeEventsRepo(deps.store).versionOfTemplate(templateId);
	if (!row) return null;
	return toVersion(deps, row, await templateDefinition(deps, row));
}

function templateDefinition(deps: Deps, row: VersionRow): Promise<TemplateDefinition> {
	return templateOf(deps, row.template_id);
}

/** Whether the item stands for a life event (its forms are published as life event versions). */
export async function isLifeEventTheme(deps: Deps, itemId: string): Promise<boolean> {
	return !!(await createLifeEventsRepo(deps.store).latestVersion(itemId));
}

/** What the bundle pages and the admin page offer: the newest version of every life event. */
export function lifeEventOffers(deps: Deps): Promise<LifeEventOffer[]> {
	// kept with the catalog: every /services page shows them, and they change only with a publish
	// or a catalog import (~0.3 ms a page before, one query per item of every life event)
	return cachedCatalog(deps.store, 'lifeEventOffers', () => readLifeEventOffers(deps));
}

async function readLifeEventOffers(deps: Deps): Promise<LifeEventOffer[]> {
	const rows = await createLifeEventsRepo(deps.store).latestVersions();
	const offers: LifeEventOffer[] = [];
	for (const row of rows) {
		const published = JSON.parse(row.definition) as Published;
		const items = [];
		for (const part of published.definition.parts) {
			const item = (await findServiceSummary(deps, part.itemId))!;
			items.push({
				itemId: item.id,
				itemName: item.name,
				departmentName: item.department.name,
				conditional: !!part.when
			});
		}
		offers.push({
			themeItemId: row.service_item_id,
			themeName: row.theme_name,
			version: row.version,
			timeLimitDays: row.time_limit_days,
			items,
			questions: published.definition.questions,
			materials: published.materials.map((m) => ({
				name: m.name,
				required: m.sources.some((s) => s.required),
				conditional: m.sources.every(
					(s) => !!published.definition.parts.find((p) => p.itemId === s.itemId)?.when
				)
			}))
		});
	}
	return offers;
}

/** The newest version of one life event, for the admin page (404 for an ordinary item). */
export async function latestLifeEvent(deps: Deps, themeItemId: string): Promise<LifeEventVersion> {
	const row = await createLifeEventsRepo(deps.store).latestVersion(themeItemId);
	if (!row) throw AppError.notFound('Life event');
	return toVersion(deps, row, await templateDefinition(deps, row));
}
