import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import { PAYLINK_STATUS_TEXT, PAYNET_QUIRK_NAMES } from './paynetFields';

/**
 * Paynet's responses disagree with its own tables (see the spec's quirks):
 * numbers arrive as JSON numbers, dot strings ("200.0000") or Turkish strings
 * ("2.441,00"); booleans as true/"true"/1; some keys in camelCase. Everything
 * the node outputs passes through these schemas, so users see one shape.
 */

/** Reads a number Paynet sent in any of its notations; `undefined` when it is not one. */
export function readPaynetNumber(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	if (typeof value !== 'string') return undefined;
	const text = value.replace(/[\s\u00a0]/g, '');
	if (text === '') return undefined;
	let normalised: string;
	if (/^-?\d+(\.\d+)?$/.test(text)) normalised = text;
	else if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(text)) normalised = text.replace(/,/g, '');
	else if (/^-?\d{1,3}(\.\d{3})*(,\d+)?$/.test(text) || /^-?\d+,\d+$/.test(text))
		normalised = text.replace(/\./g, '').replace(',', '.');
	else return undefined;
	const number = Number(normalised);
	return Number.isFinite(number) ? number : undefined;
}

/**
 * A number field the node passes on rather than decides on: readable values
 * become numbers, an empty string null, and anything else stays as sent, so
 * nothing Paynet said is lost.
 */
export function numberOrAsSent(value: unknown): unknown {
	if (value === null || value === undefined || value === '') return value === '' ? null : value;
	return readPaynetNumber(value) ?? value;
}

export function readPaynetBoolean(value: unknown): boolean | undefined {
	if (typeof value === 'boolean') return value;
	if (value === 1 || value === '1' || value === 'true' || value === 'True' || value === 'TRUE') return true;
	if (value === 0 || value === '0' || value === 'false' || value === 'False' || value === 'FALSE') return false;
	return undefined;
}

/** A JSON object (not an array, not null): what Paynet's rows and a posted body must be. */
export function isPlainObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const numeric = z.unknown().transform(numberOrAsSent);

const boolean = z.unknown().transform((value) => {
	if (value === null || value === undefined) return value;
	return readPaynetBoolean(value) ?? value;
});

function isEmpty(value: unknown): boolean {
	return value === undefined || value === null || value === '';
}

/**
 * `raw`, or a copy of it when needed, with Paynet's stray spellings (`quirks`: documented name →
 * the other spelling) under their documented names. The documented key wins
 * when both arrive, unless it is empty. Built in one pass, without `delete`,
 * which would make every row a slow dictionary-mode object.
 */
function withDocumentedNames(
	raw: IDataObject,
	quirks: Record<string, string>,
	documentedFor: Record<string, string>,
): IDataObject {
	if (!Object.keys(documentedFor).some((quirk) => quirk in raw)) return raw;
	const row: IDataObject = {};
	for (const key of Object.keys(raw)) {
		const name = documentedFor[key] ?? key;
		if (name in row) continue;
		const quirk = quirks[name];
		const documented = raw[name];
		row[name] = quirk !== undefined && quirk in raw && isEmpty(documented) ? raw[quirk] : documented;
	}
	return row;
}

function invert(map: Record<string, string>): Record<string, string> {
	return Object.fromEntries(Object.entries(map).map(([key, value]) => [value, key]));
}

const PAYLINK_QUIRKS: Record<string, string> = PAYNET_QUIRK_NAMES.payLink;
const PAYLINK_DOCUMENTED = invert(PAYLINK_QUIRKS);

const TRANSACTION_QUIRKS: Record<string, string> = PAYNET_QUIRK_NAMES.transaction;
const TRANSACTION_DOCUMENTED = invert(TRANSACTION_QUIRKS);

function currency(value: unknown): unknown {
	return value === 'TL' ? 'TRY' : value;
}

const payLinkRow = z
	.object({
		amount: numeric.optional(),
		installment: numeric.optional(),
		status: numeric.optional(),
		send_sms: boolean.optional(),
		send_mail: boolean.optional(),
		send_confirmation_mail: boolean.optional(),
		multi_payment: boolean.optional(),
	})
	.passthrough();

/** One PayLink from List or Get, under the list table's snake_case names, with `status_text`. */
export function normalisePayLink(raw: IDataObject): IDataObject {
	// Spread once more: zod builds its result key by key, which leaves V8 a
	// dictionary-mode object about twice the size, and a List may keep 50,000.
	const row: IDataObject = {
		...(payLinkRow.parse(withDocumentedNames(raw, PAYLINK_QUIRKS, PAYLINK_DOCUMENTED)) as IDataObject),
	};
	if ('currency' in row) row.currency = currency(row.currency) as string;
	if (typeof row.status === 'number') row.status_text = PAYLINK_STATUS_TEXT[row.status] ?? null;
	return row;
}

const transactionRow = z
	.object({
		amount: numeric.optional(),
		net_amount: numeric.optional(),
		comission: numeric.optional(),
		comission_tax: numeric.optional(),
		ratio: numeric.optional(),
		instalment: numeric.optional(),
		is_succeed: boolean.optional(),
		is_tds: boolean.optional(),
	})
	.passthrough();

/** One transaction row of v1/transaction/check or list: `agent_reference` is the merchant's reference_no. */
export function normaliseTransaction(raw: IDataObject): IDataObject {
	const row = withDocumentedNames(raw, TRANSACTION_QUIRKS, TRANSACTION_DOCUMENTED);
	const parsed = transactionRow.parse(row) as IDataObject;
	if ('currency' in parsed) parsed.currency = currency(parsed.currency) as string;
	return parsed;
}

/** Paynet's list envelope (mailorder and transaction lists share it): `Data` with a capital D. */
const listEnvelope = z
	.object({
		// z.custom checks each row without copying it (z.record would): pages are parsed once more by normalisePayLink.
		Data: z.array(z.custom<IDataObject>(isPlainObject)).nullish(),
		has_more: boolean.optional(),
		total: numeric.optional(),
	})
	.passthrough();

export interface ListPage {
	rows: IDataObject[];
	/** `undefined` when Paynet sent no `has_more`: only `total`, or nothing, can tell then. */
	hasMore: boolean | undefined;
	total: number | undefined;
}

/** Reads one list page; `undefined` when the body is not a list envelope at all. */
export function readListPage(body: unknown): ListPage | undefined {
	const parsed = listEnvelope.safeParse(body);
	if (!parsed.success) return undefined;
	const { Data, has_more, total } = parsed.data;
	return {
		rows: (Data ?? []) as IDataObject[],
		hasMore: has_more === undefined || has_more === null ? undefined : has_more === true,
		total: typeof total === 'number' ? total : undefined,
	};
}

/** Envelope fields of a single-object response, which are not part of the PayLink. */
const ENVELOPE_FIELDS = ['object_name', 'code', 'message'];

/**
 * The PayLink(s) of a v1/mailorder/detail response. Its shape is not well
 * documented, so the PayLink is accepted at the top level or inside `Data`
 * (an array or one object), and normalised as List rows are.
 */
export function normalisePayLinkDetail(body: IDataObject): IDataObject[] {
	const data = body.Data ?? body.data;
	let rows: IDataObject[];
	if (Array.isArray(data)) rows = data.filter(isPlainObject);
	else if (isPlainObject(data)) rows = [data];
	else {
		const row: IDataObject = { ...body };
		for (const field of ENVELOPE_FIELDS) delete row[field];
		delete row.Data;
		delete row.data;
		rows = Object.keys(row).length > 0 ? [row] : [];
	}
	return rows.map(normalisePayLink);
}
