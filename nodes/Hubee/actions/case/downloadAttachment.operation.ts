import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { caseIdProperty, downloadProperties } from '../common.descriptions';
import { executeDownload } from '../../helpers/downloadAttachments';

export const description = updateDisplayOptions({ show: { resource: ['case'], operation: ['downloadAttachment'] } }, [
	caseIdProperty,
	...downloadProperties('case'),
]);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await executeDownload(this, items, 'case');
}
