import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { parseAmount } from '../../helpers/amount';
import { forEachWithConcurrency } from '../../helpers/concurrency';
import { normalisePayLinkDetail } from '../../helpers/normalise';
import { PAYNET_ENDPOINT, PAYNET_FIELD } from '../../helpers/paynetFields';
import { generateReferenceNo } from '../../helpers/reference';
import {
	InvalidFieldError,
	normalisePhone,
	requireEmail,
	requireHttpUrl,
	requireInteger,
	requireNonEmpty,
	requireBoolean,
	requirePositiveInteger,
} from '../../helpers/validation';
import type { PaynetClient } from '../../transport/client';
import { createPaynetClient, DEFAULT_TIMEOUT_MS, PaynetApiError, withMayExistHint } from '../../transport/client';
import { isPaynetNoData } from '../../transport/noData';
import { describeMissingPayLink, returnCodeName, toReturnCode } from '../../transport/responses';
import { errorItem, toItemError } from '../itemErrors';

/**
 * Paynet documents no rate limit and a 429 is retried after Retry-After, so
 * the default is about latency and n8n's own cost per request (~0.7 ms of CPU
 * for the expressions and the HTTP client): below ~100 in flight a 20 ms
 * round trip leaves n8n waiting (500 rows: 730 ms at 25, 470 ms at 50,
 * 370 ms at 100, 365 ms at 200). n8n's HTTP Request node sends every item at
 * once; the cap still bounds the burst sent from the merchant's single
 * allow-listed IP, each request on a connection of its own (n8n gives every
 * request a new agent), where a reset create cannot be retried.
 */
export const DEFAULT_CONCURRENCY = 100;
export const MAX_CONCURRENCY = 200;

/** Below this a create cannot get an answer even from a nearby Paynet; 30 means seconds to whoever typed it. */
export const MIN_TIMEOUT_MS = 1_000;

/** A stopped run's error names at most this many of the links it had made. */
const MAX_LISTED_LINKS = 50;

