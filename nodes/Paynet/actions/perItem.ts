import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	NodeApiError,
	NodeOperationError,
} from 'n8n-workflow';

import { forEachWithConcurrency } from '../helpers/concurrency';
import { errorItem, toItemError } from './itemErrors';

/** An item that failed in a run that then stopped, with what is known of it. */
export interface StoppedItem<Prepared> {
	itemIndex: number;
	error: NodeApiError | NodeOperationError;
	reference?: string;
	prepared?: Prepared;
}

/** What an item's run can ask about the run as a whole. */
export interface RunProgress {
	/**
	 * True once an item has failed without Continue On Fail: the node is
	 * stopping, so an item still on its way (a lookup before its create)
	 * should send nothing more.
	 */
	stopping(): boolean;
}

export interface PerItemRun<Prepared> {
	/** The operation's fields, so an error names a field as the user sees it. */
	properties: INodeProperties[];
	/** From the node's `execute()`: a failing item becomes an error item instead of stopping the node. */
	continueOnFail: boolean;
	/** Items run at the same time; 1 keeps them strictly one after another. */
	concurrency?: number;
	/**
	 * Reads and checks one item. It runs for every item before any item is
	 * run, so without Continue On Fail a bad row stops the node before
	 * anything reaches Paynet.
	 */
	prepare?: (itemIndex: number) => Prepared;
	/** Sends one item; each row returned becomes an output item paired with it. */
	run: (itemIndex: number, prepared: Prepared, progress: RunProgress) => Promise<IDataObject[]>;
	/** The reference a failed item is matched back to its row by, in its error and error item. */
	referenceOf?: (itemIndex: number, prepared: Prepared | undefined) => string | undefined;
	/**
	 * Last word on the error that stops the node, given the rows output
	 * before it (and lost with it) and every item that failed, in item order:
	 * the first failure and those of the items that were still in flight.
	 */
	whenStopped?: (
		error: NodeApiError | NodeOperationError,
		output: IDataObject[],
		failures: Array<StoppedItem<Prepared>>,
	) => NodeApiError | NodeOperationError;
}

/**
 * Runs one operation for every input item, in input order in the output:
 * each returned row becomes an item paired with its input item, and with
 * Continue On Fail a failing item becomes an error item instead of stopping
 * the node. An item may yield no rows (Payment → Check with no payment yet).
 */
export async function runPerItem<Prepared = undefined>(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	operation: PerItemRun<Prepared>,
): Promise<INodeExecutionData[]> {
	const { properties, continueOnFail, concurrency = 1, prepare, run, referenceOf, whenStopped } = operation;
	const results: INodeExecutionData[][] = new Array(items.length);
	const prepared: Array<Prepared | undefined> = new Array(items.length);
	const failed: boolean[] = new Array(items.length).fill(false);
	// Without Continue On Fail: every failure, not only the first, since
	// items in flight may still fail after it and each must be reported.
	const stoppedBy: Array<StoppedItem<Prepared>> = [];
	let stopping = false;
	const progress: RunProgress = { stopping: () => stopping };

	const fail = (error: unknown, itemIndex: number): INodeExecutionData => {
		const itemError = toItemError(context, error, itemIndex, properties);
		const reference = referenceOf?.(itemIndex, prepared[itemIndex]);
		if (reference !== undefined && itemError.message.startsWith(`Item ${itemIndex}: `)) {
			itemError.message = itemError.message.replace(
				`Item ${itemIndex}: `,
				`Item ${itemIndex} (reference ${reference}): `,
			);
		}
		if (!continueOnFail) {
			stopping = true;
			stoppedBy.push({ itemIndex, error: itemError, reference, prepared: prepared[itemIndex] });
			throw itemError;
		}
		failed[itemIndex] = true;
		return errorItem(context, itemError, itemIndex, { referenceNo: reference });
	};

	if (prepare) {
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				prepared[itemIndex] = prepare(itemIndex);
			} catch (error) {
				results[itemIndex] = [fail(error, itemIndex)];
			}
		}
	}

	try {
		await forEachWithConcurrency(items.length, concurrency, async (itemIndex) => {
			if (failed[itemIndex]) return;
			try {
				const rows = await run(itemIndex, prepared[itemIndex] as Prepared, progress);
				results[itemIndex] = rows.map((json) => ({ json, pairedItem: { item: itemIndex } }));
			} catch (error) {
				results[itemIndex] = [fail(error, itemIndex)];
			}
		});
	} catch (error) {
		// Only `fail` throws here, so this is already the item's error. The items
		// in flight have finished, so every row they made is in `results` by now.
		const stopped = error as NodeApiError | NodeOperationError;
		if (!whenStopped) throw stopped;
		const output = results.flatMap((itemResults) => (itemResults ?? []).map((item) => item.json));
		stoppedBy.sort((a, b) => a.itemIndex - b.itemIndex);
		throw whenStopped(stopped, output, stoppedBy);
	}

	const output: INodeExecutionData[] = [];
	for (const itemResults of results) {
		// push one by one: spreading 50,000 rows into push() overflows the call stack
		for (const item of itemResults ?? []) output.push(item);
	}
	return output;
}
