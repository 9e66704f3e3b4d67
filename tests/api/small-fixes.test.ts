// Small rules found on the way (issue "Trust"): notices are the addressee's alone, entry ids
// carry no control characters.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './harness.ts';
import { newCitizen } from './booking-helpers.ts';
import { enqueueNotice } from '../../server/notify/outbox.ts';

let h: Harness;
beforeEach(async () => {
	h = await createHarness();
});
afterEach(() => h.close());

describe('notifications', () => {
	it('marking someone else’s notice read answers 404 and changes nothing; my own 204', async () => {
		const owner = await newCitizen(h);
		const other = await newCitizen(h);
		await enqueueNotice(h.deps, {
			userId: owner.id,
			kind: 'appointment_reminder',
			params: {},
			link: '/my/appointments',
			dueAt: h.clock.now,
			key: `test:${owner.id}`,
			channels: ['in_app']
		});
		const list = async (token: string) =>
			(await (await h.request('GET', '/api/notifications', { token })).json()).notifications as {
				id: string;
				read: boolean;
			}[];
		const [notice] = await list(owner.token);
		const theirs = await h.request('POST', `/api/notifications/${notice.id}/read`, {
			token: other.token
		});
		expect(theirs.status).toBe(404);
		expect((await theirs.json()).error.code).toBe('not_found');
		expect((await list(owner.token))[0].read).toBe(false);
		const unknown = await h.request('POST', '/api/notifications/nosuchnotice/read', {
			token: owner.token
		});
		expect(unknown.status).toBe(404);
		expect(
			(await h.request('POST', `/api/notifications/${notice.id}/read`, { token: owner.token }))
				.status
		).toBe(204);
		expect((await list(owner.token))[0].read).toBe(true);
	});
});

describe('knowledge-base entry ids', () => {
	it('refuse control and invisible characters, naming the field; nothing is written', async () => {
		const admin = await h.loginAs('admin');
		const before = (
			await (await h.request('GET', '/api/admin/kb/entries', { token: admin })).json()
		).entries.length;
		for (const id of ['faq\u0000x', 'faq\u001bx', 'faq\u200bx', 'faq\u202ex', 'faq\u007fx']) {
			const res = await h.request('PUT', `/api/admin/kb/entries/${encodeURIComponent(id)}`, {
				token: admin,
				body: { title: '标题', body: '内容', tags: [] }
			});
			expect(res.status, JSON.stringify(id)).toBe(400);
			expect((await res.json()).error.fields.id).toMatch(/control or invisible/);
			const imported = await h.request('POST', '/api/admin/kb/import', {
				token: admin,
				body: { content: JSON.stringify({ id, title: '标题', body: '内容' }) }
			});
			expect(imported.status).toBe(422);
			expect(JSON.stringify((await imported.json()).error.fields)).toMatch(/line 1\.id/);
		}
		const after = (await (await h.request('GET', '/api/admin/kb/entries', { token: admin })).json())
			.entries.length;
		expect(after).toBe(before);
	});
});
