const MASK = '[redacted]';

/** Shapes that carry secrets whatever the service: bearer/basic tokens, key-like query params, Bitrix24 webhook codes. */
const SECRET_PATTERNS: Array<[RegExp, string]> = [
	[/(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/gi, `$1 ${MASK}`],
	[/([?&](?:api_?key|apiSign|api_?secret|token|access_token|auth|password|secret)=)[^&\s"']+/gi, `$1${MASK}`],
	[/(\/rest\/\d+\/)[A-Za-z0-9]{6,}/g, `$1${MASK}`],
	[/("(?:password|secret|clientSecret|client_secret|apiKey|api_key|access_token|refresh|access|application_token|token)"\s*:\s*")[^"]*"/gi, `$1${MASK}"`],
];

/** Removes known secret values and secret-shaped substrings from a text meant for a person. */
export function redactText(text: string, secrets: readonly string[] = []): string {
	let result = text;
	for (const secret of secrets) {
		if (secret && secret.length >= 4) result = result.split(secret).join(MASK);
	}
	for (const [pattern, replacement] of SECRET_PATTERNS) result = result.replace(pattern, replacement);
	return result;
}

/** Deep copy of a JSON-like value with every string redacted. */
export function redactValue<T>(value: T, secrets: readonly string[] = []): T {
	if (typeof value === 'string') return redactText(value, secrets) as unknown as T;
	if (Array.isArray(value)) return value.map((entry) => redactValue(entry, secrets)) as unknown as T;
	if (value && typeof value === 'object') {
		const copy: Record<string, unknown> = {};
		for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
			copy[key] = /password|secret|token|apikey|api_key|authorization/i.test(key) ? MASK : redactValue(entry, secrets);
		}
		return copy as T;
	}
	return value;
}
