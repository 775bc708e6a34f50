import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { InvalidFieldError } from '../helpers/validation';

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
		error.context.itemIndex = itemIndex;
		return error;
	}
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(context.getNode(), `Item ${itemIndex}: ${message}`, { itemIndex });
}

/** What Continue On Fail outputs in place of a failed item. */
export function errorItem(error: NodeApiError | NodeOperationError, itemIndex: number): INodeExecutionData {
	const json: INodeExecutionData['json'] = { error: error.message };
	if (error.description) json.description = error.description;
	return { json, pairedItem: { item: itemIndex } };
}
