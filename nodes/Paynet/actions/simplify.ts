import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { SIMPLIFIED_FIELDS } from '../helpers/paynetFields';
import { requireBoolean } from '../helpers/validation';

/** What a simplified row keeps: a PayLink's or a payment's most used fields. */
export type SimplifiedKind = keyof typeof SIMPLIFIED_FIELDS;

/** Simplify, worded as n8n's own nodes word it; off keeps the full output, as before it existed. */
export const SIMPLIFY_PROPERTY: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: false,
	description: 'Whether to return a simplified version of the response instead of the raw data',
};

/** The row with only the fields Simplify keeps, in the table's order. */
export function simplifyRow(row: IDataObject, kind: SimplifiedKind): IDataObject {
	const simple: IDataObject = {};
	for (const field of SIMPLIFIED_FIELDS[kind]) if (field in row) simple[field] = row[field];
	return simple;
}

/**
 * Reads the item's Simplify before anything is sent (a sheet cell "maybe"
 * fails the item, naming the field) and returns what turns the item's rows
 * into what the user asked for: the rows as they are, or simplified.
 */
export function readSimplify(
	context: IExecuteFunctions,
	itemIndex: number,
	kind: SimplifiedKind,
): (rows: IDataObject[]) => IDataObject[] {
	const simplify = requireBoolean('simplify', context.getNodeParameter('simplify', itemIndex, false));
	return simplify ? (rows) => rows.map((row) => simplifyRow(row, kind)) : (rows) => rows;
}
