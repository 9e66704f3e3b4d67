// `npm run demo:code`: the current sign-in code of the demo staff accounts' authenticator secret
// (DEMO_TOTP_SECRET in server/demo/hall.ts), for trying the demo hall without an authenticator app.
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { DEMO_TOTP_SECRET } from '../server/demo/hall.ts';
import { TOTP_PERIOD_SECONDS, totpCode, totpStep } from '../server/auth/two-factor.ts';

const now = Date.now();
const step = totpStep(now);
const left = Math.ceil(((step + 1) * TOTP_PERIOD_SECONDS * 1000 - now) / 1000);
console.log(totpCode(decodeBase32IgnorePadding(DEMO_TOTP_SECRET), step));
console.error(
	`(demo staff accounts only; valid for ${left} s more, and 30 s either side; each code signs in once)`
);