const properties: INodeProperties[] = [
	{
		displayName: 'Name Surname',
		name: 'nameSurname',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Ayşe Yılmaz',
		description: 'Name of the person who will pay',
	},
	{
		displayName: 'Amount',
		name: 'amount',
		type: 'number',
		required: true,
		default: 0,
		typeOptions: { minValue: 0, numberPrecision: 2 },
		description:
			'Amount to charge, in TRY. From an expression, text such as "120.50", "1.234,56" or "1,234.56" is accepted; an ambiguous value such as "1.234" is refused.',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Add Commission To Amount',
				name: 'addCommissionToAmount',
				type: 'boolean',
				default: false,
				description: "Whether to add Paynet's service fee on top of the amount charged to the card",
			},
			{
				displayName: 'Agent ID',
				name: 'agentId',
				type: 'string',
				default: '',
				description: 'Dealer (bayi) code, when the payment goes to one of your dealers. It must exist in Paynet.',
			},
			{
				displayName: 'Agent Note',
				name: 'agentNote',
				type: 'string',
				default: '',
				description: 'Note shown in Paynet reports',
			},
			{
				displayName: 'Confirmation URL',
				name: 'confirmationUrl',
				type: 'string',
				default: '',
				placeholder: 'https://n8n.example.com/webhook/…/paynet',
				description:
					"Where Paynet posts the payment confirmation: paste the Paynet Trigger's production URL. A reference number is generated when none is set, so the trigger can verify the payment.",
			},
			{
				displayName: 'Email',
				name: 'email',
				type: 'string',
				placeholder: 'name@email.com',
				default: '',
				description: 'Email address of the payer; required when Send Mail is on',
			},
			{
				displayName: 'Error URL',
				name: 'errorUrl',
				type: 'string',
				default: '',
				description: "Where the payer's browser goes after a failed payment (Paynet appends xact_id)",
			},
			{
				displayName: 'Expire Hours',
				name: 'expireHours',
				type: 'number',
				default: 72,
				typeOptions: { minValue: 1, numberPrecision: 0 },
				description: 'How many hours the payment link stays valid (sent to Paynet as expire_date)',
			},
			{
				displayName: 'Instalment Key',
				name: 'instalmentKey',
				type: 'string',
				default: '',
				description: "ID of one row of Paynet's ratio table, to force a bank and instalment count",
			},
			{
				displayName: 'Note',
				name: 'note',
				type: 'string',
				default: '',
				description: 'Text shown to the payer on the payment page',
			},
			{
				displayName: 'Phone',
				name: 'phone',
				type: 'string',
				default: '',
				placeholder: '5321234567',
				description: 'Mobile number for the SMS; required when Send SMS is on. Spaces are removed.',
			},
			{
				displayName: 'POS Type',
				name: 'posType',
				type: 'number',
				default: 5,
				description: "Which POS takes the payment; Paynet's own POS when not set (5 in Paynet's responses)",
			},
			{
				displayName: 'Reference No',
				name: 'referenceNo',
				type: 'string',
				default: '',
				description: 'Your invoice or order number, to match the payment later',
			},
			{
				displayName: 'Send Confirmation Mail',
				name: 'sendConfirmationMail',
				type: 'boolean',
				default: true,
				description: "Whether Paynet mails your company's registered address when the payment succeeds",
			},
			{
				displayName: 'Send Mail',
				name: 'sendMail',
				type: 'boolean',
				default: false,
				description: 'Whether Paynet emails the payment link to Email',
			},
			{
				displayName: 'Send SMS',
				name: 'sendSms',
				type: 'boolean',
				default: false,
				description: 'Whether Paynet texts the payment link to Phone',
			},
			{
				displayName: 'Succeed URL',
				name: 'succeedUrl',
				type: 'string',
				default: '',
				description: "Where the payer's browser goes after a successful payment (Paynet appends xact_id)",
			},
			{
				displayName: 'User Name',
				name: 'userName',
				type: 'string',
				default: '',
				description: 'Who created the payment link, for your records',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Concurrency',
				name: 'concurrency',
				type: 'number',
				default: DEFAULT_CONCURRENCY,
				typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY, numberPrecision: 0 },
				description: `How many PayLinks are created at the same time (at most ${MAX_CONCURRENCY}). Paynet documents no rate limit; when it answers 429 (too many requests), the create waits and is sent again.`,
			},
			{
				displayName: 'Skip Existing PayLinks',
				name: 'skipExisting',
				type: 'boolean',
				default: false,
				description:
					"Whether to look up each item's Reference No with Paynet first and, when a PayLink with it already exists, output that PayLink (with skipped: true) instead of creating another, so a workflow can safely be run again after a partial failure. Costs one extra Paynet call per item that has a Reference No; items without one (or with a generated one) are always created. If the lookup fails, the item fails and nothing is created.",
			},
			{
				displayName: 'Timeout',
				name: 'timeout',
				type: 'number',
				default: DEFAULT_TIMEOUT_MS,
				typeOptions: { minValue: MIN_TIMEOUT_MS, numberPrecision: 0 },
				description:
					'Milliseconds (as in the HTTP Request node: 30000 = 30 seconds, at least 1000) to wait for Paynet to answer one create. A create that times out is not retried, because the PayLink may exist.',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['payLink'], operation: ['create'] } },
	properties,
);

type Converter = (field: string, value: unknown) => unknown;

const asBoolean: Converter = requireBoolean;
const asText: Converter = (field, value) => requireNonEmpty(field, value);

/** How each optional field is checked on its way to Paynet; the wire names come from PAYNET_FIELD. */
const ADDITIONAL_FIELD_CONVERTERS: Record<string, Converter> = {
	email: requireEmail,
	sendMail: asBoolean,
	phone: normalisePhone,
	sendSms: asBoolean,
	expireHours: requirePositiveInteger,
	note: asText,
	agentNote: asText,
	referenceNo: asText,
	agentId: asText,
	userName: asText,
	posType: requireInteger,
	addCommissionToAmount: asBoolean,
	instalmentKey: asText,
	succeedUrl: requireHttpUrl,
	errorUrl: requireHttpUrl,
	confirmationUrl: requireHttpUrl,
	sendConfirmationMail: asBoolean,
};

