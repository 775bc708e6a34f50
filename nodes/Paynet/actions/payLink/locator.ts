import type { IDataObject, IExecuteFunctions, INodeParameterResourceLocator, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { PAYNET_FIELD } from '../../helpers/paynetFields';
import { requireNonEmpty } from '../../helpers/validation';
import { lookupFields, PAYLINK_ID_KEY, readLookupKey, REFERENCE_NO_KEY } from '../lookupKey';

// How Get, Deactivate and Reactivate are told which PayLink. Version 1 (the
// workflows saved before version 2) has "Look Up By" and a field per key;
// version 2 has one Resource Locator, `payLink`, picked From List, By ID or
// By Reference No. Both shapes stay in the description, each shown for its
// version, and `readPayLinkKey` reads the one the node has.

/** The first version whose PayLink is a Resource Locator. */
export const LOCATOR_VERSION = 2;

/** The name of the version-2 parameter (API: saved workflows hold it). */
export const PAYLINK_LOCATOR = 'payLink';

/** The method behind From List (`methods.listSearch` of the node). */
export const SEARCH_METHOD = 'searchPayLinks';

/**
 * PayLink IDs are GUIDs (what Create returns). Checked in the editor only:
 * an ID from an expression is sent as given, and Paynet answers for it.
 */
const PAYLINK_ID_REGEX = '^\\s*[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\s*$';

const VERSION_1 = { '@version': [1] };
const VERSION_2_ON = { '@version': [{ _cnd: { gte: LOCATOR_VERSION } }] };

/** The PayLink picked From List, By ID or By Reference No; `what` ends the description ("to get"). */
function payLinkLocator(what: string): INodeProperties {
	return {
		displayName: 'PayLink',
		name: PAYLINK_LOCATOR,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: `The PayLink ${what}`,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: SEARCH_METHOD, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: PAYLINK_ID_KEY.placeholder,
				validation: [
					{
						type: 'regex',
						properties: {
							regex: PAYLINK_ID_REGEX,
							errorMessage: 'Not a PayLink ID: the ID PayLink → Create returns looks like the example',
						},
					},
				],
			},
			{
				displayName: 'By Reference No',
				name: 'referenceNo',
				type: 'string',
				placeholder: REFERENCE_NO_KEY.placeholder,
			},
		],
	};
}

/** Both versions' fields for an operation on one PayLink, each shown for its own version. */
export function payLinkFields(what: string): INodeProperties[] {
	return [
		...updateDisplayOptions({ show: VERSION_1 }, lookupFields([PAYLINK_ID_KEY, REFERENCE_NO_KEY])),
		...updateDisplayOptions({ show: VERSION_2_ON }, [payLinkLocator(what)]),
	];
}

/**
 * The Paynet key of the item's PayLink, e.g. `{ id: '…' }` or
 * `{ reference_no: 'INV-1' }`. From List gives the PayLink's reference
 * number: Paynet's list has no PayLink IDs (docs/operations.md).
 */
export function readPayLinkKey(context: IExecuteFunctions, itemIndex: number): IDataObject {
	if ((context.getNode().typeVersion ?? 1) < LOCATOR_VERSION)
		return readLookupKey(context, itemIndex, [PAYLINK_ID_KEY, REFERENCE_NO_KEY]);
	const locator = context.getNodeParameter(PAYLINK_LOCATOR, itemIndex, undefined, {
		extractValue: false,
	}) as INodeParameterResourceLocator | string | undefined;
	// A value from an expression over the whole parameter is a plain string: taken as a reference number.
	const { mode, value } =
		typeof locator === 'object' && locator !== null ? locator : { mode: 'referenceNo', value: locator };
	const key = requireNonEmpty(PAYLINK_LOCATOR, value);
	return mode === 'id' ? { [PAYNET_FIELD.payLinkId]: key } : { [PAYNET_FIELD.referenceNo]: key };
}
