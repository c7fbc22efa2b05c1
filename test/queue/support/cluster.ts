/**
 * What the queue-mode suites share: the cluster launcher (scripts/lib/queue/cluster.cjs: private PostgreSQL + Redis,
 * an n8n main in EXECUTIONS_MODE=queue, workers, webhook processes), the e2e helpers, and paging through executions.
 */
import * as path from 'node:path';

import { REPO_ROOT } from '../../e2e/support/repo';

export const clusterLib = require(path.join(REPO_ROOT, 'scripts/lib/queue/cluster.cjs')) as typeof import('../../../scripts/lib/queue/cluster.cjs');
export type QueueCluster = Awaited<ReturnType<typeof clusterLib.startQueueCluster>>;

type Json = Record<string, any>;

/** Every execution of a workflow (public API, paged by its cursor), without run data. */
export async function allExecutions(cluster: QueueCluster, workflowId: string): Promise<Json[]> {
	const all: Json[] = [];
	let cursor: string | undefined;
	do {
		const qs = new URLSearchParams({ workflowId, includeData: 'false', limit: '250' });
		if (cursor) qs.set('cursor', cursor);
		const page = await cluster.main.json(`/api/v1/executions?${qs}`);
		all.push(...page.data);
		cursor = page.nextCursor ?? undefined;
	} while (cursor);
	return all;
}

export const FINISHED = ['success', 'error', 'crashed', 'canceled'];
