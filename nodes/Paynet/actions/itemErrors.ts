import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { InvalidFieldError } from '../helpers/validation';
import { PaynetApiError } from '../transport/client';

function findDisplayName(properties: INodeProperties[], name: string): string | undefined {
	for (const property of properties) {
		if (property.name === name) return property.displayName;
		const nested = (property.options ?? []) as INodeProperties[];
		if (nested.length && typeof nested[0] === 'object' && 'displayName' in nested[0]) {
			const found = findDisplayName(nested, name);
			if (found) return found;
		}
	}
	return undefined;
}

/**
 * Every failure of one item becomes an n8n error that names the item, and
 * for bad input the field as the user sees it and as it is named.
 */
export function toItemError(
	context: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
	properties: INodeProperties[],
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError) {
		error.message = error.message.startsWith('Item ') ? error.message : `Item ${itemIndex}: ${error.message}`;
		error.context.itemIndex = itemIndex;
		return error;
	}
	if (error instanceof InvalidFieldError) {
		const label = findDisplayName(properties, error.field);
		const field = label && label !== error.field ? `${label} (${error.field})` : error.field;
		return new NodeOperationError(context.getNode(), `Item ${itemIndex}: ${field} ${error.problem}`, {
			itemIndex,
		});
	}
	if (error instanceof NodeOperationError) {
		error.message = error.message.startsWith('Item ') ? error.message : `Item ${itemIndex}: ${error.message}`;
		error.context.itemIndex = itemIndex;
		return error;
	}
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(context.getNode(), `Item ${itemIndex}: ${message}`, { itemIndex });
}

export interface ErrorItemExtras {
	/** The reference the item's PayLink had or would have had, to match the row back. */
	referenceNo?: string;
}

/**
 * What Continue On Fail outputs in place of a failed item.
 *
 * Under "Continue (using error output)" n8n 1.x moves an item to the error
 * output when its json is `{error}` or `{error, message}`, n8n 2.x when its
 * json has no keys but `error`, `message` and `details`; both then put the
 * input row's json under it, so the sheet's own columns come along. (An
 * item with `error` set is routed too, but both majors then cut its json
 * down to the error's message, input row and hint lost.) So the item is
 * `{error, message}`: the full message, which names the item, its reference
 * and Paynet's answer, and the hint. Under "Continue (using regular output)"
 * the item keeps `description` and gains the reference and Paynet's message
 * as fields of their own.
 */
export function errorItem(
	context: IExecuteFunctions,
	error: NodeApiError | NodeOperationError,
	itemIndex: number,
	extras: ErrorItemExtras = {},
): INodeExecutionData {
	const json: INodeExecutionData['json'] = { error: error.message };
	if (context.getNode().onError === 'continueErrorOutput') {
		if (error.description) json.message = error.description;
		return { json, pairedItem: { item: itemIndex } };
	}
	if (error.description) json.description = error.description;
	if (extras.referenceNo !== undefined) json.reference_no = extras.referenceNo;
	const paynetMessage = paynetMessageOf(error);
	if (paynetMessage !== undefined) json.paynet_message = paynetMessage;
	return { json, pairedItem: { item: itemIndex } };
}

/** Paynet's own message text, when the error is an answer from Paynet that had one. */
function paynetMessageOf(error: NodeApiError | NodeOperationError): string | undefined {
	if (!(error instanceof PaynetApiError)) return undefined;
	const message = error.failure.details.message;
	return typeof message === 'string' && message !== '' ? message : undefined;
}
