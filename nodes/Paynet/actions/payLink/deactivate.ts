import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { PaynetOperation } from '../operation';
import { setPayLinkStatus, setStatusDescription } from './setStatus';

export const option: PaynetOperation['option'] = {
	name: 'Deactivate',
	value: 'deactivate',
	description: 'Stop a payment link from taking payments (v1/mailorder/status_update, status 3)',
	action: 'Deactivate a pay link',
};

export const description = setStatusDescription('deactivate');

/** Paynet has no delete for PayLinks: status 3 ("passive") stops the link from taking payments. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await setPayLinkStatus(this, items, description, 'deactivated');
}
