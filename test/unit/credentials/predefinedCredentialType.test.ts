/**
 * n8n copies a community package's credential type with `{...type}` before it writes the editor's type list, and
 * the HTTP Request node offers a "Predefined Credential Type" only when that list shows `authenticate`: so
 * authenticate must be an own property (a prototype method would be lost). The e2e
 * test/e2e/http-request-credentials.e2e.test.ts checks the same on a real n8n.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const dir = path.join(__dirname, '..', '..', '..', 'credentials');
const types = fs
	.readdirSync(dir)
	.filter((file) => file.endsWith('.credentials.ts'))
	.map((file) => {
		const module = require(path.join(dir, file));
		const Type = Object.values(module).find((value) => typeof value === 'function') as new () => Record<string, unknown>;
		return new Type();
	});

test.each(types.filter((type) => type.name !== 'recocoWebhookApi' && type.name !== 'bitrix24OutgoingWebhookApi').map((type) => [type.name, type]))(
	'%s keeps authenticate in a spread copy',
	(_name, type) => {
		const copy = JSON.parse(JSON.stringify({ ...(type as object), toJSON: undefined }, (key, value) => (typeof value === 'function' ? {} : value)));
		expect(typeof (type as Record<string, unknown>).authenticate).toBe('function');
		expect(Object.prototype.hasOwnProperty.call(type, 'authenticate')).toBe(true);
		expect(copy.authenticate).toEqual({});
	},
);
