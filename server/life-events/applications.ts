// 一件事一次办 (issue 24 items 1-4): an application is a case of the theme item whose form is the
// life event's union form; filled, documented and signed once. On submission it splits into one
// part per item that applies, each a case of its own routed to its department; the parts are
// worked in parallel and the application follows them: returned while any part is returned
// (corrected once, in the application), complete when every part is decided.
import type { Deps } from '../deps.ts';
import { AppError } from '../http/errors.ts';
import type { User } from '../../shared/schemas/auth.ts';
import { allFields, fieldError, type FieldValue } from '../../shared/forms/template.ts';
import { templateOf } from '../cases/cases.ts';
import { localDate } from '../../shared/dates.ts';
import { addWorkingDays } from '../../shared/workdays.ts';
import type {
	Application,
	ApplicationPart,
	LifeEventDefinition,
	LifeEventVersion,
	PartMapping
} from '../../shared/schemas/life-events.ts';
import {
	applicationMaterials as materialsFor,
	partValues,
	selectedItems
} from '../../shared/life-events/union-form.ts';
import { getOrgUnit } from '../accounts/accounts.ts';
import { findServiceSummary } from '../catalog/catalog.ts';
import { loadCalendar } from '../ratings/calendar.ts';
import { enqueueNotice } from '../notify/outbox.ts';
import {
	applicationContent,
	completeApplicationPart,
	fileApplicationPart,
	notePartMoved,
	refileApplicationPart,
	setApplicationState,
	type CaseRow,
	type PartContent
} from '../cases/parts.ts';
import { lifeEventOfTemplate } from './definitions.ts';
import { createLifeEventsRepo, type PartRow } from './repo.ts';

type Content = Awaited<ReturnType<typeof applicationContent>>;

/** One part's values and files, from the application's. */
function contentOfPart(
	mapping: PartMapping,
	content: Content,
	fill?: { key: string; value: string; by: string }
): PartContent {
	const values: PartContent['values'] = {};
	for (const [key, value] of Object.entries(partValues(mapping, content.values))) {
		const parentKey = mapping.fields[key]!;
		values[key] = { value, typedBy: content.typedBy[parentKey] };
	}
	if (fill) values[fill.key] = { value: fill.value, typedBy: fill.by };
	const documents: PartContent['documents'] = [];
	for (const document of content.documents) {
		if (document.review_verdict === 'reupload') continue; // asked for again: not handed in
		for (const [material, union] of Object.entries(mapping.materials))
			if (union === document.material) documents.push({ material, document });
	}
	return { values, documents };
}

/**
 * Where a part goes: the org unit the application was filed at when the item may be accepted
 * there (a township accepts, the department reviews upstairs: the cross-level rules), else
 * the org unit of the item's department.
 */
async function partOrgUnit(deps: Deps, application: CaseRow, itemId: string): Promise<string> {
	const item = (await findServiceSummary(deps, itemId))!;
	const filedAt = await getOrgUnit(deps, application.org_unit_id);
	return filedAt && item.acceptLevels.includes(filedAt.level)
		? application.org_unit_id
		: item.department.orgUnitId;
}

async function startPart(
	deps: Deps,
	application: CaseRow,
	version: LifeEventVersion,
	itemId: string,
	content: Content,
	fill?: { key: string; value: string; by: string }
): Promise<void> {
	const repo = createLifeEventsRepo(deps.store);
	const position = version.definition.parts.findIndex((p) => p.itemId === itemId) + 1;
	const mapping = version.parts.find((p) => p.itemId === itemId)!;
	const caseId = await fileApplicationPart(
		deps,
		application,
		{
			itemId,
			templateId: mapping.templateId,
			orgUnitId: await partOrgUnit(deps, application, itemId),
			receiptNo: `${application.receipt_no}-${position}`,
			position
		},
		contentOfPart(mapping, content, fill)
	);
	await repo.startPart(application.id, itemId, caseId, deps.now());
}

/** The version an application was filed under, or null for an ordinary case. */
function versionOf(deps: Deps, row: CaseRow): Promise<LifeEventVersion | null> {
	return row.is_application ? lifeEventOfTemplate(deps, row.template_id) : Promise.resolve(null);
}

/**
 * The citizen submitted the application (in the submitting transaction). The first time it
 * splits into its parts; after a correction every part the correction touched goes back to
 * its department and the others keep their state.
 */
