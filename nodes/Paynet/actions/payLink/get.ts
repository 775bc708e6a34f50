import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { normalisePayLinkDetail } from '../../helpers/normalise';
import { PAYNET_ENDPOINT } from '../../helpers/paynetFields';
import { runPerLookup } from '../lookupKey';
import type { OperationRun, PaynetOperation } from '../operation';
import { readSimplify, SIMPLIFY_PROPERTY } from '../simplify';
import { payLinkFields, readPayLinkKey } from './locator';

export const option: PaynetOperation['option'] = {
	name: 'Get',
	value: 'get',
	description: 'Get one PayLink, with its status, by ID or reference number',
	action: 'Get a PayLink and its status',
};

const properties: INodeProperties[] = [...payLinkFields('to get'), SIMPLIFY_PROPERTY];

export const description = updateDisplayOptions({ show: { resource: ['payLink'], operation: ['get'] } }, properties);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	run: OperationRun,
): Promise<INodeExecutionData[]> {
	return await runPerLookup(this, items, run, {
		properties,
		readKey: (itemIndex) => readPayLinkKey(this, itemIndex),
		ask: async (client, key, itemIndex) => {
			const asAsked = readSimplify(this, itemIndex, 'payLink');
			return asAsked(
				normalisePayLinkDetail(await client.request(PAYNET_ENDPOINT.getPayLink, key, { idempotent: true, itemIndex })),
			);
		},
	});
}
