// `npm run kb:import -- <file.jsonl>`: import FAQ entries into the hall's knowledge base.
// Each line is {"id", "title", "body", "tags"?, "serviceCode"?}. All-or-nothing: a bad line is
// reported with its number and nothing is imported (exit code 1).
import { openScriptDeps } from '../server/script-deps.ts';
import fs from 'node:fs';
import { loadConfig } from '../server/config.ts';
import { importFaqs } from '../server/assistant/faqs.ts';

const file = process.argv[2];
if (!file || file.startsWith('-')) {
	console.error('usage: npm run kb:import -- <file.jsonl>');
	process.exit(2);
}
let content: string;
try {
	content = fs.readFileSync(file, 'utf8');
} catch (err) {
	console.error(`cannot read ${file}: ${(err as Error).message}`);
	process.exit(2);
}
if (fs.existsSync('.env')) process.loadEnvFile('.env');
const config = loadConfig();
/** the database written, named without its password */
const where = config.databaseUrl ? withoutPassword(config.databaseUrl) : config.databasePath;
function withoutPassword(url: string): string {
	try {
		const u = new URL(url);
		u.password = '';
		return u.toString();
	} catch {
		return 'the PostgreSQL database';
	}
}
const deps = await openScriptDeps(config);
const report = await importFaqs(deps, null, content);
await deps.engine.close();
if (!report.applied) {
	for (const r of report.rejected) console.error(`${file}:${r.line}: ${r.field}: ${r.message}`);
	console.error(`nothing imported: ${report.rejected.length} bad line(s)`);
	process.exit(1);
}
console.log(
	`imported ${report.total} entries into ${where}: ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged`
);
