// Materials staff can see (issue 14): uploaded documents and the signature served by id to the
// people who may see the case, every view audited; staff review each document (合格 / 请重新上传);
// HEIC photos refused with what to do instead. Every test builds its own hall.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { zhCN } from '../../web/lib/i18n/zh-CN.ts';
import { en } from '../../web/lib/i18n/en.ts';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { blobStoreOf, sha256Hex } from '../../server/db/blobs.ts';
import { openDatabase } from '../../server/db/index.ts';
import { openPostgresEngine, sqliteEngine } from '../../server/engine.ts';
import { createHarness, type Harness } from './harness.ts';
import { newCitizen, serviceByCode } from './booking-helpers.ts';
import { LICENSE, newStaff, openDesk, openVideoSession } from './builders.ts';

const ID_PROOF = '经营者身份证明';
const PREMISES = '经营场所使用证明';
// a 1×1 PNG, as the signature pad sends it
const PNG_DATA_URL =
	'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const PNG = new Uint8Array(Buffer.from(PNG_DATA_URL.split(',')[1], 'base64'));

function jpeg(seed: number, size = 2048): Uint8Array {
	const bytes = new Uint8Array(size);
	bytes.set([0xff, 0xd8, 0xff, 0xe0]);
	for (let i = 4; i < size; i++) bytes[i] = (i * 31 + seed) & 0xff;
	return bytes;
}
const PDF = new Uint8Array(
	Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n')
);

/** The first bytes of an iPhone photo: an ISO-BMFF ftyp box with the heic brand. */
function heif(major: string, compatible: string[]): Uint8Array {
	const brands = [major, '\0\0\0\0', ...compatible].join('');
	const box = Buffer.concat([
		Buffer.alloc(4),
		Buffer.from('ftyp' + brands, 'latin1'),
		Buffer.alloc(64, 7)
	]);
	box.writeUInt32BE(8 + brands.length, 0);
	return new Uint8Array(box);
}

let h: Harness;
beforeEach(async () => {
	h = await createHarness();
});
afterEach(async () => {
	vi.restoreAllMocks();
	await h.close();
});

async function upload(
	token: string,
	caseId: string,
	material: string,
	bytes: Uint8Array,
	name: string
) {
	const form = new FormData();
	form.set('material', material);
	form.set('file', new File([bytes as Uint8Array<ArrayBuffer>], name));
	return h.app.request(`/api/cases/${caseId}/documents`, {
		method: 'POST',
		body: form,
		headers: { authorization: `Bearer ${token}` }
	});
}

async function uploaded(
	token: string,
	caseId: string,
	material: string,
	bytes: Uint8Array,
	name: string
) {
	const res = await upload(token, caseId, material, bytes, name);
	expect(res.status, `upload ${name}`).toBe(201);
	return (await res.json()).document as { id: string; sha256: string; review: unknown };
}

const fileOf = (caseId: string, documentId: string, token?: string) =>
	h.request('GET', `/api/cases/${caseId}/documents/${documentId}/file`, { token });
const signatureOf = (caseId: string, token?: string) =>
	h.request('GET', `/api/cases/${caseId}/signature/file`, { token });
const reviewOf = (caseId: string, documentId: string, token: string, body: unknown) =>
	h.request('POST', `/api/cases/${caseId}/documents/${documentId}/review`, { token, body });

async function caseAs(token: string, caseId: string) {
	const res = await h.request('GET', `/api/cases/${caseId}`, { token });
	expect(res.status).toBe(200);
	return (await res.json()).case as {
		documents: { id: string; material: string; review: Record<string, unknown> | null }[];
		timeline: { type: string; payload: Record<string, unknown>; actorName: string | null }[];
	};
}

async function orgUnitId(code: string) {
	const res = await h.request('GET', '/api/org-units', { token: await h.loginAs('admin') });
	return ((await res.json()).orgUnits as { id: string; code: string }[]).find(
		(o) => o.code === code
	)!.id;
}

