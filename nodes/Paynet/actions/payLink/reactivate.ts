import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { PaynetOperation } from '../operation';
import { setPayLinkStatus, setStatusDescription } from './setStatus';

export const option: PaynetOperation['option'] = {
	name: 'Reactivate',
	value: 'reactivate',
	description: 'Let a deactivated payment link take payments again (v1/mailorder/status_update, status 0)',
	action: 'Reactivate a pay link',
};

export const description = setStatusDescription('reactivate');

/** Status 0 puts a deactivated PayLink back to awaiting payment. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await setPayLinkStatus(this, items, description, 'awaiting_payment');
}
