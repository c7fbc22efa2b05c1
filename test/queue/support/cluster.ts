/**
 * What the queue-mode suites share: the cluster launcher (scripts/lib/queue/cluster.cjs: private PostgreSQL + Redis,
 * an n8n main in EXECUTIONS_MODE=queue, workers, webhook processes), and the statuses an execution ends in.
 */
import * as path from 'node:path';

import { REPO_ROOT } from '../../e2e/support/repo';

export const clusterLib = require(path.join(REPO_ROOT, 'scripts/lib/queue/cluster.cjs')) as typeof import('../../../scripts/lib/queue/cluster.cjs');
export type QueueCluster = Awaited<ReturnType<typeof clusterLib.startQueueCluster>>;

/** The statuses an execution ends in (`new` and `waiting` are not finished). */
export const FINISHED: string[] = require(path.join(REPO_ROOT, 'scripts/lib/n8n/run-result.cjs')).FINISHED;
