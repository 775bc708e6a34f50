import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { normalisePayLinkDetail } from '../../../helpers/normalise';
import { PAYNET_ENDPOINT, PAYNET_FIELD } from '../../../helpers/paynetFields';
import { isBlank } from '../../../helpers/validation';
import type { PaynetClient } from '../../../transport/client';
import { isPaynetNoData } from '../../../transport/noData';

/**
 * The PayLink Paynet already has under `reference`, normalised as Get
 * outputs it; `undefined` only when Paynet says there is none. Any other
 * failure is thrown: creating without knowing could make a second link.
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
		const failure =
			error instanceof NodeApiError || error instanceof NodeOperationError
				? error
				: new NodeOperationError(context.getNode(), error as Error, { itemIndex });
		failure.message = `Could not check whether a PayLink with reference "${reference}" exists, so none was created: ${failure.message}`;
		failure.description = [
			'Skip Existing PayLinks creates an item only once Paynet has said no PayLink has its reference.',
			failure.description,
		]
			.filter(Boolean)
			.join(' ');
		throw failure;
	}
	const [payLink] = normalisePayLinkDetail(response);
	if (payLink && !isBlank(payLink.reference_no) && String(payLink.reference_no) !== reference) {
		throw new NodeOperationError(
			context.getNode(),
			`Paynet answered the lookup of reference "${reference}" with a PayLink for "${String(payLink.reference_no)}", so none was created`,
			{ itemIndex },
		);
	}
	return payLink;
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
