import { redactText, redactValue } from '../../../nodes/common/redact';
import { NO_RATE_LIMIT, ratePlanOf, STANDARD_RATE } from '../../../nodes/Bitrix24/transport/request';

describe('Bitrix24 self-hosted portals', () => {
	it('a rate plan of "none" puts no bucket in the way; an unknown or absent plan stays standard', () => {
		expect(ratePlanOf({ rateLimit: 'none' })).toBe(NO_RATE_LIMIT);
		expect(ratePlanOf({})).toBe(STANDARD_RATE);
	});

	it('the webhook code of a self-hosted URL is redacted from error texts and output values, whatever the host', () => {
		const url = 'https://crm.example.org:8443/rest/17/Zx9k2secretcode/crm.item.list.json';
		expect(redactText(`connect ECONNREFUSED ${url}`)).not.toContain('Zx9k2secretcode');
		const output = redactValue({ error: `request to ${url} failed`, nested: [{ link: url }] });
		expect(JSON.stringify(output)).not.toContain('Zx9k2secretcode');
		expect(JSON.stringify(output)).toContain('crm.example.org');
	});
});
