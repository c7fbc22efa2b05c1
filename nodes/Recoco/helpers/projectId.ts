import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { locatorValue } from '../../common/resourceLocator';

/** A project's page on a portal: `https://<portal>/project/42/overview` (or `/projects/42/`). */
export const PROJECT_URL_PATTERN = /^https?:\/\/[^/]+\/(?:.*\/)?projects?\/(\d+)(?:[/?#]|$)/;

/**
 * A Recoco project id from a parameter: a number, a numeric string, or a portal link such as
 * `https://portal/project/42/overview` (the first number after `/project/` or `/projects/`).
 */
export function parseProjectId(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? value : undefined;
	if (typeof value !== 'string') return undefined;
	const text = value.trim();
	if (/^\d+$/.test(text)) return Number(text) > 0 ? Number(text) : undefined;
	const fromLink = /\/projects?\/(\d+)(?:[/?#]|$)/.exec(text);
	return fromLink ? Number(fromLink[1]) : undefined;
}

/** A positive whole id from a parameter that an expression may have turned into a string. */
export function parsePositiveId(value: unknown): number | undefined {
	const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
	return typeof number === 'number' && Number.isInteger(number) && number > 0 ? number : undefined;
}

/** The Project ID parameter of one item, or an error naming what was given. */
export function requireProjectId(context: IExecuteFunctions, itemIndex: number): number {
	// Every mode goes through parseProjectId: an ID, or a link (By URL, or pasted into the ID field).
	const raw = locatorValue(context.getNodeParameter('projectId', itemIndex)).value;
	const projectId = parseProjectId(raw);
	if (projectId === undefined) {
		throw new NodeOperationError(context.getNode(), `"${String(raw)}" is not a Recoco project ID`, {
			itemIndex,
			description: 'Give the number of the project, e.g. 42, or a link to it on the portal.',
		});
	}
	return projectId;
}
