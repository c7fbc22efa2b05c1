import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import * as method from './actions/method/Method.resource';
import * as record from './actions/record/Record.resource';
import { router } from './actions/router';
import { searchEntityTypes, searchLists } from './methods/listSearch';

export class Bitrix24 implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bitrix24',
		name: 'bitrix24',
		icon: { light: 'file:../../icons/bitrix24.svg', dark: 'file:../../icons/bitrix24.dark.svg' },
		group: ['transform'],
		version: 1,
		// The chosen action's text (as in the Operation list), kept equal to it by test/unit/common/subtitle.test.ts.
		subtitle:
			'={{ ({"record:create":"Create a record","record:upsert":"Create or update CRM items","record:delete":"Delete a record","record:getMany":"Get many records","record:update":"Update a record"})[($parameter["resource"] || "") + ":" + $parameter["operation"]] || $parameter["methodName"] }}',
		description: 'Read and write Bitrix24 CRM items, lists, users and departments through an inbound webhook',
		defaults: { name: 'Bitrix24' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'bitrix24InboundWebhookApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				default: 'record',
				options: [
					{ name: 'Method', value: 'method', description: 'Call any REST method' },
					{ name: 'Record', value: 'record', description: 'CRM items, list elements, users, departments and reference lists' },
				],
			},
			...record.description,
			...method.description,
		],
	};

	methods = {
		listSearch: { searchEntityTypes, searchLists },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
