import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { forEachWithConcurrency } from '../helpers/concurrency';
import { errorItem, toItemError } from './itemErrors';

/**
 * Runs one operation for every input item, in input order in the output:
 * each returned row becomes an item paired with its input item, and with
 * Continue On Fail a failing item becomes an error item instead of stopping
 * the node. An item may yield no rows (Payment → Check with no payment yet).
 */
export async function runPerItem(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	properties: INodeProperties[],
	run: (itemIndex: number) => Promise<IDataObject[]>,
	concurrency = 1,
): Promise<INodeExecutionData[]> {
	const continueOnFail = context.continueOnFail();
	const results: INodeExecutionData[][] = new Array(items.length);
	await forEachWithConcurrency(items.length, concurrency, async (itemIndex) => {
		try {
			const rows = await run(itemIndex);
			results[itemIndex] = rows.map((json) => ({ json, pairedItem: { item: itemIndex } }));
		} catch (error) {
			const itemError = toItemError(context, error, itemIndex, properties);
			if (!continueOnFail) throw itemError;
			results[itemIndex] = [errorItem(context, itemError, itemIndex)];
		}
	});
	const output: INodeExecutionData[] = [];
	for (const itemResults of results) {
		// push one by one: spreading 50,000 rows into push() overflows the call stack
		for (const item of itemResults ?? []) output.push(item);
	}
	return output;
}