async function userIdOf(token: string) {
	return ((await (await h.request('GET', '/api/me', { token })).json()).user as { id: string }).id;
}

async function auditRows(action: string) {
	return (
		await h.store.all<{
			actor_name: string;
			target_type: string;
			target_id: string;
			detail: string;
		}>('SELECT * FROM audit_log WHERE action = ? ORDER BY seq', [action])
	).map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
}

/**
 * 李静 (agent, 胶州市) opens a video session for a new citizen's ticket and starts the licence
 * case in it; the citizen uploads a photo of the ID card and signs.
 */
async function caseInSession() {
	const agent = await h.loginAs('agent');
	const desk = await openDesk(h, agent);
	const citizen = await newCitizen(h, '材料群众');
	const { session } = await openVideoSession(h, agent, desk.id, { citizen });
	const license = await serviceByCode(h, LICENSE);
	const created = await h.request('POST', '/api/cases', {
		token: agent,
		body: { serviceId: license.id, sessionId: session.id }
	});
	expect(created.status).toBe(201);
	const kase = (await created.json()).case as { id: string };
	const photo = jpeg(1);
	const doc = await uploaded(citizen.token, kase.id, ID_PROOF, photo, 'idcard.jpg');
	const signed = await h.request('POST', `/api/cases/${kase.id}/signature`, {
		token: citizen.token,
		body: { image: PNG_DATA_URL }
	});
	expect(signed.status).toBe(200);
	return { agent, citizen, session, kase, doc, photo };
}

describe('who may see a document and the signature', () => {
	it('the owner, the session staff while they are in the open session, and the handling org unit’s staff; nobody else', async () => {
		const { agent, citizen, session, kase, doc } = await caseInSession();
		const lichang = await orgUnitId('370213'); // 李沧区: another district
		const expert = await newStaff(h, { username: 'lc-expert', role: 'agent', orgUnitId: lichang });
		const second = await newStaff(h, { username: 'lc-second', role: 'agent', orgUnitId: lichang });
		const sameDistrict = await newStaff(h, {
			username: 'jz-colleague',
			role: 'agent',
			orgUnitId: await orgUnitId('370281')
		});
		const township = await h.loginAs('township'); // 阜安街道, below 胶州市: not handling this case
		const supervisor = await h.loginAs('supervisor'); // 胶州市
		const other = await newCitizen(h, '别的群众');

		/** Both routes answer the same status to the same person. */
		const expectBoth = async (token: string | undefined, status: number, who: string) => {
			expect((await fileOf(kase.id, doc.id, token)).status, `document: ${who}`).toBe(status);
			expect((await signatureOf(kase.id, token)).status, `signature: ${who}`).toBe(status);
		};
		await expectBoth(citizen.token, 200, 'the citizen who owns the case');
		await expectBoth(agent, 200, 'the host of the open session');
		await expectBoth(sameDistrict, 200, 'staff of the org unit handling the case');
		await expectBoth(supervisor, 200, 'the supervisor of the handling org unit');
		await expectBoth(other.token, 404, 'another citizen');
		await expectBoth(township, 404, 'staff of a township not handling the case');
		await expectBoth(expert, 404, 'staff of another district, not in the session');
		await expectBoth(undefined, 401, 'no session');
		await expectBoth(await h.loginAs('admin'), 403, 'a role that never sees cases');

		// invited into the session: sees the materials while in it
		for (const token of [expert, second]) {
			const invited = await h.request('POST', `/api/video-sessions/${session.id}/invite`, {
				token: agent,
				body: { userId: await userIdOf(token) }
			});
			expect(invited.status).toBe(200);
		}
		await expectBoth(expert, 200, 'an invited expert while the session runs');
		await expectBoth(second, 200, 'a second invited expert while the session runs');

		// removed: no longer
		const removed = await h.request('POST', `/api/video-sessions/${session.id}/remove`, {
			token: agent,
			body: { userId: await userIdOf(expert) }
		});
		expect(removed.status).toBe(200);
		await expectBoth(expert, 404, 'an expert removed from the session');
		await expectBoth(second, 200, 'the expert still in the session');

		// the session ends: participants from elsewhere lose access, the handling org unit keeps it
		const ended = await h.request('POST', `/api/video-sessions/${session.id}/end`, {
			token: agent
		});
		expect(ended.status).toBe(200);
		await expectBoth(second, 404, 'an expert after the session ended');
		await expectBoth(agent, 200, 'the host after the session ended (handling org unit)');
		await expectBoth(citizen.token, 200, 'the citizen after the session ended');
	});

	it('a document id of another case, an unknown id, or an unsigned case answer 404', async () => {
		const { citizen, kase, doc } = await caseInSession();
		const license = await serviceByCode(h, LICENSE);
		const own = await h.request('POST', '/api/cases', {
			token: citizen.token,
			body: { serviceId: license.id }
		});
		const second = (await own.json()).case as { id: string };
		const res = await fileOf(second.id, doc.id, citizen.token);
		expect(res.status).toBe(404);
		expect((await res.json()).error.code).toBe('not_found');
		expect((await fileOf(kase.id, 'no-such-document', citizen.token)).status).toBe(404);
		const unsigned = await signatureOf(second.id, citizen.token);
		expect(unsigned.status).toBe(404);
		expect(await auditRows('document.viewed')).toEqual([]);
	});
});

