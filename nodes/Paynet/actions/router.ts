import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { OperationRun, PaynetResource } from './operation';
import * as payLink from './payLink';
import * as payment from './payment';

/** The one list of resources: the node's fields and the dispatch below both come from it. */
const RESOURCES: PaynetResource[] = [payLink, payment];

/** The Resource parameter, then every resource's Operation parameter and fields. */
export const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: RESOURCES.map((resource) => resource.option),
		default: 'payLink',
	},
	...RESOURCES.flatMap((resource) => resource.description),
];

export async function router(this: IExecuteFunctions, run: OperationRun): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const selected = RESOURCES.find((candidate) => candidate.option.value === resource)?.operations[operation];
	if (!selected) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	}
	return [await selected.execute.call(this, items, run)];
}
