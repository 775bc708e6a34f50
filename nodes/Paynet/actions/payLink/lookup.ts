import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { PAYNET_FIELD } from '../../helpers/paynetFields';
import { requireNonEmpty } from '../../helpers/validation';

/** The operations that find one PayLink by its id or by the merchant's reference number. */
export const LOOKUP_OPERATIONS = ['get', 'deactivate', 'reactivate'];

const properties: INodeProperties[] = [
	{
		displayName: 'Look Up By',
		name: 'lookupBy',
		type: 'options',
		options: [
			{ name: 'PayLink ID', value: 'id', description: 'The ID that PayLink → Create returned' },
			{ name: 'Reference No', value: 'referenceNo', description: 'Your invoice or order number' },
		],
		default: 'id',
	},
	{
		displayName: 'PayLink ID',
		name: 'payLinkId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'f5e0a85b-2cf0-4596-b0c5-c027de671e49',
		description: 'The ID that PayLink → Create returned',
		displayOptions: { show: { lookupBy: ['id'] } },
	},
	{
		displayName: 'Reference No',
		name: 'referenceNo',
		type: 'string',
		required: true,
		default: '',
		description: 'The reference number the PayLink was created with',
		displayOptions: { show: { lookupBy: ['referenceNo'] } },
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['payLink'], operation: LOOKUP_OPERATIONS } },
	properties,
);

/** The Paynet key (`id` or `reference_no`) and value this item looks the PayLink up by. */
export function readPayLinkKey(context: IExecuteFunctions, itemIndex: number): IDataObject {
	const lookupBy = context.getNodeParameter('lookupBy', itemIndex, 'id') as string;
	const parameter = lookupBy === 'referenceNo' ? 'referenceNo' : 'payLinkId';
	const value = requireNonEmpty(parameter, context.getNodeParameter(parameter, itemIndex, ''));
	return { [PAYNET_FIELD[parameter]]: value };
}

export { properties as lookupProperties };
