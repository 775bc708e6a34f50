import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { PAYLINK_STATUS_BY_FILTER } from '../../helpers/normalise';
import { setPayLinkStatus } from './setStatus';

/** Status 0 puts a deactivated PayLink back to awaiting payment. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await setPayLinkStatus(this, items, PAYLINK_STATUS_BY_FILTER.awaitingPayment);
}
