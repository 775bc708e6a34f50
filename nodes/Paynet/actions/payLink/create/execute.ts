import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	NodeApiError,
	NodeOperationError,
} from 'n8n-workflow';

import { PAYNET_ENDPOINT, PAYNET_FIELD } from '../../../helpers/paynetFields';
import { isBlank } from '../../../helpers/validation';
import { createPaynetClient, PaynetApiError, withMayExistHint } from '../../../transport/client';
import { describeMissingPayLink, returnCodeName, toReturnCode } from '../../../transport/responses';
import { runPerItem } from '../../perItem';
import { buildCreateBody } from './body';
import { properties, readCreateOptions } from './description';
import { findExistingPayLink, oneAtATimePerReference } from './skipExisting';

/** A stopped run's error names at most this many of the links it had made. */
const MAX_LISTED_LINKS = 50;

interface PreparedCreate {
	body: IDataObject;
	/** Set when Skip Existing is on and the user gave the reference: only such a reference can already exist. */
	givenReference?: string;
}

/**
 * The error that stops a run after some links exist names them, so their
 * URLs are not lost and a re-run can skip them instead of duplicating them.
 */
function withCreatedLinks(
	error: NodeApiError | NodeOperationError,
	created: IDataObject[],
): NodeApiError | NodeOperationError {
	if (created.length === 0) return error;
	const count = created.length === 1 ? '1 PayLink' : `${created.length} PayLinks`;
	const listed = created
		.slice(0, MAX_LISTED_LINKS)
		.map((json) => `${json[PAYNET_FIELD.referenceNo] ?? '(no reference)'} → id ${String(json.id)} ${String(json.url)}`);
	const more = created.length > MAX_LISTED_LINKS ? `; and ${created.length - MAX_LISTED_LINKS} more` : '';
	const unreferenced = created.filter(
		(json) => json[PAYNET_FIELD.referenceNo] === null || json[PAYNET_FIELD.referenceNo] === undefined,
	).length;
	error.message = `${error.message}. The node stopped after ${count} had been created in this run (listed in the details)`;
	error.description = [
		`Created before the node stopped (${created.length}): ${listed.join('; ')}${more}.`,
		'To run again without creating these twice: give every row a Reference No, turn on Options → Skip Existing PayLinks and run the same rows again; rows whose PayLink exists are output with skipped: true.',
		unreferenced > 0
			? `${unreferenced} of them had no Reference No: remove those rows before running again, or they are created again.`
			: '',
		error.description ?? '',
	]
		.filter(Boolean)
		.join(' ');
	return error;
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const { concurrency, timeoutMs, skipExisting } = readCreateOptions(this);
	const client = await createPaynetClient(this);

	const create = async (body: IDataObject, itemIndex: number): Promise<IDataObject> => {
		const response = await client.request(PAYNET_ENDPOINT.createPayLink, body, {
			idempotent: false,
			itemIndex,
			timeoutMs,
		});
		const missing = describeMissingPayLink(response);
		if (missing) {
			throw new PaynetApiError(
				this,
				{ ...withMayExistHint(missing, body), status: 200, mayHaveReachedPaynet: true },
				itemIndex,
			);
		}
		const json: IDataObject = {
			...response,
			[PAYNET_FIELD.referenceNo]: (body[PAYNET_FIELD.referenceNo] as string | undefined) ?? null,
			[PAYNET_FIELD.amount]: body[PAYNET_FIELD.amount] as number,
		};
		// Paynet's "already done" answer: a success, but one a user may want to look at.
		const code = toReturnCode(response.code);
		if (code !== undefined && code !== 0) json.result_name = returnCodeName(code) ?? null;
		if (skipExisting) json.skipped = false;
		return json;
	};

	const skipOrCreate = async (body: IDataObject, reference: string, itemIndex: number): Promise<IDataObject> => {
		const existing = await findExistingPayLink(this, client, reference, itemIndex, timeoutMs);
		if (existing) return { ...existing, [PAYNET_FIELD.referenceNo]: reference, skipped: true };
		return await create(body, itemIndex);
	};

	const inTurnForReference = oneAtATimePerReference<IDataObject>();

	return await runPerItem<PreparedCreate>(this, items, {
		properties,
		concurrency,
		prepare: (itemIndex) => {
			const additionalFields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
			const body = buildCreateBody({
				nameSurname: this.getNodeParameter('nameSurname', itemIndex),
				amount: this.getNodeParameter('amount', itemIndex),
				additionalFields,
			});
			const given = skipExisting && !isBlank(additionalFields.referenceNo);
			return { body, givenReference: given ? (body[PAYNET_FIELD.referenceNo] as string) : undefined };
		},
		run: async (itemIndex, { body, givenReference }) => {
			if (givenReference === undefined) return [await create(body, itemIndex)];
			return [
				await inTurnForReference(givenReference, async () => await skipOrCreate(body, givenReference, itemIndex)),
			];
		},
		// Even an item whose body never got built is matched back to its row by the reference it was given.
		referenceOf: (itemIndex, prepared) => {
			const sent = prepared?.body[PAYNET_FIELD.referenceNo];
			if (typeof sent === 'string') return sent;
			try {
				const given = this.getNodeParameter('additionalFields.referenceNo', itemIndex, '') as unknown;
				return isBlank(given) ? undefined : String(given).trim();
			} catch {
				return undefined; // the item's own error already says what is wrong with it
			}
		},
		whenStopped: (error, output) =>
			withCreatedLinks(
				error,
				output.filter((json) => json.skipped !== true),
			),
	});
}
