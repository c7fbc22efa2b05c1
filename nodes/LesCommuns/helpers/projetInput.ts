import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { parseJsonParameter } from '../../common/jsonParameter';
import { projetFromFields } from './projetFromFields';
import { projetProblems, type ProjetPurpose } from './validateProjet';

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
	// Any JSON value is read here; projetProblems names what is wrong with one that is not a projet object.
	const projet =
		inputMode === 'json'
			? parseJsonParameter(context, 'projetJson', itemIndex, { label: 'Projet (JSON)' })
			: projetFromFields(fields());
	return checkedProjet(context, itemIndex, projet, purpose);
}

/** The projet, once nothing in it would make Les Communs refuse it; else an item error naming every problem. */
export function checkedProjet(context: IExecuteFunctions, itemIndex: number, projet: unknown, purpose: ProjetPurpose): IDataObject {
	const problems = projetProblems(projet, purpose);
	if (problems.length) {
		throw new NodeOperationError(context.getNode(), `Les Communs would refuse the projet: ${problems.join('; ')}`, {
			itemIndex,
			description: problems.join('\n'),
		});
	}
	return projet as IDataObject;
}
