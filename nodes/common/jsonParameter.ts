import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

export type JsonShape = 'object' | 'array' | 'any';

function shapeOf(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * The one reader for JSON parameters: n8n hands a `json` field over as a string, or as a value when an
 * expression built it. Empty text gives `empty`; text that is not JSON, or JSON of the wrong shape, fails
 * naming the field and the item.
 */
export function parseJsonParameter<T = unknown>(
	context: Pick<IExecuteFunctions, 'getNode' | 'getNodeParameter'>,
	name: string,
	itemIndex: number,
	options: { label: string; shape?: JsonShape; empty?: T },
): T {
	const raw = context.getNodeParameter(name, itemIndex, '') as unknown;
	return parseJsonValue<T>(context, raw, itemIndex, options);
}

export function parseJsonValue<T = unknown>(
	context: Pick<IExecuteFunctions, 'getNode'>,
	raw: unknown,
	itemIndex: number,
	{ label, shape = 'any', empty }: { label: string; shape?: JsonShape; empty?: T },
): T {
	let value: unknown = raw;
	if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) {
		if (empty !== undefined) return empty;
		throw new NodeOperationError(context.getNode(), `"${label}" is empty (item ${itemIndex})`, { itemIndex });
	}
	if (typeof raw === 'string') {
		try {
			value = JSON.parse(raw);
		} catch (error) {
			throw new NodeOperationError(
				context.getNode(),
				`"${label}" is not valid JSON: ${(error as Error).message} (item ${itemIndex})`,
				{ itemIndex },
			);
		}
	}
	const fits =
		shape === 'any' ||
		(shape === 'array' && Array.isArray(value)) ||
		(shape === 'object' && typeof value === 'object' && value !== null && !Array.isArray(value));
	if (!fits) {
		throw new NodeOperationError(
			context.getNode(),
			`"${label}" must be a JSON ${shape}, got ${shapeOf(value)} (item ${itemIndex})`,
			{ itemIndex },
		);
	}
	return value as T;
}
