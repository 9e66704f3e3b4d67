// Runs in the browser before any page module. The pages' Content-Security-Policy forbids eval
// (script-src has no 'unsafe-eval': svelte.config.js), and zod, which some pages load with the
// shared schemas, probes for it with `new Function('')` when its first object schema is built.
// The probe's error is caught, but the browser still reports a CSP violation; jitless mode skips
// the probe and parses without generated code. Set through zod's global configuration object
// (zod/v4/core keeps it on globalThis and adopts one that exists), so that pages which never
// parse anything do not download zod for this line.
const zodGlobal = globalThis as { __zod_globalConfig?: { jitless?: boolean } };
zodGlobal.__zod_globalConfig = { ...zodGlobal.__zod_globalConfig, jitless: true };
