// How scripts and tests start a production build: as `npm start` does, through the front door
// (server/front-door.ts: /api beside SvelteKit rather than through it). APP_ENTRY=adapter-node
// starts adapter-node's own server (`node <build>/index.js`), which still works (the hook serves
// /api there): the "before" of the front door's figures in `npm run bench:http`.
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

/** The arguments for `node` that start the build in buildDir. */
export function appEntry(buildDir: string): string[] {
	return process.env.APP_ENTRY === 'adapter-node'
		? [path.join(buildDir, 'index.js')]
		: [path.join(root, 'server', 'front-door.ts'), buildDir];
}
