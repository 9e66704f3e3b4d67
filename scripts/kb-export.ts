// `npm run kb:export -- <file.jsonl>`: writes the hall's knowledge base as it answers from it
// (every service item as an entry, the FAQs, and the questions staff linked to each in the
// learning queue as its `paraphrases`) to a KB file, for `npm run kb:eval -- --kb <file>`: the
// evaluation then measures what citizens get, paraphrases included.
import fs from 'node:fs';
import { openScriptDeps } from '../server/script-deps.ts';
import { loadConfig } from '../server/config.ts';
import { kbFileEntries } from '../server/assistant/kb.ts';
import { formatKbJsonl } from '../shared/schemas/kb.ts';

const file = process.argv[2];
if (!file || file.startsWith('-')) {
	console.error('usage: npm run kb:export -- <file.jsonl>');
	process.exit(2);
}
if (fs.existsSync('.env')) process.loadEnvFile('.env');
const deps = await openScriptDeps(loadConfig());
const entries = await kbFileEntries(deps.store);
await deps.engine.close();
fs.writeFileSync(file, formatKbJsonl(entries));
const linked = entries.reduce((n, e) => n + (e.paraphrases?.length ?? 0), 0);
console.log(`wrote ${entries.length} entries (${linked} linked questions) to ${file}`);
