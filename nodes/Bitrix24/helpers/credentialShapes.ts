import type { INodeCredentialTestResult } from 'n8n-workflow';

/**
 * Shape checks for the outgoing webhook's application token, which no Bitrix24 endpoint can validate, and for the
 * inbound webhook URL. Pure; the trigger node returns the token check from its `credentialTest` method.
 */

// Inferred from the tokens Bitrix24 shows (32 lowercase letters and digits); kept loose on purpose.
const APPLICATION_TOKEN_SHAPE = /^[A-Za-z0-9_-]{16,128}$/;

export function checkBitrix24ApplicationToken(token: unknown): INodeCredentialTestResult {
	if (typeof token !== 'string' || token.length === 0) {
		return {
			status: 'Error',
			message: 'Enter the application token Bitrix24 shows for the outgoing webhook',
		};
	}
	if (!APPLICATION_TOKEN_SHAPE.test(token)) {
		return {
			status: 'Error',
			message:
				'The application token must be 16 to 128 letters, digits, "-" or "_", without spaces: copy it again from Bitrix24',
		};
	}
	return {
		status: 'OK',
		message: 'The token has a valid shape. Bitrix24 cannot check it: trigger a test event.',
	};
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Bitrix24's cloud portals: `<name>.bitrix24.<zone>` (com, eu, de, ru, com.br, co, in…). */
const CLOUD_HOST = /(^|\.)bitrix24\.[a-z]{2,3}(\.[a-z]{2})?$/i;

export type Bitrix24WebhookUrlCheck = { ok: true; url: string } | { ok: false; reason: string };

/**
 * `https://{portal}/rest/{userId}/{code}/` on a Bitrix24 cloud host, or on any host once the credential says the
 * portal is self-hosted (opt-in, so a mistyped or pasted foreign host never receives the webhook code); plain http
 * only on loopback (tests and the demo), since the URL itself is the secret. The reason never repeats the URL.
 */
export function checkBitrix24WebhookUrl(value: unknown, options: { selfHosted?: boolean } = {}): Bitrix24WebhookUrlCheck {
	const text = typeof value === 'string' ? value.trim() : '';
	if (!text) return { ok: false, reason: 'it is empty' };
	let parsed: URL;
	try {
		parsed = new URL(text);
	} catch {
		return { ok: false, reason: 'it is not a URL' };
	}
	if (parsed.protocol === 'http:') {
		if (!LOOPBACK_HOSTS.has(parsed.hostname)) {
			return { ok: false, reason: 'it must start with https:// (http is allowed only for 127.0.0.1, localhost and ::1)' };
		}
	} else if (parsed.protocol !== 'https:') {
		return { ok: false, reason: 'it must start with https://' };
	}
	if (!LOOPBACK_HOSTS.has(parsed.hostname) && !options.selfHosted && !CLOUD_HOST.test(parsed.hostname)) {
		return {
			ok: false,
			reason:
				'its host is not a Bitrix24 cloud portal (name.bitrix24.com, .eu, .de, .ru…); for a self-hosted portal on its own domain, turn on "Self-Hosted Portal"',
		};
	}
	if (parsed.username || parsed.password) return { ok: false, reason: 'it must not contain a user name or password' };
	if (parsed.search || parsed.hash) return { ok: false, reason: 'it must not contain a query string or fragment' };
	if (!/^\/rest\/\d+\/[A-Za-z0-9]+\/?$/.test(parsed.pathname)) {
		return { ok: false, reason: 'its path must be /rest/<user id>/<webhook code>/, with no method name after it' };
	}
	const path = parsed.pathname.endsWith('/') ? parsed.pathname : `${parsed.pathname}/`;
	return { ok: true, url: `${parsed.protocol}//${parsed.host}${path}` };
}
