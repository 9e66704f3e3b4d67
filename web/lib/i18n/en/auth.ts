// Signing in and registering.
// English: exactly the keys of ../zh-CN/auth.ts (the type below says so).
import type zh from '../zh-CN/auth.ts';

export default {
	'login.title': 'Sign in',
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
	'register.mismatch': 'The two passwords differ'
} satisfies Record<keyof typeof zh, string>;
