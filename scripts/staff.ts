// `npm run staff -- create --username u --name 姓名 --role agent --org 370281 [--password ...]`
// `npm run staff -- list`
// `npm run staff -- reset-2fa --username u` (a lost phone: the authenticator and recovery codes go,
// every session ends; the next sign-in sets up a new authenticator)
// Creates staff accounts from the command line (the admin page does the same). The password is
// read from STAFF_PASSWORD or prompted, never echoed or logged.
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline/promises';
import { loadConfig } from '../server/config.ts';
import { createStaff, listOrgUnits, listStaff } from '../server/accounts/accounts.ts';
import { AppError } from '../server/http/errors.ts';
import { runAs } from '../server/audit/context.ts';
import { resetTwoFactor } from '../server/auth/two-factor.ts';
import { openScriptDeps } from '../server/script-deps.ts';
import { StaffCreateInput } from '../shared/schemas/auth.ts';

if (fs.existsSync('.env')) process.loadEnvFile('.env');
const { positionals, values } = parseArgs({
	allowPositionals: true,
	options: {
		username: { type: 'string' },
		name: { type: 'string' },
		role: { type: 'string' },
		org: { type: 'string', description: 'org unit code or id' }
	}
});
const config = loadConfig();
const deps = await openScriptDeps(config);

async function readPassword(): Promise<string> {
	if (process.env.STAFF_PASSWORD) return process.env.STAFF_PASSWORD;
	const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
	const answer = await rl.question('Initial password: ');
	rl.close();
	return answer;
}

try {
	if (positionals[0] === 'list') {
		for (const s of await listStaff(deps))
			console.log(`${s.username}\t${s.role}\t${s.name}\t${s.orgUnitId}`);
	} else if (positionals[0] === 'create') {
		const org = (await listOrgUnits(deps)).find(
			(o) => o.code === values.org || o.id === values.org
		);
		const parsed = StaffCreateInput.safeParse({
			username: values.username,
			name: values.name,
			role: values.role,
			orgUnitId: org?.id ?? values.org ?? '',
			password: await readPassword()
		});
		if (!parsed.success) {
			for (const i of parsed.error.issues) console.error(`${i.path.join('.')}: ${i.message}`);
			process.exit(2);
		}
		// recorded in the audit log as the command line, with the operating-system user
		const user = await runAs({ user: null, ip: `cli:${os.userInfo().username}` }, () =>
			createStaff(deps, parsed.data)
		);
		console.log(`created ${user.role} ${user.username} (${user.name})`);
	} else if (positionals[0] === 'reset-2fa' && values.username) {
		const username = values.username;
		const { user, sessionsEnded } = await runAs(
			{ user: null, ip: `cli:${os.userInfo().username}` },
			() => resetTwoFactor(deps, username)
		);
		console.log(
			`two-factor sign-in reset for ${user.username} (${user.name}); ${sessionsEnded} session(s) ended`
		);
	} else {
		console.error(
			'usage: npm run staff -- list | create --username U --name N --role agent|township|supervisor|admin --org CODE | reset-2fa --username U'
		);
		process.exit(2);
	}
} catch (err) {
	if (err instanceof AppError) {
		console.error(
			`${err.code}: ${err.message}${err.fields ? ' ' + JSON.stringify(err.fields) : ''}`
		);
		process.exit(1);
	}
	throw err;
} finally {
	await deps.engine.close();
}
