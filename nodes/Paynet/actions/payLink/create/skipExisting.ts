import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { normalisePayLinkDetail } from '../../../helpers/normalise';
import { PAYNET_ENDPOINT, PAYNET_FIELD } from '../../../helpers/paynetFields';
import type { PaynetClient } from '../../../transport/client';
import { isNoDataAnswer, isPaynetNoData } from '../../../transport/noData';

/** A lookup that ended without an answer: the item fails, and nothing is created blind. */
function couldNotTell(
	context: IExecuteFunctions,
	reference: string,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	const failure =
		error instanceof NodeApiError || error instanceof NodeOperationError
			? error
			: new NodeOperationError(context.getNode(), error as Error, { itemIndex });
	failure.message = `Could not tell whether a PayLink with reference "${reference}" exists, so none was created: ${failure.message}`;
	failure.description = [
		'Skip Existing PayLinks creates an item only once Paynet has said no PayLink has its reference.',
		failure.description,
	]
		.filter(Boolean)
		.join(' ');
	return failure;
}

function hasValue(value: unknown): boolean {
	return (typeof value === 'string' && value.trim() !== '') || typeof value === 'number';
}

/**
 * Paynet showed this PayLink: its id or payment URL, or the very reference
 * asked for. A row with none of them (a bare `{total: 0}`, an envelope
 * without data) shows nothing that exists.
 */
function showsPayLink(row: IDataObject, reference: string): boolean {
	return (
		hasValue(row.id) || hasValue(row.url) || (hasValue(row.reference_no) && String(row.reference_no) === reference)
	);
}

/**
 * The PayLink Paynet already has under `reference`, normalised as Get
 * outputs it; `undefined` only when Paynet says there is none (its no-data
 * error, or a success that holds no data). Any other answer is thrown:
 * skipping without a PayLink to show would lose the row, and creating
 * without knowing could make a second link.
 */
export async function findExistingPayLink(
	context: IExecuteFunctions,
	client: PaynetClient,
	reference: string,
	itemIndex: number,
	timeoutMs: number,
): Promise<IDataObject | undefined> {
	let response: IDataObject;
	try {
		response = await client.request(
			PAYNET_ENDPOINT.getPayLink,
			{ [PAYNET_FIELD.referenceNo]: reference },
			{ idempotent: true, itemIndex, timeoutMs },
		);
	} catch (error) {
		if (isPaynetNoData(error)) return undefined;
		throw couldNotTell(context, reference, error, itemIndex);
	}
	if (isNoDataAnswer(response)) return undefined;
	const rows = normalisePayLinkDetail(response);
	const other = rows.find((row) => hasValue(row.reference_no) && String(row.reference_no) !== reference);
	if (other) {
		throw new NodeOperationError(
			context.getNode(),
			`Paynet answered the lookup of reference "${reference}" with a PayLink for "${String(other.reference_no)}", so none was created`,
			{ itemIndex },
		);
	}
	const payLink = rows.find((row) => showsPayLink(row, reference));
	if (payLink) return payLink;
	let answer = JSON.stringify(response);
	if (answer.length > 300) answer = `${answer.slice(0, 300)}…`;
	throw couldNotTell(
		context,
		reference,
		new NodeOperationError(
			context.getNode(),
			`Paynet's answer shows no PayLink (no id, url or reference "${reference}") and is not its no-data answer: ${answer}`,
			{ itemIndex },
		),
		itemIndex,
	);
}

/**
 * Runs tasks for the same reference one after another, whatever the
 * concurrency: a row that repeats a reference waits for the earlier one,
 * whose PayLink its own lookup then finds, so a run makes one link per
 * reference too. An earlier failure does not stop the later row.
 */
export function oneAtATimePerReference<T>(): (reference: string, task: () => Promise<T>) => Promise<T> {
	const latestByReference = new Map<string, Promise<T>>();
	return async (reference, task) => {
		const earlier = latestByReference.get(reference);
		const outcome = earlier ? earlier.then(task, task) : task();
		latestByReference.set(reference, outcome);
		return await outcome;
	};
}
