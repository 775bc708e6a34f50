import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { PayLinkStatusText } from '../../helpers/paynetFields';
import { PAYLINK_STATUS, PAYNET_ENDPOINT, PAYNET_FIELD } from '../../helpers/paynetFields';
import { createPaynetClient } from '../../transport/client';
import { LOOKUP_CONCURRENCY, lookupFields, readLookupKey } from '../lookupKey';
import { runPerItem } from '../perItem';
import { PAYLINK_KEYS } from './get';

/** The fields of an operation that sets a PayLink's status: which PayLink. */
export function setStatusDescription(operation: string): INodeProperties[] {
	return updateDisplayOptions(
		{ show: { resource: ['payLink'], operation: [operation] } },
		lookupFields(PAYLINK_KEYS),
	);
}

/**
 * Deactivate and Reactivate are one Paynet call with a different status.
 * Setting a status twice leaves it as set, so the call may be retried.
 */
export async function setPayLinkStatus(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	properties: INodeProperties[],
	statusText: PayLinkStatusText,
): Promise<INodeExecutionData[]> {
	const status = PAYLINK_STATUS[statusText];
	const client = await createPaynetClient(context);
	return await runPerItem(context, items, {
		properties,
		concurrency: LOOKUP_CONCURRENCY,
		run: async (itemIndex): Promise<IDataObject[]> => {
			const key = readLookupKey(context, itemIndex, PAYLINK_KEYS);
			const body = { ...key, [PAYNET_FIELD.payLinkStatus]: status };
			const response = await client.request(PAYNET_ENDPOINT.updatePayLinkStatus, body, {
				idempotent: true,
				itemIndex,
			});
			return [{ ...response, ...body, status_text: statusText }];
		},
	});
}
