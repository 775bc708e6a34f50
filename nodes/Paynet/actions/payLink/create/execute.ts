import type { IDataObject, IExecuteFunctions, INodeExecutionData, NodeApiError } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { PAYNET_ENDPOINT, PAYNET_FIELD } from '../../../helpers/paynetFields';
import { isBlank } from '../../../helpers/validation';
import { createPaynetClient, PaynetApiError, withMayExistHint } from '../../../transport/client';
import { describeMissingPayLink, returnCodeName, toReturnCode } from '../../../transport/responses';
import type { OperationRun } from '../../operation';
import type { RunProgress, StoppedItem } from '../../perItem';
import { runPerItem } from '../../perItem';
import { buildCreateBody } from './body';
import { properties, readCreateOptions } from './description';
import { findExistingPayLink, oneAtATimePerReference } from './skipExisting';

/** A stopped run's error names at most this many rows of each kind. */
const MAX_LISTED = 50;

interface PreparedCreate {
	body: IDataObject;
	/** Set when Skip Existing is on and the user gave the reference: only such a reference can already exist. */
	givenReference?: string;
}

function listed<T>(rows: T[], describe: (row: T) => string): string {
	const shown = rows.slice(0, MAX_LISTED).map(describe).join('; ');
	return rows.length > MAX_LISTED ? `${shown}; and ${rows.length - MAX_LISTED} more` : shown;
}

const payLinks = (count: number) => (count === 1 ? '1 PayLink' : `${count} PayLinks`);

/** The failure's own words, without the item prefix and the "may have been created" hint the list already says. */
function reasonOf(error: NodeApiError | NodeOperationError): string {
	return error.message
		.replace(/^Item \d+(?: \(reference [^)]*\))?: /, '')
		.replace(/\. The PayLink may have been created$/, '');
}

/** A create whose answer never came back readable: Paynet may have made the link. */
function mayHaveCreated(failure: StoppedItem<PreparedCreate>): boolean {
	return failure.error instanceof PaynetApiError && failure.error.failure.mayHaveReachedPaynet;
}

/** How a user finds out whether a create with an unknown outcome made a link. */
function howToCheck({ itemIndex, reference, prepared }: StoppedItem<PreparedCreate>): string {
	if (reference !== undefined) {
		return `item ${itemIndex}, reference ${reference}: check with PayLink → Get, Look Up By Reference No "${reference}"`;
	}
	const body = prepared?.body ?? {};
	return (
		`item ${itemIndex}, no reference (${String(body[PAYNET_FIELD.nameSurname] ?? '')}, ${String(body[PAYNET_FIELD.amount] ?? '')}): ` +
		"check with PayLink → List over today's date for a link with this name and amount"
	);
}

/**
 * The error that stops a run names every row whose create may have reached
 * Paynet: the links made (so their URLs are not lost and a re-run can skip
 * them instead of duplicating them), the creates whose outcome is unknown
 * (timeout, dropped connection, 5xx) with how to check each, and the other
 * rows that failed while the node was stopping.
 */
