// Staff two-factor sign-in: the code from an authenticator app after the password.
// English: exactly the keys of ../zh-CN/two-factor.ts (the type below says so).
import type zh from '../zh-CN/two-factor.ts';

export default {
	'twoFactor.title': 'Two-factor sign-in',
	'twoFactor.verifyLead': '{name}, enter the 6-digit code your authenticator app shows.',
	'twoFactor.code': 'Sign-in code',
	'twoFactor.codeHint':
		'Your authenticator app (such as Microsoft Authenticator or Google Authenticator) shows a new one every 30 seconds',
	'twoFactor.verify': 'Verify and sign in',
	'twoFactor.useRecovery': 'Lost your phone? Use a recovery code',
	'twoFactor.useCode': 'Use a code from the app',
	'twoFactor.recoveryCode': 'Recovery code',
	'twoFactor.recoveryHint':
		'One of the recovery codes you saved when setting up; each works only once',
	'twoFactor.recover': 'Sign in with the recovery code',
	'twoFactor.enrolTitle': 'Set up two-factor sign-in',
	'twoFactor.enrolLead':
		'{name}, your account signs in with an authenticator app on your phone as well as the password (MLPS 2.0). You set it up once.',
	'twoFactor.start': 'Start',
	'twoFactor.scan': 'Step 1: scan the QR code with your authenticator app',
	'twoFactor.qrAlt': 'QR code for your authenticator app',
	'twoFactor.secretLabel': 'If you cannot scan it, type this key into the app:',
	'twoFactor.enterCode': 'Step 2: enter the 6-digit code the app shows',
	'twoFactor.confirm': 'Confirm and turn on',
	'twoFactor.recoveryTitle': 'Save your recovery codes',
	'twoFactor.recoveryLead':
		'If you lose your phone, each of these codes signs you in once. They are shown only now: write them down or print them and keep them safe.',
	'twoFactor.saved': 'I have saved them, continue',
	'twoFactor.continue': 'Continue',
	'twoFactor.signOut': 'Sign out',
	'twoFactor.error.wrongCode': 'The code is wrong or has expired; enter the one the app shows now',
	'twoFactor.error.used': 'This code was used already; wait for the next one in the app',
	'twoFactor.error.wrongRecovery': 'The recovery code is wrong or was used already',
	'twoFactor.error.locked_one':
		'Too many wrong attempts: the account is locked, try again in {count} minute',
	'twoFactor.error.locked_other':
		'Too many wrong attempts: the account is locked, try again in {count} minutes',
	'twoFactor.error.format': 'Enter the 6 digits of the code',
	'twoFactor.error.expired': 'The sign-in timed out; enter your password again',
	'twoFactor.error.generic': 'Verification did not work; please try again later'
} satisfies Record<keyof typeof zh, string>;
