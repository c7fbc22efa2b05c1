import type { INodeProperties } from 'n8n-workflow';

import * as saveToFolder from './saveToFolder.operation';

export { saveToFolder };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['attachment'] } },
		options: [
			{
				name: 'Save Attachments to Folder',
				value: 'saveToFolder',
				action: 'Save attachments to a folder',
				description: 'Write the item\'s files to &lt;folder&gt;/&lt;démarche&gt;/&lt;case&gt;/, creating the folders',
			},
		],
		default: 'saveToFolder',
	},
	...saveToFolder.description,
];
