import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { normalisePayLinkDetail } from '../../helpers/normalise';
import { PAYNET_ENDPOINT } from '../../helpers/paynetFields';
import { createPaynetClient } from '../../transport/client';
import { runPerItem } from '../perItem';
import { lookupProperties, readPayLinkKey } from './lookup';

/** Lookups are small and independent; a few at a time keeps a long sheet quick without flooding Paynet. */
const CONCURRENCY = 5;

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const client = await createPaynetClient(this);
	return await runPerItem(
		this,
		items,
		lookupProperties,
		async (itemIndex): Promise<IDataObject[]> => {
			const key = readPayLinkKey(this, itemIndex);
			const response = await client.request(PAYNET_ENDPOINT.getPayLink, key, { idempotent: true, itemIndex });
			return normalisePayLinkDetail(response);
		},
		CONCURRENCY,
	);
}