function withCreatedLinks(
	error: NodeApiError | NodeOperationError,
	created: IDataObject[],
	failures: Array<StoppedItem<PreparedCreate>>,
	notSent: ReadonlySet<number>,
): NodeApiError | NodeOperationError {
	const unknown = failures.filter(mayHaveCreated);
	const held = failures.filter((failure) => notSent.has(failure.itemIndex));
	const others = failures.filter(
		(failure) => failure.error !== error && !mayHaveCreated(failure) && !notSent.has(failure.itemIndex),
	);
	// A lone failure already says all there is to say, its own hint included.
	if (
		created.length === 0 &&
		others.length === 0 &&
		held.length === 0 &&
		unknown.every((failure) => failure.error === error)
	)
		return error;

	const unreferenced =
		created.filter((json) => json[PAYNET_FIELD.referenceNo] === null || json[PAYNET_FIELD.referenceNo] === undefined)
			.length + unknown.filter((failure) => failure.reference === undefined).length;
	const description = [
		created.length > 0
			? `Created before the node stopped (${created.length}): ${listed(
					created,
					(json) => `${json[PAYNET_FIELD.referenceNo] ?? '(no reference)'} → id ${String(json.id)} ${String(json.url)}`,
				)}.`
			: '',
		unknown.length > 0
			? `Outcome unknown, may have been created (${unknown.length}): ${listed(
					unknown,
					(failure) => `${howToCheck(failure)} (${reasonOf(failure.error)})`,
				)}.`
			: '',
		created.length + unknown.length > 0
			? 'To run again without creating these twice: give every row a Reference No, turn on Options → Skip Existing PayLinks and run the same rows again; rows whose PayLink exists are output with skipped: true.'
			: '',
		unreferenced > 0
			? `${unreferenced} of them had no Reference No: remove those rows before running again (after checking for the unknown ones), or they are created again.`
			: '',
		others.length > 0
			? `Also failed, nothing created (${others.length}): ${listed(
					others,
					(failure) =>
						`item ${failure.itemIndex}${failure.reference === undefined ? '' : `, reference ${failure.reference}`}: ${reasonOf(failure.error)}`,
				)}.`
			: '',
		held.length > 0
			? `Not sent, the node was already stopping (${held.length}): ${listed(
					held,
					(failure) =>
						`item ${failure.itemIndex}${failure.reference === undefined ? '' : `, reference ${failure.reference}`}`,
				)}.`
			: '',
		error.description ?? '',
	]
		.filter(Boolean)
		.join(' ');
	error.description = description;
	// Last: the lists above quote each failure's own message, this one's included.
	const mayHave = (count: number) =>
		`${count} ${count === 1 ? 'create' : 'creates'} may have made a PayLink (outcome unknown)`;
	let stopped: string;
	if (created.length > 0) {
		stopped = `The node stopped after ${payLinks(created.length)} had been created in this run`;
		if (unknown.length > 0) stopped += `; ${mayHave(unknown.length)}`;
	} else if (unknown.length > 0) stopped = `The node stopped; ${mayHave(unknown.length)}`;
	else {
		const count = others.length + held.length;
		stopped = `${count} more ${count === 1 ? 'row was' : 'rows were'} not created before the node stopped`;
	}
	error.message = `${error.message}. ${stopped} (listed in the details)`;
	return error;
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	{ continueOnFail }: OperationRun,
): Promise<INodeExecutionData[]> {
	const { concurrency, timeoutMs, skipExisting } = readCreateOptions(this);
	const client = await createPaynetClient(this);

	/** Rows whose create was never sent because the node was already stopping. */
	const notSent = new Set<number>();

	const create = async (body: IDataObject, itemIndex: number, progress: RunProgress): Promise<IDataObject> => {
		if (progress.stopping()) {
			notSent.add(itemIndex);
			throw new NodeOperationError(this.getNode(), 'Not sent: the node was stopping after another row failed', {
				itemIndex,
			});
		}
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

	const skipOrCreate = async (
		body: IDataObject,
		reference: string,
		itemIndex: number,
		progress: RunProgress,
	): Promise<IDataObject> => {
		const existing = await findExistingPayLink(this, client, reference, itemIndex, timeoutMs);
		if (existing) return { ...existing, [PAYNET_FIELD.referenceNo]: reference, skipped: true };
		return await create(body, itemIndex, progress);
	};

	const inTurnForReference = oneAtATimePerReference<IDataObject>();

	return await runPerItem<PreparedCreate>(this, items, {
		properties,
		continueOnFail,
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
		run: async (itemIndex, { body, givenReference }, progress) => {
			if (givenReference === undefined) return [await create(body, itemIndex, progress)];
			return [
				await inTurnForReference(
					givenReference,
					async () => await skipOrCreate(body, givenReference, itemIndex, progress),
				),
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
		whenStopped: (error, output, failures) =>
			withCreatedLinks(
				error,
				output.filter((json) => json.skipped !== true),
				failures,
				notSent,
			),
	});
}
