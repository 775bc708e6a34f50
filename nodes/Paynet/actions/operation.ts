import type { IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/**
 * What the node's `execute()` read once for the whole run and hands to the
 * operation: n8n's lint (`require-continue-on-fail`) wants Continue On Fail
 * read in `execute()` itself, so it is read there and passed down.
 */
export interface OperationRun {
	/** The node's On Error is a Continue setting: a failing item becomes an error item and the others run. */
	continueOnFail: boolean;
}

/**
 * One operation, as its own file exports it: the entry in the Operation
 * list (its `value` is the operation's parameter value), its fields, and
 * what it does. The resource's index and the router both read this, so an
 * operation is registered in one place.
 */
export interface PaynetOperation {
	option: INodePropertyOptions & { action: string };
	description: INodeProperties[];
	execute(this: IExecuteFunctions, items: INodeExecutionData[], run: OperationRun): Promise<INodeExecutionData[]>;
}

/** A resource, as its folder's index exports it: its entry in the Resource list, its fields, its operations. */
export interface PaynetResource {
	option: INodePropertyOptions;
	description: INodeProperties[];
	operations: Record<string, PaynetOperation>;
}

/** A resource: its Operation parameter and every operation's fields, derived from the operations. */
export function resourceDescription(
	resource: string,
	operations: PaynetOperation[],
	defaultOperation: string,
): INodeProperties[] {
	return [
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [resource] } },
			options: operations.map((operation) => operation.option),
			default: defaultOperation,
		},
		...operations.flatMap((operation) => operation.description),
	];
}

/** The operations of a resource by their parameter value, for the router. */
export function byValue(operations: PaynetOperation[]): Record<string, PaynetOperation> {
	return Object.fromEntries(operations.map((operation) => [String(operation.option.value), operation]));
}
