import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { PAYLINK_STATUS_TEXT } from '../../helpers/normalise';
import { PAYNET_ENDPOINT, PAYNET_FIELD } from '../../helpers/paynetFields';
import { createPaynetClient } from '../../transport/client';
import { runPerItem } from '../perItem';
import { lookupProperties, readPayLinkKey } from './lookup';

const CONCURRENCY = 5;

/**
 * Deactivate and Reactivate are one Paynet call with a different status.
 * Setting a status twice leaves it as set, so the call may be retried.
 */
export async function setPayLinkStatus(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	status: number,
): Promise<INodeExecutionData[]> {
	const client = await createPaynetClient(context);
	return await runPerItem(
		context,
		items,
		lookupProperties,
		async (itemIndex): Promise<IDataObject[]> => {
			const key = readPayLinkKey(context, itemIndex);
			const body = { ...key, [PAYNET_FIELD.payLinkStatus]: status };
			const response = await client.request(PAYNET_ENDPOINT.updatePayLinkStatus, body, {
				idempotent: true,
				itemIndex,
			});
			return [{ ...response, ...body, status_text: PAYLINK_STATUS_TEXT[status] }];
		},
		CONCURRENCY,
	);
}
