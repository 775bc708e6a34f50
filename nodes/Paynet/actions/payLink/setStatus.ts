import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { PayLinkStatusText } from '../../helpers/paynetFields';
import { PAYLINK_STATUS, PAYNET_ENDPOINT, PAYNET_FIELD } from '../../helpers/paynetFields';
import { runPerLookup } from '../lookupKey';
import type { OperationRun, PaynetOperation } from '../operation';
import { payLinkFields, readPayLinkKey } from './locator';

/**
 * Deactivate and Reactivate are one Paynet call with a different status, so
 * each is this operation with its own entry in the Operation list. Setting
 * a status twice leaves it as set, so the call may be retried.
 */
export function setStatusOperation(
	option: PaynetOperation['option'],
	statusText: PayLinkStatusText,
	what: string,
): PaynetOperation {
	const status = PAYLINK_STATUS[statusText];
	const description = updateDisplayOptions(
		{ show: { resource: ['payLink'], operation: [String(option.value)] } },
		payLinkFields(what),
	);
	async function execute(
		this: IExecuteFunctions,
		items: INodeExecutionData[],
		run: OperationRun,
	): Promise<INodeExecutionData[]> {
		return await runPerLookup(this, items, run, {
			properties: description,
			readKey: (itemIndex) => readPayLinkKey(this, itemIndex),
			ask: async (client, key, itemIndex) => {
				const body = { ...key, [PAYNET_FIELD.payLinkStatus]: status };
				const response = await client.request(PAYNET_ENDPOINT.updatePayLinkStatus, body, {
					idempotent: true,
					itemIndex,
				});
				return [{ ...response, ...body, status_text: statusText }];
			},
		});
	}
	return { option, description, execute };
}