export async function applicationSubmitted(deps: Deps, application: CaseRow): Promise<void> {
	const version = await versionOf(deps, application);
	if (!version) return;
	const repo = createLifeEventsRepo(deps.store);
	await repo.lockParts(application.id);
	const parts = await repo.parts(application.id);
	const content = await applicationContent(deps, application.id);
	const items = selectedItems(version.definition, content.values);
	if (!parts.length) {
		for (const [i, part] of version.definition.parts.entries()) {
			if (!items.includes(part.itemId)) continue;
			await repo.insertPart({
				application_id: application.id,
				service_item_id: part.itemId,
				position: i + 1,
				waits_for: part.waitsFor?.itemId ?? null,
				created_at: deps.now()
			});
			if (!part.waitsFor) await startPart(deps, application, version, part.itemId, content);
		}
	} else {
		const filed = parts.map((p) => p.service_item_id);
		if (filed.length !== items.length || items.some((i) => !filed.includes(i)))
			throw AppError.conflict(
				'items_changed',
				'The answers now select other items than were filed; keep the answers, and apply for other items separately',
				{ lifeEvent: 'the items of a filed application cannot change' }
			);
		for (const part of parts)
			if (part.case_id)
				await refileApplicationPart(
					deps,
					application,
					part.case_id,
					contentOfPart(
						version.parts.find((m) => m.itemId === part.service_item_id)!,
						content
					)
				);
	}
	await setApplicationState(deps, application, { status: 'in_review' }, application.citizen_id, {
		parts: items.length
	});
}

/**
 * Whether the step may be taken on this case: an application is decided by its parts, never by
 * itself; only its result is handed out as a whole (统一出件, when delivered nearby).
 */
export function refuseApplicationStep(row: CaseRow, step: string): void {
	if (row.is_application && step !== 'complete')
		throw AppError.conflict(
			'decided_by_parts',
			'A life event application is decided part by part: open the part of your department'
		);
}

/** Comments of the returned parts, on the application's fields (a field several share, once). */
function returnedComments(
	version: LifeEventVersion,
	returned: { itemId: string; comments: Record<string, string> }[]
): Record<string, string> {
	const out: Record<string, string> = {};
	for (const r of returned) {
		const mapping = version.parts.find((p) => p.itemId === r.itemId)!;
		for (const [key, comment] of Object.entries(r.comments)) {
			const parentKey = mapping.fields[key];
			if (!parentKey) continue;
			out[parentKey] =
				out[parentKey] && out[parentKey] !== comment ? `${out[parentKey]}\n${comment}` : comment;
		}
	}
	return out;
}

/**
 * A part's department took a step (in the step's transaction, after it): a part waiting for
 * this one starts when it is approved, with its result number filled in; then the application
 * takes the state its parts give it.
 */
export async function partAdvanced(
	deps: Deps,
	staff: User,
	part: CaseRow,
	application: CaseRow,
	step: string,
	resultNo: string | undefined
): Promise<void> {
	const version = (await versionOf(deps, application))!;
	const repo = createLifeEventsRepo(deps.store);
	await repo.lockParts(application.id);
	if (step === 'approve') {
		const waiting = (await repo.parts(application.id)).filter(
			(p) => p.waits_for === part.service_item_id && !p.case_id
		);
		const content = waiting.length ? await applicationContent(deps, application.id) : null;
		for (const w of waiting) {
			const fill = version.definition.parts.find((p) => p.itemId === w.service_item_id)!.waitsFor!
				.fill;
			if (fill && !resultNo)
				throw AppError.validation({
					resultNo: `${w.item_name} waits for this result: enter the number issued (证照编号)`
				});
			if (fill) {
				const mapping = version.parts.find((p) => p.itemId === w.service_item_id)!;
				const field = allFields(await templateOf(deps, mapping.templateId)).find(
					(f) => f.key === fill
				)!;
				const problem = fieldError(field, resultNo!);
				if (problem) throw AppError.validation({ resultNo: problem });
			}
			await startPart(
				deps,
				application,
				version,
				w.service_item_id,
				content!,
				fill ? { key: fill, value: resultNo!, by: staff.id } : undefined
			);
		}
	}
	await notePartMoved(deps, application.id, staff.id, { itemId: part.service_item_id, step });
	if (step === 'approve' || step === 'reject')
		await notify(
			deps,
			application,
			step === 'approve' ? 'application_part_approved' : 'application_part_rejected',
			{ partName: part.service_name }
		);
	await followParts(deps, application, version, staff.id);
}

