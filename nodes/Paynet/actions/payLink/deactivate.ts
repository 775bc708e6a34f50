import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { PAYLINK_STATUS_BY_FILTER } from '../../helpers/normalise';
import { setPayLinkStatus } from './setStatus';

/** Paynet has no delete for PayLinks: status 3 ("passive") stops the link from taking payments. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await setPayLinkStatus(this, items, PAYLINK_STATUS_BY_FILTER.deactivated);
}
