import { NodeOperationError, type IExecuteFunctions, type INodeListSearchItems } from 'n8n-workflow';

/**
 * What every resource locator (From List / By URL / ID) shares. A locator's parameter holds
 * `{__rl: true, mode, value}`; workflows saved before a parameter became a locator hold the plain value (a number,
 * an id, an expression), which is read the same way as the ID mode, so they keep working unchanged.
 */

export interface LocatorValue {
	mode: string;
	value: string;
}

/** The locator's mode and text, from either shape. */
export function locatorValue(raw: unknown): LocatorValue {
	if (raw !== null && typeof raw === 'object' && 'value' in raw) {
		const locator = raw as { mode?: unknown; value?: unknown };
		return { mode: String(locator.mode ?? 'id'), value: String(locator.value ?? '').trim() };
	}
	return { mode: 'id', value: String(raw ?? '').trim() };
}

/** The first capture group of `pattern` in a URL, or undefined when the URL does not match. */
export function idFromUrl(url: string, pattern: RegExp): string | undefined {
	const match = pattern.exec(url.trim());
	return match?.[1];
}

/**
 * The id a locator parameter of one item names: by URL it is extracted with `urlPattern`; a failure names the item,
 * the parameter and what was given.
 */
export function locatorIdFor(
	context: Pick<IExecuteFunctions, 'getNode' | 'getNodeParameter'>,
	name: string,
	itemIndex: number,
	options: { label: string; urlPattern: RegExp; urlExample: string },
): string {
	const { mode, value } = locatorValue(context.getNodeParameter(name, itemIndex, ''));
	if (mode !== 'url') return value;
	const id = idFromUrl(value, options.urlPattern);
	if (id === undefined) {
		throw new NodeOperationError(context.getNode(), `${options.label}: "${value}" is not a link the ID can be read from`, {
			itemIndex,
			description: `Give a link such as ${options.urlExample}, or choose the ID mode.`,
		});
	}
	return id;
}

/** One page of a list the service returns whole: filtered by name or id, then cut in pages of `pageSize`. */
export function pageOfList(
	entries: INodeListSearchItems[],
	filter: string | undefined,
	paginationToken: string | undefined,
	pageSize: number,
): { results: INodeListSearchItems[]; paginationToken?: string } {
	const needle = (filter ?? '').trim().toLowerCase();
	const matching = needle
		? entries.filter((entry) => entry.name.toLowerCase().includes(needle) || String(entry.value).toLowerCase() === needle)
		: entries;
	const offset = Math.max(0, Number(paginationToken) || 0);
	const results = matching.slice(offset, offset + pageSize);
	return offset + pageSize < matching.length ? { results, paginationToken: String(offset + pageSize) } : { results };
}
