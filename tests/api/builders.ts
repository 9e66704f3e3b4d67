// Builders for API tests: each test makes the hall state it needs (a desk opened, a ticket
// called, a video session opened) on its own harness instead of relying on what an earlier
// test left behind.
import { expect } from 'vitest';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { totpCode, totpStep } from '../../server/auth/two-factor.ts';
import { lastSmsCode, type Harness } from './harness.ts';
import { newCitizen, serviceByCode } from './booking-helpers.ts';
import { desksOf, take } from './queue-helpers.ts';

/** 个体工商户设立登记 (category A, offered by video at 胶州市 and its townships). */
export const LICENSE = '370281-XZSP-001';

/**
 * A new staff account created by the demo admin, signed in; returns its token. A role that must
 * give a second factor (TWO_FACTOR_ROLES) sets up an authenticator through the API first.
 */
export async function newStaff(
	h: Harness,
	o: { username: string; role: string; orgUnitId: string; name?: string; password?: string }
): Promise<string> {
	const admin = await h.loginAs('admin');
	const password = o.password ?? 'Staff#2026';
	const created = await h.request('POST', '/api/admin/staff', {
		token: admin,
		body: {
			username: o.username,
			name: o.name ?? o.username,
			role: o.role,
			orgUnitId: o.orgUnitId,
			password
		}
	});
	expect(created.status, `create staff ${o.username}`).toBe(201);
	return signInNewStaff(h, o.username, password);
}

/**
 * Signs in a staff account that has no authenticator yet: the password, then, when its role must
 * give a second factor (TWO_FACTOR_ROLES), an authenticator set up. Returns the token.
 */
export async function signInNewStaff(h: Harness, login: string, password: string, ip?: string) {
	const res = await h.request('POST', '/api/auth/login', { body: { login, password }, ip });
	expect(res.status, `login ${login}`).toBe(200);
	const signed = (await res.json()) as { token: string; secondFactor: string | null };
	if (signed.secondFactor === 'enrol') await enrolAuthenticator(h, signed.token);
	else expect(signed.secondFactor, `second factor of ${login}`).toBeNull();
	return signed.token;
}

/**
 * Sets up an authenticator for the session's user, as the two-factor page does: a new secret,
 * then its code at the harness clock. Returns the secret (base32) and the recovery codes.
 */
export async function enrolAuthenticator(h: Harness, token: string) {
	const setup = await h.request('POST', '/api/auth/two-factor/setup', { token });
	expect(setup.status, 'two-factor setup').toBe(200);
	const { secret } = (await setup.json()) as { secret: string };
	const code = totpCode(decodeBase32IgnorePadding(secret), totpStep(h.clock.now));
	const enrolled = await h.request('POST', '/api/auth/two-factor/enrol', {
		token,
		body: { code }
	});
	expect(enrolled.status, 'two-factor enrol').toBe(200);
	const { recoveryCodes } = (await enrolled.json()) as { recoveryCodes: string[] };
	return { secret, recoveryCodes };
}

/** The id of the desk called `name` among those the staff member may serve. */
export async function deskNamed(h: Harness, token: string, name: string) {
	const desk = (await desksOf(h, token)).find((d) => d.name === name);
	if (!desk) throw new Error(`no desk ${name}`);
	return desk;
}

/** Opens the desk called `name` for the staff member; returns the desk. */
export async function openDesk(
	h: Harness,
	token: string,
	name = '1号窗口',
	categories: string[] = ['A']
) {
	const desk = await deskNamed(h, token, name);
	const res = await h.request('POST', `/api/desks/${desk.id}/open`, {
		token,
		body: { categories }
	});
	expect(res.status, `open ${name}`).toBe(200);
	return desk;
}

/** A waiting ticket of the citizen (201 expected). */
export async function takeTicket(h: Harness, token: string, body: Record<string, unknown>) {
	const res = await take(h, token, body);
	expect(res.status, `take ${JSON.stringify(body)}`).toBe(201);
	return (await res.json()).ticket as { id: string; code: string; [k: string]: unknown };
}

/** Calls the next ticket at the desk; null when nobody waits. */
export async function callNext(h: Harness, token: string, deskId: string) {
	const res = await h.request('POST', `/api/desks/${deskId}/call-next`, { token });
	if (res.status === 204) return null;
	expect(res.status, 'call-next').toBe(200);
	return (await res.json()).ticket as { id: string; code: string; [k: string]: unknown };
}

export interface TicketOptions {
	/** The citizen who takes the ticket; a new one (named citizenName) when not given. */
	citizen?: Citizen;
	citizenName?: string;
	/** The service item's code; the licence item when not given. */
	serviceCode?: string;
	/** The hall (org unit id) the ticket is for; the item's district hall when not given. */
	hallId?: string;
}

