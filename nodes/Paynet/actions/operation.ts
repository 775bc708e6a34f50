import type { IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/**
 * One operation, as its own file exports it: the entry in the Operation
 * list (its `value` is the operation's parameter value), its fields, and
 * what it does. The resource's index and the router both read this, so an
 * operation is registered in one place.
 */
export interface PaynetOperation {
	option: INodePropertyOptions & { action: string };
	description: INodeProperties[];
	execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]>;
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
