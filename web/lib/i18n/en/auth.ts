// Signing in and registering.
// English: exactly the keys of ../zh-CN/auth.ts (the type below says so).
import type zh from '../zh-CN/auth.ts';

export default {
	'login.title': 'Sign in',
	'login.idleSignedOut':
		'You were signed out after a while without activity, to keep the account safe. Sign in again to carry on.',
	'login.login': 'Phone number or staff username',
	'login.loginHint': 'Citizens: the 11-digit phone number you registered with',
	'login.password': 'Password',
	'login.submit': 'Sign in',
	'login.noAccount': 'No account yet?',
	'login.register': 'Register',

	'register.title': 'Register as a citizen',
	'register.phone': 'Phone number',
	'register.phoneHint': '11-digit mobile number, used to sign in and for notifications',
	'register.name': 'Full name',
	'register.password': 'Password',
	'register.passwordHint': 'At least 8 characters',
	'register.confirm': 'Repeat password',
	'register.submit': 'Register and sign in',
	'register.haveAccount': 'Already registered?',
	'register.login': 'Sign in',
	'smsCode.send': 'Get code',
	'smsCode.resend': 'Send a new code',
	'smsCode.resendIn': 'New code in {seconds} s',
	'smsCode.sent':
		'A text message went to {phone}; the code is valid for {minutes} minutes. Nothing came? Check the number and ask again in a moment.',
	'smsCode.code': 'Code from the text message',
	'smsCode.codeHint': '6 digits; tap "Get code" first',

	'reset.title': 'Forgot password',
	'reset.intro':
		'Get a code on the phone you registered with, set a new password and you are signed in. Sign-ins on other devices end at the same time.',
	'reset.phoneHint': 'The 11-digit mobile number you registered with',
	'reset.password': 'New password',
	'reset.submit': 'Reset password and sign in',
	'reset.backToLogin': 'Remembered it? Sign in',
	'reset.staffHint': "Staff who forgot their password: ask your unit's administrator to reset it.",

	'register.mismatch': 'The two passwords differ'
} satisfies Record<keyof typeof zh, string>;