describe('what the file answer looks like', () => {
	it('JPEG, PNG and PDF come back byte for byte with their detected type, nosniff, no-store, inline with a UTF-8 name', async () => {
		const { citizen, kase, doc, photo } = await caseInSession();
		const png = await uploaded(citizen.token, kase.id, PREMISES, PNG, '租赁合同 第1页.png');
		const pdf = await uploaded(citizen.token, kase.id, PREMISES, PDF, 'lease "final".pdf');
		for (const [id, bytes, mime, disposition] of [
			[doc.id, photo, 'image/jpeg', `inline; filename="idcard.jpg"; filename*=UTF-8''idcard.jpg`],
			[
				png.id,
				PNG,
				'image/png',
				`inline; filename="____ _1_.png"; filename*=UTF-8''%E7%A7%9F%E8%B5%81%E5%90%88%E5%90%8C%20%E7%AC%AC1%E9%A1%B5.png`
			],
			[
				pdf.id,
				PDF,
				'application/pdf',
				`inline; filename="lease _final_.pdf"; filename*=UTF-8''lease%20_final_.pdf`
			]
		] as const) {
			const res = await fileOf(kase.id, id, citizen.token);
			expect(res.status).toBe(200);
			expect(res.headers.get('content-type')).toBe(mime);
			expect(res.headers.get('x-content-type-options')).toBe('nosniff');
			expect(res.headers.get('cache-control')).toBe('private, no-store');
			expect(res.headers.get('content-disposition')).toBe(disposition);
			expect(res.headers.get('content-length')).toBe(String(bytes.byteLength));
			expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);
		}
		const sig = await signatureOf(kase.id, citizen.token);
		expect(sig.headers.get('content-type')).toBe('image/png');
		expect(sig.headers.get('content-disposition')).toMatch(/^inline; /);
		expect(new Uint8Array(await sig.arrayBuffer())).toEqual(PNG);
	});

	it('a type the browser cannot show (a HEIC stored before HEIC was refused) is an attachment with a safe name', async () => {
		const { citizen, kase } = await caseInSession();
		const bytes = heif('heic', ['mif1', 'heic']);
		const sha256 = sha256Hex(bytes);
		await blobStoreOf(h.deps).put('documents', sha256, bytes);
		await h.store.run(
			`INSERT INTO case_documents (id, case_id, material, filename, mime, size, sha256, uploaded_by, created_at)
			 VALUES ('legacyheic', ?, ?, ?, 'image/heic', ?, ?, ?, ?)`,
			[
				kase.id,
				ID_PROOF,
				'身份证\r\n"背面"/..\\x.HEIC',
				bytes.byteLength,
				sha256,
				citizen.id,
				h.clock.now
			]
		);
		const res = await fileOf(kase.id, 'legacyheic', citizen.token);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('image/heic');
		expect(res.headers.get('content-disposition')).toBe(
			`attachment; filename="__________.._x.HEIC"; filename*=UTF-8''%E8%BA%AB%E4%BB%BD%E8%AF%81___%E8%83%8C%E9%9D%A2__.._x.HEIC`
		);
	});

	it('two rows sharing one stored file are each served under their own id and audited as themselves', async () => {
		const { citizen, kase, agent } = await caseInSession();
		const bytes = jpeg(42);
		const a = await uploaded(citizen.token, kase.id, ID_PROOF, bytes, 'front.jpg');
		const b = await uploaded(citizen.token, kase.id, PREMISES, bytes, 'same-photo.jpg');
		expect(a.id).not.toBe(b.id);
		expect(a.sha256).toBe(b.sha256);
		for (const [doc, name] of [
			[a, 'front.jpg'],
			[b, 'same-photo.jpg']
		] as const) {
			const res = await fileOf(kase.id, doc.id, agent);
			expect(res.status).toBe(200);
			expect(res.headers.get('content-disposition')).toContain(`filename="${name}"`);
			expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);
		}
		// the content hash is not an id
		expect((await fileOf(kase.id, a.sha256, agent)).status).toBe(404);
		expect((await auditRows('document.viewed')).map((r) => r.detail)).toEqual([
			{ documentId: a.id, material: ID_PROOF },
			{ documentId: b.id, material: PREMISES }
		]);
	});

	it('a file gone from storage answers 404 file_missing; storage that cannot be read answers 503', async () => {
		const { citizen, kase, doc } = await caseInSession();
		const other = await uploaded(citizen.token, kase.id, PREMISES, jpeg(7), 'other.jpg');
		// SQLite keeps the file in DATA_DIR/documents, PostgreSQL a row of document_blobs
		if (h.engine === 'sqlite') fs.rmSync(path.join(h.dir, 'documents', doc.sha256));
		else
			await h.store.run('DELETE FROM document_blobs WHERE kind = ? AND sha256 = ?', [
				'documents',
				doc.sha256
			]);
		const gone = await fileOf(kase.id, doc.id, citizen.token);
		expect(gone.status).toBe(404);
		expect((await gone.json()).error.code).toBe('file_missing');

		if (h.engine === 'sqlite') {
			const fault = Object.assign(new Error('EIO: i/o error, open'), {
				code: 'EIO',
				syscall: 'open'
			});
			vi.spyOn(fs.promises, 'open').mockRejectedValueOnce(fault);
		} else {
			// the server went away while the blob was read
			const fault = Object.assign(
				new Error('terminating connection due to administrator command'),
				{
					code: '57P01'
				}
			);
			vi.spyOn(blobStoreOf(h.deps), 'open').mockRejectedValueOnce(fault);
		}
		const broken = await fileOf(kase.id, other.id, citizen.token);
		expect(broken.status).toBe(503);
		expect((await broken.json()).error.code).toBe('storage_unavailable');
		// neither was a view
		expect(await auditRows('document.viewed')).toEqual([]);
		// and the disk is back
		expect((await fileOf(kase.id, other.id, citizen.token)).status).toBe(200);
	});
});

