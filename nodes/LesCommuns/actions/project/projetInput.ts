import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { projetFromFields } from '../../helpers/projetFromFields';
import { projetProblems, type ProjetPurpose } from '../../helpers/validateProjet';

function projetFromJson(context: IExecuteFunctions, itemIndex: number): unknown {
	const raw = context.getNodeParameter('projetJson', itemIndex) as unknown;
	if (typeof raw !== 'string') return raw;
	try {
		return JSON.parse(raw) as unknown;
	} catch (error) {
		throw new NodeOperationError(
			context.getNode(),
			`Projet (JSON) is not valid JSON (item ${itemIndex}): ${(error as Error).message}`,
			{ itemIndex },
		);
	}
}

/**
 * The projet of one item, from the fields or the JSON, checked against what Les Communs would refuse, so that a bad
 * item fails here with every problem named instead of costing a request and a rate-limit slot.
 */
export function projetForItem(
	context: IExecuteFunctions,
	itemIndex: number,
	purpose: ProjetPurpose,
	fields: () => IDataObject,
): IDataObject {
	const inputMode = context.getNodeParameter('inputMode', itemIndex) as string;
	const projet = inputMode === 'json' ? projetFromJson(context, itemIndex) : projetFromFields(fields());
	const problems = projetProblems(projet, purpose);
	if (problems.length) {
		throw new NodeOperationError(
			context.getNode(),
			`Les Communs would refuse the projet: ${problems.join('; ')} (item ${itemIndex})`,
			{ itemIndex, description: problems.join('\n') },
		);
	}
	return projet as IDataObject;
}
