/**
 * A `$result[cmd][…]` reference inside a batch command. It is written unencoded, so Bitrix24 finds
 * it whether it substitutes references before or after parsing the command's query string.
 */
export class BatchReference {
	constructor(readonly expression: string) {}
}

export function resultReference(command: string, path: Array<string | number>): BatchReference {
	return new BatchReference(`$result[${command}]${path.map((segment) => `[${segment}]`).join('')}`);
}

function encodeScalar(value: unknown): string {
	if (value instanceof BatchReference) return value.expression;
	if (typeof value === 'boolean') return value ? '1' : '0';
	return encodeURIComponent(String(value));
}

/**
 * PHP's http_build_query, which is how a batch command carries its params:
 * `{filter: {'>id': 5}, select: ['id']}` → `filter%5B%3Eid%5D=5&select%5B0%5D=id`. null and
 * undefined are left out, as PHP does.
 */
export function buildQuery(params: Record<string, unknown>): string {
	const parts: string[] = [];
	const add = (key: string, value: unknown): void => {
		if (value === null || value === undefined) return;
		if (Array.isArray(value)) {
			value.forEach((entry, index) => add(`${key}[${index}]`, entry));
		} else if (typeof value === 'object' && !(value instanceof BatchReference)) {
			for (const [child, entry] of Object.entries(value as Record<string, unknown>)) add(`${key}[${child}]`, entry);
		} else {
			parts.push(`${encodeURIComponent(key)}=${encodeScalar(value)}`);
		}
	};
	for (const [key, value] of Object.entries(params)) add(key, value);
	return parts.join('&');
}

/** One batch command: `method?query`. */
export function batchCommand(method: string, params: Record<string, unknown>): string {
	const query = buildQuery(params);
	return query ? `${method}?${query}` : method;
}
