import type { IExecuteFunctions, IGetNodeParameterOptions, NodeParameterValueType } from 'n8n-workflow';

function hasExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(hasExpression);
	if (value && typeof value === 'object') return Object.values(value).some(hasExpression);
	return false;
}

export type ParameterReader = <T = NodeParameterValueType | object>(
	name: string,
	itemIndex: number,
	fallback?: unknown,
	options?: IGetNodeParameterOptions,
) => T;

/**
 * getNodeParameter for bulk operations over thousands of items: a parameter without any expression has
 * the same value for every item, so it is resolved once instead of once per item.
 */
export function parameterReader(context: IExecuteFunctions): ParameterReader {
	const raw = context.getNode().parameters;
	const cache = new Map<string, unknown>();
	return <T>(name: string, itemIndex: number, fallback?: unknown, options?: IGetNodeParameterOptions): T => {
		const key = options ? `${name}\u0000${JSON.stringify(options)}` : name;
		if (cache.has(key)) return cache.get(key) as T;
		const value = context.getNodeParameter(name, itemIndex, fallback, options);
		if (!hasExpression(raw[name])) cache.set(key, value);
		return value as T;
	};
}