function isUnset(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/**
 * The exact body Paynet receives for one PayLink: only the fields the user
 * set, under Paynet's names, in the types its documentation samples use.
 */
export function buildCreateBody(
	input: { nameSurname: unknown; amount: unknown; additionalFields: IDataObject },
	newReference: () => string = generateReferenceNo,
): IDataObject {
	const body: IDataObject = {
		[PAYNET_FIELD.nameSurname]: requireNonEmpty('nameSurname', input.nameSurname),
		[PAYNET_FIELD.amount]: parseAmount(input.amount, 'amount'),
	};
	const fields = input.additionalFields ?? {};
	for (const [name, value] of Object.entries(fields)) {
		const convert = ADDITIONAL_FIELD_CONVERTERS[name];
		if (!convert || isUnset(value)) continue;
		body[PAYNET_FIELD[name as keyof typeof PAYNET_FIELD]] = convert(name, value) as IDataObject[string];
	}
	if (body.send_mail === true && body.email === undefined) {
		throw new InvalidFieldError('email', 'is required when Send Mail is on');
	}
	if (body.send_sms === true && body.phone === undefined) {
		throw new InvalidFieldError('phone', 'is required when Send SMS is on');
	}
	if (body.confirmation_url !== undefined && body.reference_no === undefined) {
		body.reference_no = newReference();
	}
	return body;
}

/**
 * The PayLink Paynet already has under `reference`, normalised as Get
 * outputs it; `undefined` only when Paynet says there is none. Any other
 * failure is thrown: creating without knowing could make a second link.
 */
async function findExistingPayLink(
	context: IExecuteFunctions,
	client: PaynetClient,
	reference: string,
	itemIndex: number,
	timeoutMs: number,
): Promise<IDataObject | undefined> {
	let response: IDataObject;
	try {
		response = await client.request(
			PAYNET_ENDPOINT.getPayLink,
			{ [PAYNET_FIELD.referenceNo]: reference },
			{ idempotent: true, itemIndex, timeoutMs },
		);
	} catch (error) {
		if (isPaynetNoData(error)) return undefined;
		const failure =
			error instanceof NodeApiError || error instanceof NodeOperationError
				? error
				: new NodeOperationError(context.getNode(), error as Error, { itemIndex });
		failure.message = `Could not check whether a PayLink with reference "${reference}" exists, so none was created: ${failure.message}`;
		failure.description = [
			'Skip Existing PayLinks creates an item only once Paynet has said no PayLink has its reference.',
			failure.description,
		]
			.filter(Boolean)
			.join(' ');
		throw failure;
	}
	const [payLink] = normalisePayLinkDetail(response);
	if (payLink && !isUnset(payLink.reference_no) && String(payLink.reference_no) !== reference) {
		throw new NodeOperationError(
			context.getNode(),
			`Paynet answered the lookup of reference "${reference}" with a PayLink for "${String(payLink.reference_no)}", so none was created`,
			{ itemIndex },
		);
	}
	return payLink;
}

/** A node-wide option read once: a value that is not what the option means stops the node before anything is sent. */
function readOptions(context: IExecuteFunctions): { concurrency: number; timeoutMs: number; skipExisting: boolean } {
	const node = context.getNode();
	const concurrency = Number(context.getNodeParameter('options.concurrency', 0, DEFAULT_CONCURRENCY));
	if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
		throw new NodeOperationError(
			node,
			`Options → Concurrency (concurrency) must be a whole number from 1 to ${MAX_CONCURRENCY}, got ${JSON.stringify(
				context.getNodeParameter('options.concurrency', 0, DEFAULT_CONCURRENCY),
			)}`,
		);
	}
	const rawTimeout = context.getNodeParameter('options.timeout', 0, DEFAULT_TIMEOUT_MS);
	const timeoutMs = typeof rawTimeout === 'string' && rawTimeout.trim() !== '' ? Number(rawTimeout) : rawTimeout;
	if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
		throw new NodeOperationError(
			node,
			`Options → Timeout (timeout) must be a positive number of milliseconds, got ${JSON.stringify(rawTimeout)}`,
		);
	}
	if (timeoutMs < MIN_TIMEOUT_MS) {
		throw new NodeOperationError(
			node,
			`Options → Timeout (timeout) is in milliseconds: ${timeoutMs} would wait ${timeoutMs} ms for each PayLink. For ${timeoutMs} seconds enter ${timeoutMs * 1000}; the least accepted is ${MIN_TIMEOUT_MS}.`,
		);
	}
	let skipExisting: boolean;
	try {
		skipExisting = requireBoolean('skipExisting', context.getNodeParameter('options.skipExisting', 0, false));
	} catch (error) {
		throw new NodeOperationError(node, `Options → Skip Existing PayLinks (skipExisting) ${(error as InvalidFieldError).problem}`);
	}
	return { concurrency, timeoutMs, skipExisting };
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
		.map((json) => `${json.reference_no ?? '(no reference)'} → id ${String(json.id)} ${String(json.url)}`);
	const more = created.length > MAX_LISTED_LINKS ? `; and ${created.length - MAX_LISTED_LINKS} more` : '';
	const unreferenced = created.filter((json) => json.reference_no === null || json.reference_no === undefined).length;
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
	const { concurrency, timeoutMs, skipExisting } = readOptions(this);
	const client = await createPaynetClient(this);
	const continueOnFail = this.continueOnFail();
	const results: INodeExecutionData[] = new Array(items.length);

	// Validate every item before sending any: without Continue On Fail a bad
	// row then stops the node before a single payment link exists.
	const bodies: Array<IDataObject | undefined> = new Array(items.length);
	// Only a reference the user gave can already exist; a generated one is new.
	const givenReferences: Array<string | undefined> = new Array(items.length);
	// What a failed item is matched back to its row by, even when its body never got built.
	const referenceOf = (itemIndex: number): string | undefined => {
		const sent = bodies[itemIndex]?.reference_no;
		if (typeof sent === 'string') return sent;
		try {
			const given = this.getNodeParameter('additionalFields.referenceNo', itemIndex, '') as unknown;
			return isUnset(given) ? undefined : String(given).trim();
		} catch {
			return undefined; // the item's own error already says what is wrong with it
		}
	};
	const fail = (error: unknown, itemIndex: number): NodeApiError | NodeOperationError => {
		const itemError = toItemError(this, error, itemIndex, properties);
		const reference = referenceOf(itemIndex);
		if (reference !== undefined && itemError.message.startsWith(`Item ${itemIndex}: `)) {
			itemError.message = itemError.message.replace(
				`Item ${itemIndex}: `,
				`Item ${itemIndex} (reference ${reference}): `,
			);
		}
		return itemError;
	};
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const additionalFields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
			const body = buildCreateBody({
				nameSurname: this.getNodeParameter('nameSurname', itemIndex),
				amount: this.getNodeParameter('amount', itemIndex),
				additionalFields,
			});
			bodies[itemIndex] = body;
			if (skipExisting && !isUnset(additionalFields.referenceNo)) {
				givenReferences[itemIndex] = body.reference_no as string;
			}
		} catch (error) {
			const itemError = fail(error, itemIndex);
			if (!continueOnFail) throw itemError;
			results[itemIndex] = errorItem(this, itemError, itemIndex, { referenceNo: referenceOf(itemIndex) });
		}
	}

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
			reference_no: (body.reference_no as string | undefined) ?? null,
			amount: body.amount as number,
		};
		// Paynet's "already done" answer: a success, but one a user may want to look at.
		const code = toReturnCode(response.code);
		if (code !== undefined && code !== 0) json.result_name = returnCodeName(code) ?? null;
		if (skipExisting) json.skipped = false;
		return json;
	};

	const skipOrCreate = async (body: IDataObject, reference: string, itemIndex: number): Promise<IDataObject> => {
		const existing = await findExistingPayLink(this, client, reference, itemIndex, timeoutMs);
		if (existing) return { ...existing, reference_no: reference, skipped: true };
		return await create(body, itemIndex);
	};

	// Rows that repeat a reference wait for the earlier one, whose PayLink
	// their own lookup then finds: one link per reference within a run too.
	const latestByReference = new Map<string, Promise<unknown>>();

	try {
		await forEachWithConcurrency(items.length, concurrency, async (itemIndex) => {
			const body = bodies[itemIndex];
			if (!body) return;
			const reference = givenReferences[itemIndex];
			try {
				let outcome: Promise<IDataObject>;
				if (reference === undefined) {
					outcome = create(body, itemIndex);
				} else {
					const earlier = latestByReference.get(reference);
					outcome = earlier
						? earlier.then(
								async () => await skipOrCreate(body, reference, itemIndex),
								async () => await skipOrCreate(body, reference, itemIndex),
							)
						: skipOrCreate(body, reference, itemIndex);
					latestByReference.set(reference, outcome);
				}
				results[itemIndex] = { json: await outcome, pairedItem: { item: itemIndex } };
			} catch (error) {
				const itemError = fail(error, itemIndex);
				if (!continueOnFail) throw itemError;
				results[itemIndex] = errorItem(this, itemError, itemIndex, { referenceNo: referenceOf(itemIndex) });
			}
		});
	} catch (error) {
		// forEachWithConcurrency has let the creates in flight finish, so every
		// link that exists is in `results` by now.
		const created = results
			.filter((item): item is INodeExecutionData => item !== undefined && item.json.skipped !== true)
			.map((item) => item.json);
		throw withCreatedLinks(error as NodeApiError | NodeOperationError, created);
	}
	return results;
}
