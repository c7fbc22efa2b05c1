import type { INodeProperties } from 'n8n-workflow';

/**
 * What an action node's subtitle literal must be (lint wants a literal in the node): the node's subtitle on the canvas: the chosen operation's action text ("Get many projects"), looked up by
 * resource and operation in the node's own option lists, instead of raw values ("getMany: project").
 */
export function actionSubtitle(properties: INodeProperties[], fallback = '$parameter["operation"]'): string {
	const actions: Record<string, string> = {};
	for (const property of properties) {
		if (property.name !== 'operation' || property.type !== 'options') continue;
		const resources = (property.displayOptions?.show?.resource as string[] | undefined) ?? [''];
		for (const option of property.options ?? []) {
			const { value, action, name } = option as { value: string; action?: string; name: string };
			for (const resource of resources) actions[`${resource}:${value}`] = action ?? name;
		}
	}
	return `={{ (${JSON.stringify(actions)})[($parameter["resource"] || "") + ":" + $parameter["operation"]] || ${fallback} }}`;
}
