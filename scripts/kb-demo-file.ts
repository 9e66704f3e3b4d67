// `node scripts/kb-demo-file.ts [--check]`: writes data/kb/demo-kb.jsonl, the demo knowledge base
// (every demo service item as an entry, then the demo FAQs), from server/demo/. With --check it
// writes nothing and exits 1 when the file is out of date (a unit test checks the same).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoKnowledgeBase } from '../server/demo/faqs.ts';
import { formatKbJsonl } from '../shared/schemas/kb.ts';

const file = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'data/kb/demo-kb.jsonl');
const content = formatKbJsonl(demoKnowledgeBase());

if (process.argv.includes('--check')) {
	const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
	if (current !== content) {
		console.error(`${file} is out of date: run node scripts/kb-demo-file.ts`);
		process.exit(1);
	}
	console.log(`${file} is up to date`);
} else {
	fs.mkdirSync(path.dirname(file), { recursive: true });
	fs.writeFileSync(file, content);
	console.log(`wrote ${file} (${content.split('\n').length - 1} entries)`);
}
