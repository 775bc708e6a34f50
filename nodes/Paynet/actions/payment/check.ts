import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { normaliseTransaction } from '../../helpers/normalise';
import { PAYNET_ENDPOINT } from '../../helpers/paynetFields';
import { isPaynetNoData } from '../../transport/noData';
import { lookupFields, readLookupKey, REFERENCE_NO_KEY, runPerLookup, XACT_ID_KEY } from '../lookupKey';
import type { OperationRun, PaynetOperation } from '../operation';
import { toItemError } from '../itemErrors';
import { readSimplify, SIMPLIFY_PROPERTY } from '../simplify';

/** A reference's payment attempts are returned, failed ones included. */
const KEYS = [
	{
		...REFERENCE_NO_KEY,
		optionDescription: 'The reference number the PayLink was created with',
		description:
			'The reference number the PayLink was created with. Every payment attempt on it is returned, failed ones included.',
	},
	XACT_ID_KEY,
];

export const option: PaynetOperation['option'] = {
	name: 'Check',
	value: 'check',
	description: 'Look up the payment attempts on a reference number or transaction. No item means no payment yet.',
	action: 'Check whether a PayLink was paid',
};

const properties: INodeProperties[] = [
	...lookupFields(KEYS),
	SIMPLIFY_PROPERTY,
	{
		displayName:
			'One item is output per payment attempt. When Paynet has no payment for the reference yet, the item outputs nothing (not an error): turn on "Always Output Data" in the node settings to continue anyway.',
		name: 'noPaymentNotice',
		type: 'notice',
		default: '',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['payment'], operation: ['check'] } }, properties);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	run: OperationRun,
): Promise<INodeExecutionData[]> {
	return await runPerLookup(this, items, run, {
		properties,
		readKey: (itemIndex) => readLookupKey(this, itemIndex, KEYS),
		ask: async (client, key, itemIndex) => {
			const asAsked = readSimplify(this, itemIndex, 'payment');
			let response: IDataObject;
			try {
				response = await client.request(PAYNET_ENDPOINT.checkTransaction, key, { idempotent: true, itemIndex });
			} catch (error) {
				// "No transaction" is Paynet's normal answer before anyone pays, not a failure.
				if (isPaynetNoData(error)) return [];
				throw toItemError(this, error, itemIndex, properties);
			}
			const rows = Array.isArray(response.Data) ? (response.Data as IDataObject[]) : [];
			return asAsked(rows.map(normaliseTransaction));
		},
	});
}
