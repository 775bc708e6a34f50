import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { normalisePayLinkDetail } from '../../helpers/normalise';
import { PAYNET_ENDPOINT } from '../../helpers/paynetFields';
import { lookupFields, PAYLINK_ID_KEY, REFERENCE_NO_KEY, runPerLookup } from '../lookupKey';
import type { PaynetOperation } from '../operation';

/** What Get, Deactivate and Reactivate find a PayLink by. */
export const PAYLINK_KEYS = [PAYLINK_ID_KEY, REFERENCE_NO_KEY];

export const option: PaynetOperation['option'] = {
	name: 'Get',
	value: 'get',
	description: 'Get one PayLink, with its status, by ID or reference number',
	action: 'Get a PayLink and its status',
};

const properties = lookupFields(PAYLINK_KEYS);

export const description = updateDisplayOptions({ show: { resource: ['payLink'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await runPerLookup(this, items, {
		properties,
		keys: PAYLINK_KEYS,
		ask: async (client, key, itemIndex) =>
			normalisePayLinkDetail(await client.request(PAYNET_ENDPOINT.getPayLink, key, { idempotent: true, itemIndex })),
	});
}
