import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { parseAmount } from '../../helpers/amount';
import { forEachWithConcurrency } from '../../helpers/concurrency';
import { PAYNET_ENDPOINT, PAYNET_FIELD } from '../../helpers/paynetFields';
import { generateReferenceNo } from '../../helpers/reference';
import {
	InvalidFieldError,
	normalisePhone,
	requireEmail,
	requireHttpUrl,
	requireInteger,
	requireNonEmpty,
	requirePositiveInteger,
} from '../../helpers/validation';
import { createPaynetClient, DEFAULT_TIMEOUT_MS } from '../../transport/client';
import { errorItem, toItemError } from '../itemErrors';

export const DEFAULT_CONCURRENCY = 10;
export const MAX_CONCURRENCY = 50;

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
				description: `How many PayLinks are created at the same time (at most ${MAX_CONCURRENCY})`,
			},
			{
				displayName: 'Timeout',
				name: 'timeout',
				type: 'number',
				default: DEFAULT_TIMEOUT_MS,
				typeOptions: { minValue: 1, numberPrecision: 0 },
				description:
					'Milliseconds to wait for Paynet to answer one create. A create that times out is not retried, because the PayLink may exist.',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['payLink'], operation: ['create'] } },
	properties,
);

type Converter = (field: string, value: unknown) => unknown;

const asBoolean: Converter = (_field, value) => value === true || value === 'true';
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

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const client = await createPaynetClient(this);
	const concurrency = Math.min(
		MAX_CONCURRENCY,
		Math.max(1, Math.floor(Number(this.getNodeParameter('options.concurrency', 0, DEFAULT_CONCURRENCY)))),
	);
	const timeoutMs = Number(this.getNodeParameter('options.timeout', 0, DEFAULT_TIMEOUT_MS));
	const continueOnFail = this.continueOnFail();
	const results: INodeExecutionData[] = new Array(items.length);

	// Validate every item before sending any: without Continue On Fail a bad
	// row then stops the node before a single payment link exists.
	const bodies: Array<IDataObject | undefined> = items.map((_item, itemIndex) => {
		try {
			return buildCreateBody({
				nameSurname: this.getNodeParameter('nameSurname', itemIndex),
				amount: this.getNodeParameter('amount', itemIndex),
				additionalFields: this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject,
			});
		} catch (error) {
			const itemError = toItemError(this, error, itemIndex, properties);
			if (!continueOnFail) throw itemError;
			results[itemIndex] = errorItem(itemError, itemIndex);
			return undefined;
		}
	});

	await forEachWithConcurrency(items.length, concurrency, async (itemIndex) => {
		const body = bodies[itemIndex];
		if (!body) return;
		try {
			const response = await client.request(PAYNET_ENDPOINT.createPayLink, body, {
				idempotent: false,
				itemIndex,
				timeoutMs,
			});
			results[itemIndex] = {
				json: {
					...response,
					reference_no: (body.reference_no as string | undefined) ?? null,
					amount: body.amount as number,
				},
				pairedItem: { item: itemIndex },
			};
		} catch (error) {
			const itemError = toItemError(this, error, itemIndex, properties);
			if (!continueOnFail) throw itemError;
			results[itemIndex] = errorItem(itemError, itemIndex);
		}
	});
	return results;
}
