import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { caseIdProperty, downloadProperties, eventIdProperty } from '../common.descriptions';
import { executeDownload } from '../../helpers/downloadAttachments';

export const description = updateDisplayOptions({ show: { resource: ['event'], operation: ['downloadAttachment'] } }, [
	caseIdProperty,
	eventIdProperty,
	...downloadProperties('event'),
]);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await executeDownload(this, items, 'event');
}
