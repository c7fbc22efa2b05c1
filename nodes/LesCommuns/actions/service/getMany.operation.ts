import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { limitProperty, returnAllProperty } from '../../../common/descriptions';
import { executeEachItem } from '../../../common/executeEachItem';
import { projetIdForItem } from '../../helpers/projetId';
import { readServicesPatiently } from '../../helpers/servicesPolling';
import { toRecocoAddonService } from '../../helpers/serviceShape';
import { locatorValue } from '../../../common/resourceLocator';
import { lesCommunsRequest } from '../../transport/request';

const properties: INodeProperties[] = [
	{
		displayName: 'Project ID',
		name: 'projetId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '0195a3f2-6c1e-7a4b-9d2f-3e8c1b0a7f55',
		description: 'Les Communs "Projet ID" (projetId): the projet whose matching services to read: its Les Communs UUID, or its TeT ID',
	},
	{
		displayName: 'ID Type',
		name: 'idType',
		type: 'options',
		options: [
			{
				name: 'Les Communs ID',
				value: 'communId',
				description: 'The UUID Create or Update returned',
			},
			{
				name: 'TeT ID',
				value: 'tetId',
				description: 'The Territoires en Transitions ID',
			},
		],
		default: 'communId',
	},
	returnAllProperty,
	limitProperty,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'One Item With All Services',
				name: 'oneItem',
				type: 'boolean',
				default: false,
				description:
					'Whether to output one item {projetId, services, reads} per projet, even when it has no services, instead of one item per service',
			},
			{
				displayName: 'Re-Read if Empty: Attempts',
				name: 'reReadAttempts',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description: 'How many more times to read while the projet has no services yet',
			},
			{
				displayName: 'Re-Read if Empty: Interval (Seconds)',
				name: 'reReadInterval',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 30,
				description: 'How long to wait before each re-read',
			},
			{
				displayName: 'Snake Case Keys',
				name: 'snakeCase',
				type: 'boolean',
				default: false,
				description:
					'Whether to rename the service keys to snake_case (sousTitre → sous_titre), the shape Recoco-sync stored in Recoco resource add-ons',
			},
			{
				displayName: 'Wait for Services (Seconds)',
				name: 'waitForServices',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description:
					'How long to wait before the first read. Les Communs qualifies a new or changed projet asynchronously, so its services appear later (Recoco-sync waits 60 s).',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['service'], operation: ['getMany'] } },
	properties,
);

function projetRef(context: IExecuteFunctions, itemIndex: number, idType: string): string {
	if (idType === 'communId') return projetIdForItem(context, itemIndex);
	const id = locatorValue(context.getNodeParameter('projetId', itemIndex)).value;
	if (!id) throw new NodeOperationError(context.getNode(), 'Projet ID is empty', { itemIndex });
	return id;
}

async function servicesOf(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const idType = this.getNodeParameter('idType', itemIndex) as string;
	const projetId = projetRef(this, itemIndex, idType);
	const returnAll = this.getNodeParameter('returnAll', itemIndex) as boolean;
	const limit = returnAll ? Infinity : (this.getNodeParameter('limit', itemIndex) as number);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;

	const { services, reads } = await readServicesPatiently(
		async () => {
			const answer = await lesCommunsRequest<unknown>(this, {
				method: 'GET',
				path: `/services/project/${encodeURIComponent(projetId)}`,
				qs: { idType },
				itemIndex,
			});
			return Array.isArray(answer) ? (answer as IDataObject[]) : [];
		},
		{
			initialDelayMs: Number(options.waitForServices ?? 0) * 1000,
			reReads: Number(options.reReadAttempts ?? 0),
			intervalMs: Number(options.reReadInterval ?? 30) * 1000,
		},
	);

	const shaped = services
		.slice(0, limit)
		.map((service) => (options.snakeCase ? toRecocoAddonService(service) : { ...service }));
	if (options.oneItem) return [{ projetId, services: shaped, reads }];
	return shaped;
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await executeEachItem(this, items, async (itemIndex) => await servicesOf.call(this, itemIndex));
}
