// Runs in the browser before any page module. The pages' Content-Security-Policy forbids eval
// (script-src has no 'unsafe-eval': svelte.config.js), and zod, which the pages load with the
// shared schemas, probes for it with `new Function('')` when its first object schema is built.
// The probe's error is caught, but the browser still reports a CSP violation; jitless mode skips
// the probe and parses without generated code.
import { config } from 'zod/v4/core';

config({ jitless: true });