describe('two nodes of one hall', () => {
	/**
	 * A second app instance on the same database with a DATA_DIR of its own, as a second node
	 * behind a load balancer would be. On PostgreSQL the bytes are in the database (document_blobs),
	 * so the second node serves what the first one stored. A SQLite hall is one node: its
	 * documents are files beside its database file, and a node with another DATA_DIR has none.
	 */
	async function secondNode() {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-node2-'));
		const config = loadConfig({
			DATA_DIR: dir,
			NODE_ENV: 'test',
			SMS_GATEWAY: 'log',
			...(h.deps.config.databaseUrl ? { DATABASE_URL: h.deps.config.databaseUrl } : {})
		});
		const engine = config.databaseUrl
			? openPostgresEngine(config.databaseUrl, { poolSize: 2 })
			: sqliteEngine(openDatabase(h.deps.config.databasePath));
		const app = createApp({ ...h.deps, engine, store: engine.store, config });
		return {
			dir,
			get: (url: string, token: string) =>
				Promise.resolve(
					app.request(url, { headers: { authorization: `Bearer ${token}` } }, { ip: '203.0.113.8' })
				),
			post: (url: string, token: string, body: FormData) =>
				Promise.resolve(
					app.request(
						url,
						{ method: 'POST', body, headers: { authorization: `Bearer ${token}` } },
						{ ip: '203.0.113.8' }
					)
				),
			async close() {
				await engine.close();
				fs.rmSync(dir, { recursive: true, force: true });
			}
		};
	}

	it('a document and a signature stored through one node are served by another with its own DATA_DIR (PostgreSQL)', async () => {
		const { citizen, kase, doc, agent } = await caseInSession();
		const node2 = await secondNode();
		try {
			expect(node2.dir).not.toBe(h.dir);
			const file = await node2.get(`/api/cases/${kase.id}/documents/${doc.id}/file`, agent);
			const signature = await node2.get(`/api/cases/${kase.id}/signature/file`, citizen.token);
			if (h.engine === 'postgres') {
				expect(file.status).toBe(200);
				const bytes = new Uint8Array(await file.arrayBuffer());
				expect(bytes).toEqual(jpeg(1));
				expect(sha256Hex(bytes)).toBe(doc.sha256);
				expect(file.headers.get('content-length')).toBe(String(bytes.byteLength));
				expect(signature.status).toBe(200);
				expect(new Uint8Array(await signature.arrayBuffer())).toEqual(PNG);
				// and the bytes never went to either node's folder
				expect(fs.existsSync(path.join(h.dir, 'documents', doc.sha256))).toBe(false);
				expect(fs.existsSync(path.join(node2.dir, 'documents'))).toBe(false);
				// a document uploaded through the second node is served by the first
				const other = jpeg(99);
				const form = new FormData();
				form.set('material', PREMISES);
				form.set('file', new File([other as Uint8Array<ArrayBuffer>], 'premises.jpg'));
				const created = await node2.post(`/api/cases/${kase.id}/documents`, citizen.token, form);
				expect(created.status).toBe(201);
				const { id } = (await created.json()).document as { id: string };
				const back = await fileOf(kase.id, id, agent);
				expect(back.status).toBe(200);
				expect(new Uint8Array(await back.arrayBuffer())).toEqual(other);
			} else {
				// the SQLite hall's bytes are in the first node's folder only
				expect(file.status).toBe(404);
				expect((await file.json()).error.code).toBe('file_missing');
				expect(signature.status).toBe(404);
				expect(fs.existsSync(path.join(h.dir, 'documents', doc.sha256))).toBe(true);
			}
		} finally {
			await node2.close();
		}
	});
});

