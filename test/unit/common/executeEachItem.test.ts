import type { IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';

import { executeEachItem } from '../../../nodes/common/executeEachItem';

const node = { name: 'Test', type: 'test', typeVersion: 1, position: [0, 0], parameters: {} } as unknown as INode;

function context(continueOnFail: boolean): IExecuteFunctions {
	return { getNode: () => node, continueOnFail: () => continueOnFail } as unknown as IExecuteFunctions;
}

const items = (count: number): INodeExecutionData[] => Array.from({ length: count }, (_, i) => ({ json: { i } }));
const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A handler that records how many items run at once and which item ran after which. */
function tracer(delays: (itemIndex: number) => number) {
	const state = { running: 0, peak: 0, started: [] as number[], finished: [] as number[] };
	const handler = async (itemIndex: number) => {
		state.running += 1;
		state.peak = Math.max(state.peak, state.running);
		state.started.push(itemIndex);
		await tick(delays(itemIndex));
		state.running -= 1;
		state.finished.push(itemIndex);
		return { itemIndex };
	};
	return { state, handler };
}

describe('executeEachItem', () => {
	test('without concurrency the items run one after the other', async () => {
		const { state, handler } = tracer(() => 2);
		const output = await executeEachItem(context(false), items(5), handler);
		expect(state.peak).toBe(1);
		expect(state.started).toEqual([0, 1, 2, 3, 4]);
		expect(output.map((entry) => entry.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
	});

	test('with a concurrency bound, at most that many run at once and the outputs stay in input order', async () => {
		// item 0 is slow: later items finish first, the output order does not follow
		const { state, handler } = tracer((itemIndex) => (itemIndex === 0 ? 40 : 5));
		const output = await executeEachItem(context(false), items(10), handler, { concurrency: 3 });
		expect(state.peak).toBe(3);
		expect(state.finished[0]).not.toBe(0);
		expect(output.map((entry) => entry.json.itemIndex)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
		expect(output.map((entry) => entry.pairedItem)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((item) => ({ item })));
	});

	test('items with the same sequence key never overlap and keep their input order', async () => {
		const keys = ['a', 'b', 'a', 'c', 'a', 'b'];
		const active = new Set<string>();
		const overlaps: string[] = [];
		const startedPerKey: Record<string, number[]> = {};
		const output = await executeEachItem(
			context(false),
			items(keys.length),
			async (itemIndex) => {
				const key = keys[itemIndex];
				if (active.has(key)) overlaps.push(key);
				active.add(key);
				(startedPerKey[key] ??= []).push(itemIndex);
				await tick(5);
				active.delete(key);
				return { key };
			},
			{ concurrency: 4, sequenceKey: (itemIndex) => keys[itemIndex] },
		);
		expect(overlaps).toEqual([]);
		expect(startedPerKey).toEqual({ a: [0, 2, 4], b: [1, 5], c: [3] });
		expect(output.map((entry) => entry.json.key)).toEqual(keys);
	});

	test('without Continue On Fail a failure stops new items, lets running ones finish, and names the lowest failed item', async () => {
		const { state, handler } = tracer((itemIndex) => (itemIndex === 1 ? 1 : 10));
		const failing = async (itemIndex: number) => {
			if (itemIndex === 1 || itemIndex === 2) {
				await tick(itemIndex === 2 ? 1 : 5);
				throw new Error(`broken ${itemIndex}`);
			}
			return await handler(itemIndex);
		};
		await expect(executeEachItem(context(false), items(8), failing, { concurrency: 3 })).rejects.toThrow('broken 1 (item 1)');
		// items 0 (running when the failures came) finished; nothing after the first three was started
		expect(state.finished).toContain(0);
		expect(state.started.filter((itemIndex) => itemIndex > 3)).toEqual([]);
	});

	test('with Continue On Fail every item gets an output, failures as error items paired with their input', async () => {
		const output = await executeEachItem(
			context(true),
			items(4),
			async (itemIndex) => {
				await tick(1);
				if (itemIndex === 2) throw new Error('no luck');
				return { ok: itemIndex };
			},
			{ concurrency: 2 },
		);
		expect(output).toEqual([
			{ json: { ok: 0 }, pairedItem: { item: 0 } },
			{ json: { ok: 1 }, pairedItem: { item: 1 } },
			{ json: { error: 'no luck (item 2)' }, pairedItem: { item: 2 } },
			{ json: { ok: 3 }, pairedItem: { item: 3 } },
		]);
	});
});
