import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);

it('the wait-estimate simulation replays a morning and prints its mean absolute error', async () => {
	const script = path.resolve(import.meta.dirname, '../../scripts/simulate-queue.ts');
	// generous for a slow, busy 2-core machine; a hung script is killed and fails the test
	const { stdout } = await run(process.execPath, [script, '--seed', '3', '--hours', '1'], {
		timeout: 90_000
	});
	const tickets = Number(/tickets: (\d+)/.exec(stdout)?.[1]);
	const mae = Number(/mean absolute error: ([\d.]+) min/.exec(stdout)?.[1]);
	expect(tickets).toBeGreaterThan(5);
	expect(Number.isFinite(mae)).toBe(true);
	expect(mae).toBeGreaterThanOrEqual(0);
}, 120_000);
