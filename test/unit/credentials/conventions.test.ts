import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';

import type { ICredentialType, INodeProperties } from 'n8n-workflow';

const root = join(__dirname, '..', '..', '..');
const credentialsDir = join(root, 'credentials');
const files = readdirSync(credentialsDir).filter((file) => file.endsWith('.credentials.ts'));
const pkg = require(join(root, 'package.json')) as { n8n: { credentials: string[] } };

// Same idea as n8n's lint rule (credential-password-field), without its exclusions: a value that is a secret
// must be masked whatever its name says. A `…Url` is an address (tokenUrl) unless it says it is secret.
const SECRET_NAME = /password|secret|token|apikey|cookie/i;
const isSecretName = (name: string) => SECRET_NAME.test(name) && (!/url$/i.test(name) || /secret/i.test(name));

function load(file: string): { className: string; type: ICredentialType } {
	const className = basename(file).split('.')[0];
	const module = require(join(credentialsDir, file)) as Record<string, new () => ICredentialType>;
	return { className, type: new module[className]() };
}

describe('credential files', () => {
	it('are exactly the ones package.json declares', () => {
		expect(files.map((file) => `dist/credentials/${file.replace(/\.ts$/, '.js')}`).sort()).toEqual([...pkg.n8n.credentials].sort());
	});

	it.each(files)('%s: class name = file basename, name = class name with a lower-case first letter', (file) => {
		const { className, type } = load(file);
		expect(type.constructor.name).toBe(className);
		expect(type.name).toBe(className.charAt(0).toLowerCase() + className.slice(1));
		expect(type.displayName).toMatch(/ API$/);
	});

	it.each(files)('%s: every secret property is a password field, icons are themed, docs linked', (file) => {
		const { type } = load(file);
		const secrets = type.properties.filter((property: INodeProperties) => isSecretName(property.name));
		expect(secrets.length).toBeGreaterThan(0);
		for (const property of secrets) expect([property.name, property.typeOptions?.password]).toEqual([property.name, true]);
		expect(type.icon).toEqual({
			light: expect.stringMatching(/^file:\.\.\/icons\/[a-z0-9]+\.svg$/),
			dark: expect.stringMatching(/^file:\.\.\/icons\/[a-z0-9]+\.dark\.svg$/),
		});
		expect(type.documentationUrl).toMatch(/^https:\/\//);
	});

	it.each(files)('%s: has a test request, unless it is a webhook secret a trigger node tests with testedBy', (file) => {
		const { type } = load(file);
		if (['recocoWebhookApi', 'bitrix24OutgoingWebhookApi'].includes(type.name)) {
			expect(type.test).toBeUndefined();
			expect(type.authenticate).toBeUndefined();
		} else {
			expect(type.test?.request.method).toBe('GET');
			expect(typeof type.authenticate).toBe('function');
		}
	});

	it('expirable tokens are hidden fields filled by a preAuthentication', () => {
		for (const file of files) {
			const { type } = load(file);
			const expirable = type.properties.filter((property) => property.typeOptions?.expirable);
			expect([type.name, expirable.length > 0]).toEqual([type.name, typeof type.preAuthentication === 'function']);
			for (const property of expirable) expect(property).toMatchObject({ type: 'hidden', default: '' });
		}
	});
});
