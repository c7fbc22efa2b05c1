import type { INodeProperties } from 'n8n-workflow';

import { SI_TARGET_STATUSES } from '../helpers/caseStatus';

export const caseIdProperty: INodeProperties = {
	displayName: 'Case ID',
	name: 'caseId',
	type: 'string',
	default: '={{ $json.caseId }}',
	required: true,
	description: 'The UUID of the case (télédossier) — a notification item carries it as caseId',
};

export const eventIdProperty: INodeProperties = {
	displayName: 'Event ID',
	name: 'eventId',
	type: 'string',
	default: '={{ $json.eventId }}',
	required: true,
	description: 'The UUID of the event — an event notification carries it as eventId',
};

const STATUS_DESCRIPTIONS: Record<string, string> = {
	SENT: 'Transmitted: the SI fetched the case',
	SI_RECEIVED: 'Integrated in the SI (intermediate)',
	IN_PROGRESS: 'Being processed (intermediate)',
	ADD_AWAITING: 'Waiting for more information from the applicant',
	DONE: 'Processed (final)',
	REFUSED: 'Refused (final)',
	SI_INTG_ERROR: 'The SI cannot integrate the case (final; only from SI_RECEIVED on)',
};

export const statusOptions = SI_TARGET_STATUSES.map((value) => ({
	name: value,
	value,
	description: STATUS_DESCRIPTIONS[value],
}));

export const authorOption: INodeProperties = {
	displayName: 'Author',
	name: 'author',
	type: 'string',
	default: 'n8n',
	description: 'Shown to the OSL as the author of the event',
};

export const notifyOslOption: INodeProperties = {
	displayName: 'Notify OSL',
	name: 'notifyOsl',
	type: 'boolean',
	default: true,
	description: 'Whether HubEE creates a notification for the OSL (the event\'s notification flag)',
};

/** Keeps the input item (e.g. the notification, whose id the final Delete needs) and nests the result under `key`. */
export const includeInputFieldsOption = (key: string): INodeProperties => ({
	displayName: 'Include Input Fields',
	name: 'includeInputFields',
	type: 'boolean',
	default: false,
	description: `Whether to output the input item's fields with the result under "${key}" (so e.g. the notification ID flows on to Notification → Delete)`,
});

export const downloadProperties = (resource: string): INodeProperties[] => [
	{
		displayName: 'Attachments',
		name: 'attachments',
		type: 'options',
		options: [
			{ name: 'All', value: 'all', description: `Every file of the ${resource}` },
			{ name: 'One', value: 'one', description: 'One file, by ID' },
		],
		default: 'all',
	},
	{
		displayName: 'Attachment ID',
		name: 'attachmentId',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show: { attachments: ['one'] } },
	},
	{
		displayName: 'Binary Property Prefix',
		name: 'binaryPropertyPrefix',
		type: 'string',
		default: 'attachment',
		description: 'Files go to binary properties &lt;prefix&gt;_0, &lt;prefix&gt;_1, … (the index of the file in the output "attachments" list)',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Include Input Fields',
				name: 'includeInputFields',
				type: 'boolean',
				default: true,
				description: 'Whether to copy the input item\'s fields (e.g. the notification) into the output',
			},
			{
				displayName: 'On Integrity Failure',
				name: 'onIntegrityFailure',
				type: 'options',
				options: [
					{
						name: 'Fail the Item',
						value: 'error',
						description: 'A digest mismatch, a CORRUPTED/REJECTED or PENDING file fails the item',
					},
					{
						name: 'Report in the Output',
						value: 'report',
						description: 'The item goes on with integrationError (or retryLater for a PENDING file) set and the faulty file left out',
					},
				],
				default: 'error',
			},
		],
	},
];
