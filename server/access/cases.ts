// Who may see and change a case (办件), and so its documents and signature. Staff who may not
// see a case get 404; staff who see it but may not do this get 403.
import type { Deps } from '../deps.ts';
import { AppError } from '../http/errors.ts';
import type { User } from '../../shared/schemas/auth.ts';
import { homeVisitOfSession } from '../grid/home-visits.ts';
import { staffOrgUnits } from './org-units.ts';
import { departmentOfStaff } from '../accounts/departments.ts';
import { isSessionStaff, videoParticipation } from './video-sessions.ts';

/**
 * Who the caller is to a case: its citizen, staff in its live session, the grid worker beside
 * the resident in the live session of their 入户办 (issue 23 item 2), or staff who may only read.
 */
export type CaseRelation = 'citizen' | 'session-staff' | 'visit-grid-worker' | 'reader';

/** What of a case decides who may see it. */
export interface CaseParties {
	citizen_id: string;
	session_id: string | null;
	org_unit_id: string;
	accepted_org_unit_id: string | null;
	review_org_unit_id: string | null;
	/** the department owning the case's item */
	department_id: string;
	/** a life event's application (一件事): its parts are cases of their own (issue 24) */
	is_application: number | boolean;
}

/** The caller's relation to the case; 404 to anyone who may not see it. */
export async function caseAccess(deps: Deps, user: User, c: CaseParties): Promise<CaseRelation> {
	if (user.role === 'citizen') {
		if (c.citizen_id !== user.id) throw AppError.notFound('Case');
		return 'citizen';
	}
	if (user.role === 'grid') {
		if (await isVisitGridWorker(deps, user, c)) return 'visit-grid-worker';
		throw AppError.notFound('Case');
	}
	if (c.session_id && (await isSessionStaff(deps, user, c.session_id))) return 'session-staff';
	// 部门: department staff handle their department's items only, and of a life event only
	// their part (a case of its own), never the application with the other parts' fields
	const department = await departmentOfStaff(deps, user);
	if (department && (c.department_id !== department || c.is_application))
		throw AppError.notFound('Case');
	// multi-point acceptance and review upstairs: the accepting and the reviewing org units read too
	// (the staff member's subtree is read once for the three, not once per org unit)
	const seen = await staffOrgUnits(deps, user);
	for (const org of [c.org_unit_id, c.accepted_org_unit_id, c.review_org_unit_id])
		if (org && seen.includes(org)) return 'reader';
	throw AppError.notFound('Case');
}

/**
 * 入户办: the grid worker who started the video ticket of the case's session for this resident
 * (case → session → ticket → home visit → grid worker), while they are in that session with the
 * resident (let in with them, not removed, session open). After the session they have no
 * relation to the case: a grid worker reads no case outside the home.
 */
async function isVisitGridWorker(deps: Deps, user: User, c: CaseParties): Promise<boolean> {
	if (!c.session_id) return false;
	const visit = await homeVisitOfSession(deps, c.session_id);
	if (!visit || visit.gridWorkerId !== user.id || visit.residentId !== c.citizen_id) return false;
	const p = await videoParticipation(deps, user, c.session_id);
	return !!p && p.kind === 'grid' && p.admitted && !p.removed && p.sessionOpen;
}

/**
 * Who may change the form (fields; the case as the writer sees it): the applicant, the staff in
 * the live session, and the grid worker beside the resident in it.
 */
export const CASE_WRITERS: readonly CaseRelation[] = [
	'citizen',
	'session-staff',
	'visit-grid-worker'
];

/**
 * The applicant's own steps (confirming values staff entered, signing, submitting): the
 * citizen, or the grid worker at their home on the resident's behalf: the resident confirms
 * and signs on the grid worker's tablet. Never staff.
 */
export function onApplicantsSide(relation: CaseRelation): boolean {
	return relation === 'citizen' || relation === 'visit-grid-worker';
}

/** The caller's relation if it is one of `allowed`: 404 to who may not see the case, 403 to the rest. */
export async function requireCaseAccess(
	deps: Deps,
	user: User,
	c: CaseParties,
	allowed: readonly CaseRelation[],
	message: string
): Promise<CaseRelation> {
	const relation = await caseAccess(deps, user, c);
	if (!allowed.includes(relation)) throw AppError.forbidden(message);
	return relation;
}

/**
 * Sensitive values (an ID number) show in full to the citizen, the session's staff and the grid
 * worker sitting beside the resident; masked to readers.
 */
export function seesSensitiveInFull(relation: CaseRelation): boolean {
	return relation !== 'reader';
}

/** An uploaded document or the signature: whoever may see the case (each view is audited). */
export function requireDocumentViewer(
	deps: Deps,
	user: User,
	c: CaseParties
): Promise<CaseRelation> {
	return caseAccess(deps, user, c);
}

/** Uploading a material: the applicant, the staff in the live session, the grid worker at the home. */
export function requireDocumentUploader(
	deps: Deps,
	user: User,
	c: CaseParties
): Promise<CaseRelation> {
	return requireCaseAccess(
		deps,
		user,
		c,
		['citizen', 'session-staff', 'visit-grid-worker'],
		'Only the applicant, session staff and the grid worker at the home upload documents'
	);
}

/** 合格 / 请重新上传: staff who may see the case, in the session or not. */
export function requireDocumentReviewer(
	deps: Deps,
	user: User,
	c: CaseParties
): Promise<CaseRelation> {
	return requireCaseAccess(
		deps,
		user,
		c,
		['session-staff', 'reader'],
		'Only staff review materials'
	);
}

/**
 * 容缺受理: only an agent in the case's live session records that a material is owed on the
 * citizen's written promise (the citizen and staff reading the case later may not).
 */
export function requireOwedMaterialRecorder(
	deps: Deps,
	user: User,
	c: CaseParties
): Promise<CaseRelation> {
	return requireCaseAccess(
		deps,
		user,
		c,
		['session-staff'],
		'Only staff in the live session accept a material as owed (容缺受理)'
	);
}

/**
 * The 申请回执 and the 受理通知书 of a case: its citizen, staff in its session, and staff of the
 * org units handling it (where it was filed, accepted or is reviewed); 404 to anyone else.
 */
export function requireIssuedDocumentReader(
	deps: Deps,
	user: User,
	c: CaseParties
): Promise<CaseRelation> {
	return caseAccess(deps, user, c);
}
