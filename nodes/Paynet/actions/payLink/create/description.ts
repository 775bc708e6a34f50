import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { collection } from '../../../helpers/descriptions';
import type { InvalidFieldError } from '../../../helpers/validation';
import { requireBoolean } from '../../../helpers/validation';
import { DEFAULT_TIMEOUT_MS } from '../../../transport/client';
import type { PaynetOperation } from '../../operation';

export const option: PaynetOperation['option'] = {
	name: 'Create',
	value: 'create',
	description: 'Create a PayLink: a real Paynet payment page for an amount in Turkish lira, usable at once',
	// The action is also what an AI agent is told the tool does ("… in Paynet"): it says what a model must know.
	action: 'Create a PayLink: real payment page, Turkish lira',
};

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

export const properties: INodeProperties[] = [
	{
		displayName: 'Name Surname',
		name: 'nameSurname',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Ayşe Yılmaz',
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
				placeholder: 'e.g. https://n8n.example.com/webhook/…/paynet',
				description:
					"Where Paynet posts the payment confirmation: paste the Paynet Trigger's production URL. A reference number is generated when none is set, so the trigger can verify the payment.",
			},
			{
				displayName: 'Email',
				name: 'email',
				type: 'string',
				placeholder: 'e.g. nathan@example.com',
				default: '',
				description: 'Email address of the payer; required when Send Mail is on',
			},
			{
				displayName: 'Error URL',
				name: 'errorUrl',
				type: 'string',
				default: '',
				description: "Where the payer's browser goes after a failed payment. Paynet adds the transaction ID to it.",
			},
			{
				displayName: 'Expire Hours',
				name: 'expireHours',
				type: 'number',
				default: 72,
				typeOptions: { minValue: 1, numberPrecision: 0 },
				description: 'How many hours the PayLink stays valid',
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
				placeholder: 'e.g. 5321234567',
				description: 'Mobile number for the SMS; required when Send SMS is on. Spaces are removed.',
			},
			{
				displayName: 'POS Type',
				name: 'posType',
				type: 'number',
				default: 5,
				description: "Which POS takes the payment. Paynet's own POS when not set (5 in Paynet's answers).",
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
				description: 'Whether Paynet emails the PayLink to Email',
			},
			{
				displayName: 'Send SMS',
				name: 'sendSms',
				type: 'boolean',
				default: false,
				description: 'Whether Paynet texts the PayLink to Phone',
			},
			{
				displayName: 'Succeed URL',
				name: 'succeedUrl',
				type: 'string',
				default: '',
				description: "Where the payer's browser goes after a successful payment. Paynet adds the transaction ID to it.",
			},
			{
				displayName: 'User Name',
				name: 'userName',
				type: 'string',
				default: '',
				description: 'Who created the PayLink, for your records',
			},
		],
	},
	collection('options', [
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
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['payLink'], operation: ['create'] } }, properties);

export interface CreateOptions {
	concurrency: number;
	timeoutMs: number;
	skipExisting: boolean;
}

/** The Options, read once for the node: a value that is not what the option means stops the node before anything is sent. */
export function readCreateOptions(context: IExecuteFunctions): CreateOptions {
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
		throw new NodeOperationError(
			node,
			`Options → Skip Existing PayLinks (skipExisting) ${(error as InvalidFieldError).problem}`,
		);
	}
	return { concurrency, timeoutMs, skipExisting };
}