describe('every view is audited', () => {
	it('writes document.viewed with the case as target and the document id and material, never the content', async () => {
		const { citizen, kase, doc, agent } = await caseInSession();
		await fileOf(kase.id, doc.id, agent);
		await fileOf(kase.id, doc.id, citizen.token);
		await signatureOf(kase.id, agent);
		const rows = await auditRows('document.viewed');
		expect(rows).toEqual([
			expect.objectContaining({
				actor_name: '李静',
				target_type: 'case',
				target_id: kase.id,
				detail: { documentId: doc.id, material: ID_PROOF }
			}),
			expect.objectContaining({
				actor_name: '材料群众',
				detail: { documentId: doc.id, material: ID_PROOF }
			}),
			expect.objectContaining({
				actor_name: '李静',
				detail: { documentId: null, material: 'signature' }
			})
		]);
		// the audit chain still verifies
		const { verifyAuditChain } = await import('../../server/audit/audit.ts');
		expect(await verifyAuditChain(h.deps)).toMatchObject({ ok: true });
	});
});

describe('reviewing materials (材料审核)', () => {
	it('refuses bad input naming the field, and changes nothing', async () => {
		const { agent, citizen, kase, doc } = await caseInSession();
		for (const [body, field] of [
			[{ verdict: 'reupload' }, 'reason'],
			[{ verdict: 'reupload', reason: '   ' }, 'reason'],
			[{ verdict: 'reupload', reason: '模'.repeat(201) }, 'reason'],
			[{ verdict: 'maybe', reason: '看不清' }, 'verdict'],
			[{}, 'verdict']
		] as const) {
			const res = await reviewOf(kase.id, doc.id, agent, body);
			expect(res.status, JSON.stringify(body)).toBe(400);
			const error = (await res.json()).error;
			expect(error.code).toBe('validation_failed');
			expect(Object.keys(error.fields)).toEqual([field]);
		}
		const after = await caseAs(citizen.token, kase.id);
		expect(after.documents[0].review).toBeNull();
		expect(after.timeline.map((e) => e.type)).not.toContain('document.reviewed');
		expect(await auditRows('document.reviewed')).toEqual([]);
	});

	it('only staff who may see the case review; the citizen and other roles get 403, other districts 404', async () => {
		const { citizen, kase, doc } = await caseInSession();
		const body = { verdict: 'accepted' };
		expect((await reviewOf(kase.id, doc.id, citizen.token, body)).status).toBe(403);
		expect((await reviewOf(kase.id, doc.id, await h.loginAs('supervisor'), body)).status).toBe(403);
		const elsewhere = await newStaff(h, {
			username: 'lc-agent',
			role: 'agent',
			orgUnitId: await orgUnitId('370213')
		});
		expect((await reviewOf(kase.id, doc.id, elsewhere, body)).status).toBe(404);
		expect((await reviewOf(kase.id, doc.id, await h.loginAs('township'), body)).status).toBe(404);
		expect((await caseAs(citizen.token, kase.id)).documents[0].review).toBeNull();
	});

	it('请重新上传 with a reason reaches the citizen (case JSON, timeline, live events); a new upload is pending again', async () => {
		const { agent, citizen, kase, doc } = await caseInSession();
		const reason = '照片模糊，请拍清楚身份证号码';
		const res = await reviewOf(kase.id, doc.id, agent, {
			verdict: 'reupload',
			reason: ` ${reason} `
		});
		expect(res.status).toBe(200);
		const review = {
			verdict: 'reupload',
			reason,
			reviewerName: '李静',
			reviewerId: await userIdOf(agent),
			at: expect.stringMatching(/^2026-11-26T09:00:00(\.000)?\+08:00$/)
		};
		expect((await res.json()).document.review).toEqual(review);

		const seen = await caseAs(citizen.token, kase.id);
		expect(seen.documents.find((d) => d.id === doc.id)!.review).toEqual(review);
		expect(seen.timeline.find((e) => e.type === 'document.reviewed')).toMatchObject({
			actorName: '李静',
			payload: { documentId: doc.id, material: ID_PROOF, verdict: 'reupload', reason }
		});

		// the citizen's open form hears it on the case's event stream
		const stream = await h.request('GET', `/api/cases/${kase.id}/events?lastEventId=0`, {
			token: citizen.token
		});
		expect(stream.headers.get('content-type')).toMatch(/text\/event-stream/);
		const reader = stream.body!.getReader();
		let text = '';
		while (!text.includes('event: document.reviewed')) {
			const { value, done } = await reader.read();
			if (done) break;
			text += new TextDecoder().decode(value);
		}
		await reader.cancel();
		const line = text
			.split('\n\n')
			.find((block) => block.includes('event: document.reviewed'))!
			.split('\n')
			.find((l) => l.startsWith('data: '))!;
		expect(JSON.parse(line.slice(6)).payload).toEqual({
			documentId: doc.id,
			material: ID_PROOF,
			verdict: 'reupload',
			reason
		});

		// the citizen uploads again: the new document is pending, the old one keeps its verdict
		h.clock.advance(60_000);
		const again = await uploaded(citizen.token, kase.id, ID_PROOF, jpeg(2), 'idcard-clear.jpg');
		expect(again.review).toBeNull();
		const now = await caseAs(citizen.token, kase.id);
		const forMaterial = now.documents.filter((d) => d.material === ID_PROOF);
		expect(forMaterial.map((d) => [d.id, d.review?.verdict ?? 'pending'])).toEqual([
			[doc.id, 'reupload'],
			[again.id, 'pending']
		]);

		// 合格 needs no reason; a later verdict replaces the earlier one
		const ok = await reviewOf(kase.id, again.id, agent, { verdict: 'accepted' });
		expect((await ok.json()).document.review).toMatchObject({ verdict: 'accepted', reason: null });
		expect((await auditRows('document.reviewed')).map((r) => r.detail)).toEqual([
			{ documentId: doc.id, material: ID_PROOF, verdict: 'reupload', reason },
			{ documentId: again.id, material: ID_PROOF, verdict: 'accepted', reason: null }
		]);
		expect((await auditRows('document.reviewed'))[0]).toMatchObject({
			actor_name: '李静',
			target_type: 'case',
			target_id: kase.id
		});
	});

	it('staff of the handling org unit review after the session; a decided case is locked', async () => {
		const { agent, session, kase, doc } = await caseInSession();
		await h.request('POST', `/api/video-sessions/${session.id}/end`, { token: agent });
		const colleague = await newStaff(h, {
			username: 'jz-reviewer',
			role: 'agent',
			orgUnitId: await orgUnitId('370281')
		});
		const res = await reviewOf(kase.id, doc.id, colleague, { verdict: 'accepted' });
		expect(res.status).toBe(200);
		await h.store.run(`UPDATE cases SET status = 'completed' WHERE id = ?`, [kase.id]);
		const locked = await reviewOf(kase.id, doc.id, colleague, {
			verdict: 'reupload',
			reason: '晚了'
		});
		expect(locked.status).toBe(409);
		expect((await locked.json()).error.code).toBe('case_locked');
	});
});