export type Citizen = Awaited<ReturnType<typeof newCitizen>>;

/**
 * A (new) citizen's video ticket for the licence item, called by the staff member at the desk it
 * already has open (the desk must have nobody else waiting ahead for the result to be this ticket).
 */
export async function calledVideoTicket(
	h: Harness,
	staff: string,
	deskId: string,
	o: TicketOptions = {}
) {
	const citizen = o.citizen ?? (await newCitizen(h, o.citizenName));
	const item = await serviceByCode(h, o.serviceCode ?? LICENSE);
	const ticket = await takeTicket(h, citizen.token, {
		serviceId: item.id,
		channel: 'video',
		...(o.hallId ? { hallId: o.hallId } : {})
	});
	const called = await callNext(h, staff, deskId);
	expect(called?.id, 'the new ticket is called').toBe(ticket.id);
	return { citizen, ticket, item };
}

/** A video session the staff member opened for a freshly called ticket (still open). */
export async function openVideoSession(
	h: Harness,
	staff: string,
	deskId: string,
	o: TicketOptions = {}
) {
	const { citizen, ticket, item } = await calledVideoTicket(h, staff, deskId, o);
	const res = await h.request('POST', '/api/video-sessions', {
		token: staff,
		body: { ticketId: ticket.id }
	});
	expect(res.status, 'open video session').toBe(201);
	const session = (await res.json()).session as { id: string; ticketId: string };
	return { citizen, ticket, item, session };
}

const PNG_BASE64 =
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
/** A 1×1 PNG, accepted as a photo of any material. */
export const PNG_BYTES = Buffer.from(PNG_BASE64, 'base64');
/** The same PNG as a data URL, as the signature pad sends it. */
export const SIGNATURE_PNG = `data:image/png;base64,${PNG_BASE64}`;

/** A complete, valid application for 个体工商户设立登记 (LICENSE), field by field. */
export const LICENSE_VALUES = {
	name: '王秀兰',
	idNumber: '11010519491231002X',
	phone: '13800000001',
	address: '胶州市阜安街道郑州路 88 号',
	scope: '日用百货零售',
	form: 'person',
	capital: 50000
};

/** Uploads one document (a small PNG) for a material of a case; returns the response. */
export function uploadMaterial(h: Harness, token: string, caseId: string, material: string) {
	const form = new FormData();
	form.set('material', material);
	form.set('file', new File([new Uint8Array(PNG_BYTES)], `${material}.png`));
	return h.app.request(`/api/cases/${caseId}/documents`, {
		method: 'POST',
		body: form,
		headers: { authorization: `Bearer ${token}` }
	});
}

/**
 * Hands in every required material of a case (the submit refuses without them), as the
 * applicant or the session's staff; `except` leaves some out.
 */
export async function handInMaterials(
	h: Harness,
	token: string,
	caseId: string,
	except: string[] = []
) {
	const res = await h.request('GET', `/api/cases/${caseId}`, { token });
	const { materials } = (await res.json()).case as {
		materials: { name: string; required: boolean }[];
	};
	for (const m of materials.filter((m) => m.required && !except.includes(m.name)))
		expect((await uploadMaterial(h, token, caseId, m.name)).status).toBe(201);
}

/**
 * 代办: the proxy asks the grantor for a grant of `items` (until 2026-12-26) and the grantor's SMS
 * code confirms it; returns the grant's id.
 */
export async function confirmedGrant(
	h: Harness,
	proxy: Citizen,
	grantor: Citizen,
	items: 'all' | string[] = 'all'
): Promise<string> {
	const asked = await h.request('POST', '/api/proxy/grants', {
		token: proxy.token,
		body: { grantorPhone: grantor.phone, items, validUntil: '2026-12-26' }
	});
	expect(asked.status).toBe(202);
	const { grantId } = (await asked.json()) as { grantId: string };
	const confirmed = await h.request('POST', `/api/proxy/grants/${grantId}/confirm`, {
		token: proxy.token,
		body: { code: lastSmsCode(h.deps.config.dataDir, grantor.phone) }
	});
	expect(confirmed.status).toBe(200);
	return grantId;
}

/** The proxy's sign-in starts acting for the grantor under the grant. */
export async function startActing(h: Harness, proxy: Citizen, grantId: string): Promise<void> {
	const res = await h.request('POST', '/api/proxy/acting', {
		token: proxy.token,
		body: { grantId }
	});
	expect(res.status).toBe(200);
}
