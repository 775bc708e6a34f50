import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import * as createPayLink from './payLink/create';
import * as deactivatePayLink from './payLink/deactivate';
import * as getPayLink from './payLink/get';
import * as listPayLinks from './payLink/list';
import * as reactivatePayLink from './payLink/reactivate';
import * as checkPayment from './payment/check';

type Operation = (this: IExecuteFunctions, items: INodeExecutionData[]) => Promise<INodeExecutionData[]>;

const OPERATIONS: Record<string, Record<string, Operation>> = {
	payLink: {
		create: createPayLink.execute,
		list: listPayLinks.execute,
		get: getPayLink.execute,
		deactivate: deactivatePayLink.execute,
		reactivate: reactivatePayLink.execute,
	},
	payment: {
		check: checkPayment.execute,
	},
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const run = OPERATIONS[resource]?.[operation];
	if (!run) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	}
	return [await run.call(this, items)];
}
