import { checkBitrix24ApplicationToken, checkBitrix24WebhookUrl } from '../../../nodes/Bitrix24/helpers/credentialShapes';
import { checkRecocoWebhookSecret } from '../../../nodes/Recoco/helpers/webhookSecret';

describe('Bitrix24 inbound webhook URL shape', () => {
	it.each([
		['https://example.bitrix24.com/rest/1/abcdef0123456789/', 'https://example.bitrix24.com/rest/1/abcdef0123456789/'],
		['  https://example.bitrix24.eu/rest/1/abc123  ', 'https://example.bitrix24.eu/rest/1/abc123/'],
		['https://example.bitrix24.com.br/rest/1/abc123/', 'https://example.bitrix24.com.br/rest/1/abc123/'],
		['https://example.bitrix24.com:8443/rest/1/abc123/', 'https://example.bitrix24.com:8443/rest/1/abc123/'],
	])('accepts https on a cloud host: %s', (input, normalised) => {
		expect(checkBitrix24WebhookUrl(input)).toEqual({ ok: true, url: normalised });
	});

	it('accepts a self-hosted portal\'s own domain only once the credential opts in, never repeating the code', () => {
		const url = 'https://crm.example.org/rest/17/Zx9k2secret/';
		const refused = checkBitrix24WebhookUrl(url);
		expect(refused.ok).toBe(false);
		if (!refused.ok) expect(refused.reason).toContain('Self-Hosted Portal');
		expect(JSON.stringify(refused)).not.toContain('Zx9k2secret');
		expect(checkBitrix24WebhookUrl('https://bitrix24.com.evil.example/rest/1/abc123/').ok).toBe(false);
		expect(checkBitrix24WebhookUrl(url, { selfHosted: true })).toEqual({ ok: true, url });
	});

	it.each([
		'http://127.0.0.1:40123/rest/1/demo0code/',
		'http://localhost:8080/rest/1/demo0code/',
		'http://[::1]:9000/rest/1/demo0code/',
	])('accepts plain http on loopback hosts: %s', (input) => {
		expect(checkBitrix24WebhookUrl(input).ok).toBe(true);
	});

	it('refuses plain http to a public host, without repeating the URL', () => {
		const check = checkBitrix24WebhookUrl('http://example.bitrix24.com/rest/1/secretcode123/');
		expect(check.ok).toBe(false);
		expect(JSON.stringify(check)).not.toContain('secretcode123');
	});

	it.each([
		['https://example.bitrix24.com/rest/1/abc123/crm.item.list.json', 'path'],
		['https://example.bitrix24.com/rest/abc123/', 'path'],
		['https://example.bitrix24.com/rest/1/', 'path'],
		['https://example.bitrix24.com/', 'path'],
		['https://example.bitrix24.com/rest/1/abc123/?auth=x', 'query'],
		['https://user:pw@example.bitrix24.com/rest/1/abc123/', 'user name'],
		['ftp://example.bitrix24.com/rest/1/abc123/', 'https'],
		['example.bitrix24.com/rest/1/abc123/', 'not a URL'],
		['', 'empty'],
	])('refuses %s', (input, reason) => {
		const check = checkBitrix24WebhookUrl(input);
		expect(check.ok).toBe(false);
		if (!check.ok) expect(check.reason).toContain(reason);
	});

	it('refuses a non-string value', () => {
		expect(checkBitrix24WebhookUrl(undefined).ok).toBe(false);
	});
});

describe('Recoco webhook secret shape', () => {
	it('accepts 12 characters or more', () => {
		expect(checkRecocoWebhookSecret('abcdefghijkl').status).toBe('OK');
		expect(checkRecocoWebhookSecret('a much longer shared secret 123').status).toBe('OK');
	});

	it('refuses fewer than 12 characters, saying how many there are', () => {
		expect(checkRecocoWebhookSecret('abcdefghijk')).toEqual({
			status: 'Error',
			message: 'The webhook secret must be at least 12 characters long (it has 11)',
		});
	});

	it('refuses an empty or missing secret, and surrounding spaces that would break the HMAC', () => {
		expect(checkRecocoWebhookSecret('').status).toBe('Error');
		expect(checkRecocoWebhookSecret(undefined).status).toBe('Error');
		expect(checkRecocoWebhookSecret(' abcdefghijklmnop').status).toBe('Error');
	});

	it('never echoes the secret', () => {
		expect(checkRecocoWebhookSecret('short-one').message).not.toContain('short-one');
	});
});

describe('Bitrix24 application token shape', () => {
	it('accepts a 32-character token like the ones Bitrix24 shows', () => {
		expect(checkBitrix24ApplicationToken('j8rhpxjqkz6ejwfi9hrh1vjzmcgtx0hg').status).toBe('OK');
	});

	it.each(['', 'too-short', 'has spaces in the middle of it', 'x'.repeat(129)])('refuses %j', (token) => {
		expect(checkBitrix24ApplicationToken(token).status).toBe('Error');
	});

	it('refuses a missing token', () => {
		expect(checkBitrix24ApplicationToken(undefined).status).toBe('Error');
	});
});
