/** Every action node's canvas subtitle reads as its action ("Get many projects"), not raw values. */
import type { INodeType } from 'n8n-workflow';

import { Bitrix24 } from '../../../nodes/Bitrix24/Bitrix24.node';
import { Ecal } from '../../../nodes/Ecal/Ecal.node';
import { GristSync } from '../../../nodes/Grist/GristSync.node';
import { Hubee } from '../../../nodes/Hubee/Hubee.node';
import { LesCommuns } from '../../../nodes/LesCommuns/LesCommuns.node';
import { MonCampus } from '../../../nodes/MonCampus/MonCampus.node';
import { Recoco } from '../../../nodes/Recoco/Recoco.node';
import { actionSubtitle } from './actionSubtitle';

/** The subtitle expression's body run as n8n would, with `$parameter` holding the node's parameters. */
function subtitleFor(node: INodeType, parameter: Record<string, unknown>): string {
	const body = String(node.description.subtitle).replace(/^=\{\{/, '').replace(/\}\}$/, '');
	return new Function('$parameter', `return ${body};`)(parameter) as string;
}

test.each([
	[new Recoco(), { resource: 'project', operation: 'getMany' }, 'Get many projects'],
	[new Recoco(), { resource: 'resourceAddon', operation: 'create' }, 'Create an addon to a resource'],
	[new GristSync(), { resource: 'record', operation: 'upsert' }, 'Create or update records'],
	[new GristSync(), { resource: 'sql', operation: 'query' }, 'Run an SQL query'],
	[new Bitrix24(), { resource: 'record', operation: 'getMany' }, 'Get many records'],
	[new Bitrix24(), { resource: 'method', operation: 'call', methodName: 'crm.deal.list' }, 'crm.deal.list'],
	[new Ecal(), { resource: 'event', operation: 'sync' }, 'Sync events into a calendar'],
	[new Hubee(), { resource: 'notification', operation: 'getMany' }, 'Get many notifications'],
	[new LesCommuns(), { resource: 'project', operation: 'upsert' }, 'Create or update a projet'],
	[new MonCampus(), { resource: 'course', operation: 'getMany' }, 'Get many courses'],
])('%s subtitle for %j is "%s"', (node, parameter, expected) => {
	expect(subtitleFor(node, parameter)).toBe(expected);
});

test('an operation the map lacks falls back to the raw value, never to "undefined"', () => {
	expect(subtitleFor(new Recoco(), { resource: 'project', operation: 'someday' })).toBe('someday');
});

test.each([
	['Recoco', new Recoco(), undefined],
	['Grist Sync', new GristSync(), undefined],
	['Bitrix24', new Bitrix24(), '$parameter["methodName"]'],
	['ECAL', new Ecal(), undefined],
	['HubEE', new Hubee(), undefined],
	['Les Communs', new LesCommuns(), undefined],
	['MonCampus', new MonCampus(), undefined],
])('%s: the subtitle lists exactly the actions of its Operation options', (_name, node, fallback) => {
	const operations = node.description.properties.filter(
		(property) => property.name === 'operation' && (property.displayOptions?.show?.resource as string[] | undefined)?.[0] !== 'method',
	);
	expect(node.description.subtitle).toBe(actionSubtitle(operations, fallback));
});
