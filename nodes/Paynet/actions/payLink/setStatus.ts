import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { PayLinkStatusText } from '../../helpers/paynetFields';
import { PAYLINK_STATUS, PAYNET_ENDPOINT, PAYNET_FIELD } from '../../helpers/paynetFields';
import { lookupFields, runPerLookup } from '../lookupKey';
import type { PaynetOperation } from '../operation';
import { PAYLINK_KEYS } from './get';

/**
 * Deactivate and Reactivate are one Paynet call with a different status, so
 * each is this operation with its own entry in the Operation list. Setting
 * a status twice leaves it as set, so the call may be retried.
 */
export function setStatusOperation(option: PaynetOperation['option'], statusText: PayLinkStatusText): PaynetOperation {
	const status = PAYLINK_STATUS[statusText];
	const description = updateDisplayOptions(
		{ show: { resource: ['payLink'], operation: [String(option.value)] } },
		lookupFields(PAYLINK_KEYS),
	);
	async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
		return await runPerLookup(this, items, {
			properties: description,
			keys: PAYLINK_KEYS,
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