describe('HEIC photos', () => {
	it('are refused with 415 heic_not_supported and what to do instead; nothing is stored', async () => {
		const citizen = await newCitizen(h);
		const license = await serviceByCode(h, LICENSE);
		const kase = (
			await (
				await h.request('POST', '/api/cases', {
					token: citizen.token,
					body: { serviceId: license.id }
				})
			).json()
		).case as { id: string };
		for (const bytes of [heif('heic', ['mif1', 'heic', 'miaf']), heif('mif1', ['heic', 'miaf'])]) {
			const res = await upload(citizen.token, kase.id, ID_PROOF, bytes, 'IMG_0001.HEIC');
			expect(res.status).toBe(415);
			const error = (await res.json()).error;
			expect(error.code).toBe('heic_not_supported');
			expect(error.message).toContain('Most Compatible');
			expect(error.message).toContain('screenshot');
			expect(error.fields).toEqual({ file: expect.any(String) });
		}
		// an AVIF is not a HEIC: it is simply not a type we take
		const avif = await upload(
			citizen.token,
			kase.id,
			ID_PROOF,
			heif('mif1', ['avif', 'miaf']),
			'a.avif'
		);
		expect((await avif.json()).error.code).toBe('unsupported_type');
		expect((await caseAs(citizen.token, kase.id)).documents).toEqual([]);
		expect(await blobStoreOf(h.deps).list('documents')).toEqual([]);
		// the pages say it in both languages
		expect(zhCN['error.heic_not_supported']).toContain('兼容性最佳');
		expect(zhCN['error.heic_not_supported']).toContain('截屏');
		expect(en['error.heic_not_supported']).toContain('Most Compatible');
	});
});
