import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { normaliseTransaction } from '../../helpers/normalise';
import { PAYNET_ENDPOINT, PAYNET_FIELD } from '../../helpers/paynetFields';
import { requireNonEmpty } from '../../helpers/validation';
import { createPaynetClient } from '../../transport/client';
import { isPaynetNoData } from '../../transport/noData';
import { toItemError } from '../itemErrors';
import { runPerItem } from '../perItem';

const CONCURRENCY = 5;

const properties: INodeProperties[] = [
	{
		displayName: 'Look Up By',
		name: 'lookupBy',
		type: 'options',
		options: [
			{
				name: 'Reference No',
				value: 'referenceNo',
				description: 'The reference number the PayLink was created with',
			},
			{ name: 'Transaction ID', value: 'xactId', description: "Paynet's transaction number (xact_id)" },
		],
		default: 'referenceNo',
	},
	{
		displayName: 'Reference No',
		name: 'referenceNo',
		type: 'string',
		required: true,
		default: '',
		description:
			'The reference number the PayLink was created with. Every payment attempt on it is returned, failed ones included.',
		displayOptions: { show: { lookupBy: ['referenceNo'] } },
	},
	{
		displayName: 'Transaction ID',
		name: 'xactId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'xk_EAAAA…',
		description: "Paynet's transaction number (xact_id), as appended to the succeed and error URLs",
		displayOptions: { show: { lookupBy: ['xactId'] } },
	},
	{
		displayName:
			'One item is output per payment attempt. When Paynet has no payment for the reference yet, the item outputs nothing (not an error): turn on "Always Output Data" in the node settings to continue anyway.',
		name: 'noPaymentNotice',
		type: 'notice',
		default: '',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['payment'], operation: ['check'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const client = await createPaynetClient(this);
	return await runPerItem(
		this,
		items,
		properties,
		async (itemIndex): Promise<IDataObject[]> => {
			const lookupBy = this.getNodeParameter('lookupBy', itemIndex, 'referenceNo') as string;
			const parameter = lookupBy === 'xactId' ? 'xactId' : 'referenceNo';
			const value = requireNonEmpty(parameter, this.getNodeParameter(parameter, itemIndex, ''));
			let response: IDataObject;
			try {
				response = await client.request(
					PAYNET_ENDPOINT.checkTransaction,
					{ [PAYNET_FIELD[parameter]]: value },
					{ idempotent: true, itemIndex },
				);
			} catch (error) {
				// "No transaction" is Paynet's normal answer before anyone pays, not a failure.
				if (isPaynetNoData(error)) return [];
				throw toItemError(this, error, itemIndex, properties);
			}
			const rows = Array.isArray(response.Data) ? (response.Data as IDataObject[]) : [];
			return rows.map(normaliseTransaction);
		},
		CONCURRENCY,
	);
}
