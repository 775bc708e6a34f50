import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { PaynetParameter } from '../helpers/paynetFields';
import { PAYNET_FIELD } from '../helpers/paynetFields';
import { requireNonEmpty } from '../helpers/validation';
import type { PaynetClient } from '../transport/client';
import { createPaynetClient } from '../transport/client';
import type { OperationRun } from './operation';
import { runPerItem } from './perItem';

/** Lookups are small and independent; a few at a time keeps a long sheet quick without flooding Paynet. */
export const LOOKUP_CONCURRENCY = 5;

/** One key a record can be looked up by: a "Look Up By" choice and the field that holds it. */
export interface LookupKey {
	/** The "Look Up By" value. */
	value: string;
	/** The field holding the key; PAYNET_FIELD names it on the wire. */
	parameter: PaynetParameter;
	displayName: string;
	/** Shown under the "Look Up By" choice. */
	optionDescription: string;
	/** Shown under the field. */
	description: string;
	placeholder?: string;
}

export const PAYLINK_ID_KEY: LookupKey = {
	value: 'id',
	parameter: 'payLinkId',
	displayName: 'PayLink ID',
	optionDescription: 'The ID that PayLink → Create returned',
	description: 'The ID that PayLink → Create returned',
	placeholder: 'e.g. f5e0a85b-2cf0-4596-b0c5-c027de671e49',
};

export const REFERENCE_NO_KEY: LookupKey = {
	value: 'referenceNo',
	parameter: 'referenceNo',
	displayName: 'Reference No',
	optionDescription: 'Your invoice or order number',
	description: 'The reference number the PayLink was created with',
	placeholder: 'e.g. INV-2024-118',
};

export const XACT_ID_KEY: LookupKey = {
	value: 'xactId',
	parameter: 'xactId',
	displayName: 'Transaction ID',
	optionDescription: "Paynet's transaction number",
	description: "Paynet's transaction number, as added to the Succeed and Error URLs",
	placeholder: 'e.g. xk_EAAAA…',
};

/** "Look Up By" (the first key is the default) and one required field per key, shown when it is chosen. */
export function lookupFields(keys: LookupKey[]): INodeProperties[] {
	const defaultKey = keys[0].value;
	return [
		{
			displayName: 'Look Up By',
			name: 'lookupBy',
			type: 'options',
			options: keys.map((key) => ({
				name: key.displayName,
				value: key.value,
				description: key.optionDescription,
			})),
			default: defaultKey,
		},
		...keys.map(
			(key): INodeProperties => ({
				displayName: key.displayName,
				name: key.parameter,
				type: 'string',
				required: true,
				default: '',
				...(key.placeholder === undefined ? {} : { placeholder: key.placeholder }),
				description: key.description,
				displayOptions: { show: { lookupBy: [key.value] } },
			}),
		),
	];
}

/** The Paynet key and value this item looks its record up by, e.g. `{ reference_no: 'INV-1' }`. */
export function readLookupKey(context: IExecuteFunctions, itemIndex: number, keys: LookupKey[]): IDataObject {
	const lookupBy = context.getNodeParameter('lookupBy', itemIndex, keys[0].value) as string;
	const key = keys.find((candidate) => candidate.value === lookupBy) ?? keys[0];
	const value = requireNonEmpty(key.parameter, context.getNodeParameter(key.parameter, itemIndex, ''));
	return { [PAYNET_FIELD[key.parameter]]: value };
}

/**
 * Runs an operation that looks one record up per item, a few items at a
 * time: `readKey` reads the item's Paynet key (from "Look Up By" and its
 * fields, or a PayLink's Resource Locator), `ask` gets it and returns the
 * item's rows.
 */
export async function runPerLookup(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	{ continueOnFail }: OperationRun,
	{
		properties,
		readKey,
		ask,
	}: {
		properties: INodeProperties[];
		readKey: (itemIndex: number) => IDataObject;
		ask: (client: PaynetClient, key: IDataObject, itemIndex: number) => Promise<IDataObject[]>;
	},
): Promise<INodeExecutionData[]> {
	const client = await createPaynetClient(context);
	return await runPerItem(context, items, {
		properties,
		continueOnFail,
		concurrency: LOOKUP_CONCURRENCY,
		run: async (itemIndex) => await ask(client, readKey(itemIndex), itemIndex),
	});
}