async function followParts(
	deps: Deps,
	application: CaseRow,
	version: LifeEventVersion,
	actorId: string
): Promise<void> {
	const parts = await createLifeEventsRepo(deps.store).parts(application.id);
	const returned = parts.filter((p) => p.status === 'returned');
	if (returned.length) {
		const comments = returnedComments(
			version,
			returned.map((p) => ({
				itemId: p.service_item_id,
				comments: JSON.parse(p.review_comments ?? '{}') as Record<string, string>
			}))
		);
		if (
			await setApplicationState(deps, application, { status: 'returned', comments }, actorId, {
				parts: returned.map((p) => p.item_name)
			})
		)
			await notify(deps, application, 'application_returned');
		return;
	}
	const decided = parts.every(
		(p) => p.case_id && ['approved', 'completed', 'rejected'].includes(p.status ?? '')
	);
	if (!decided) {
		await setApplicationState(deps, application, { status: 'in_review' }, actorId);
		return;
	}
	if (parts.every((p) => p.status === 'rejected')) {
		if (await setApplicationState(deps, application, { status: 'rejected' }, actorId))
			await notify(deps, application, 'case_rejected');
		return;
	}
	if (version.definition.delivery === 'electronic') {
		for (const p of parts) await completeApplicationPart(deps, p.case_id!, 'electronic', actorId);
		if (
			await setApplicationState(
				deps,
				application,
				{ status: 'completed', delivery: 'electronic' },
				actorId
			)
		)
			await notify(deps, application, 'application_completed');
		return;
	}
	if (await setApplicationState(deps, application, { status: 'approved' }, actorId))
		await notify(deps, application, 'case_approved');
}

/** 统一出件 nearby: the hall handed out the application's results; every part is complete. */
export async function applicationDelivered(
	deps: Deps,
	application: CaseRow,
	delivery: 'nearby' | 'electronic',
	actorId: string
): Promise<void> {
	if (!application.is_application) return;
	for (const p of await createLifeEventsRepo(deps.store).parts(application.id))
		if (p.case_id) await completeApplicationPart(deps, p.case_id, delivery, actorId);
}

async function notify(
	deps: Deps,
	application: CaseRow,
	kind: string,
	extra: Record<string, string> = {}
): Promise<void> {
	await enqueueNotice(deps, {
		userId: application.citizen_id,
		kind,
		params: {
			serviceName: application.service_name,
			receiptNo: application.receipt_no ?? '',
			...extra
		},
		link: `/cases/${application.id}`,
		dueAt: deps.now(),
		key: `${kind}:${application.id}:${deps.now()}`,
		channels: ['in_app', 'sms']
	});
}

/**
 * The materials an application needs for the items its answers select (values null: for any of
 * its items); null for an ordinary case.
 */
export async function applicationMaterials(
	deps: Deps,
	row: CaseRow,
	values: Record<string, FieldValue> | null
): Promise<{ name: string; required: boolean; key: boolean }[] | null> {
	const version = await versionOf(deps, row);
	if (!version) return null;
	const items = values
		? selectedItems(version.definition, values)
		: version.definition.parts.map((p) => p.itemId);
	return materialsFor(version.materials, items);
}

function partState(p: PartRow): ApplicationPart['state'] {
	return p.case_id ? (p.status as ApplicationPart['state']) : 'waiting';
}

/** The application's parts side by side, for its page and its receipt (null: not an application). */
export async function applicationOf(deps: Deps, row: CaseRow): Promise<Application | null> {
	const version = await versionOf(deps, row);
	if (!version) return null;
	const tz = deps.config.timeZone;
	const theme = (await findServiceSummary(deps, row.service_item_id))!;
	const calendar = await loadCalendar(deps);
	const due = (from: number | null, days: number) =>
		from === null ? null : addWorkingDays(localDate(from, tz), days, calendar);
	const parts = await createLifeEventsRepo(deps.store).parts(row.id);
	return {
		caseId: row.id,
		themeName: theme.name,
		version: version.version,
		timeLimitDays: theme.timeLimitDays,
		dueDate: due(row.submitted_at, theme.timeLimitDays),
		delivery: version.definition.delivery,
		parts: parts.map((p) => ({
			itemId: p.service_item_id,
			itemName: p.item_name,
			departmentName: p.department_name,
			caseId: p.case_id,
			receiptNo: p.receipt_no,
			state: partState(p),
			waitsFor: p.waits_for_name,
			timeLimitDays: p.time_limit_days,
			dueDate: due(p.started_at, p.time_limit_days)
		}))
	};
}

/**
 * What a part's page says of its application: which life event, and which parts wait for this
 * one's result (its approver enters the number issued).
 */
export async function partContext(
	deps: Deps,
	row: CaseRow
): Promise<{ applicationId: string; themeName: string; resultFor: string[] } | null> {
	if (!row.application_id) return null;
	const repo = createLifeEventsRepo(deps.store);
	const version = (await repo.versionOfApplication(row.application_id))!;
	const definition = (JSON.parse(version.definition) as { definition: LifeEventDefinition })
		.definition;
	return {
		applicationId: row.application_id,
		themeName: version.theme_name,
		resultFor: (await repo.parts(row.application_id))
			.filter(
				(p) =>
					p.waits_for === row.service_item_id &&
					!!definition.parts.find((d) => d.itemId === p.service_item_id)?.waitsFor?.fill
			)
			.map((p) => p.item_name)
	};
}
