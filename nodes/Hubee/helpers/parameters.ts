import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** HubEE ids are UUIDs (anything else is a 400 "Validation failed"): checked here to name the parameter instead. */
export function requireId(context: IExecuteFunctions, name: string, label: string, itemIndex: number): string {
	const value = String(context.getNodeParameter(name, itemIndex, '') ?? '').trim();
	if (!UUID.test(value)) {
		throw new NodeOperationError(
			context.getNode(),
			value ? `${label} "${value}" is not a HubEE ID (a UUID)` : `${label} is empty`,
			{ itemIndex, description: `Set "${label}", e.g. to an expression reading the input item.` },
		);
	}
	return value;
}

/** `A, B` → ['A', 'B']. */
export function splitList(value: unknown): string[] {
	return String(value ?? '')
		.split(',')
		.map((entry) => entry.trim())
		.filter(Boolean);
}
