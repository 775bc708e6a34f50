import type { IDataObject, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { PAYNET_QUIRK_NAMES } from '../helpers/paynetFields';
import type { Confirmation } from './confirmation';
import { loggable, referenceOf } from './confirmation';

/**
 * Every answer the trigger gives to the sender of a confirmation. n8n ignores
 * a status code returned in `webhookResponse`, so the trigger writes to the
 * response object itself and tells n8n not to answer (as n8n's Stripe trigger
 * does). The bodies are small, fixed texts: nothing about the credential,
 * Paynet's answer or an internal error reaches the caller; those go to n8n's
 * log instead.
 */
export const REPLY = {
	accepted: { status: 200, body: { received: true, result: 'accepted' } },
	duplicate: { status: 200, body: { received: true, result: 'duplicate', message: 'Already received' } },
	notSuccessful: {
		status: 200,
		body: {
			received: true,
			result: 'ignored',
			message: 'Payment not successful; this trigger only starts on successful payments',
		},
	},
	tooOld: {
		status: 200,
		body: { received: true, result: 'ignored', message: 'Payment older than the trigger remembers; no run started' },
	},
	forbiddenIp: { status: 403, body: { received: false, message: 'Forbidden' } },
	notVerified: { status: 403, body: { received: false, message: 'Payment could not be verified' } },
	unavailable: {
		status: 503,
		body: { received: false, message: 'Payment could not be verified right now; try again later' },
	},
	busy: {
		status: 503,
		body: { received: false, message: 'Too many confirmations being verified; try again later' },
	},
	misconfigured: { status: 500, body: { received: false, message: 'The trigger is not configured correctly' } },
} as const;

export type ReplyName = keyof typeof REPLY;

/** What a verification came to: the reply, and for an accepted payment its run's item. */
export type Decision = { reply: Exclude<ReplyName, 'accepted'> } | { reply: 'accepted'; item: IDataObject };

/** Answers that a waiting identical copy repeats; after a 503 it tries for itself. */
export const SHARED_ANSWERS: ReadonlySet<ReplyName> = new Set<ReplyName>([
	'accepted',
	'duplicate',
	'notVerified',
	'tooOld',
	'misconfigured',
]);

const LOG_LEVEL: Partial<Record<ReplyName, 'info' | 'warn' | 'error'>> = {
	duplicate: 'info',
	// Every `ignored` is a warning: a merchant who logs warnings and above must learn that money arrived without a run.
	notSuccessful: 'warn',
	tooOld: 'warn',
	notVerified: 'warn',
	forbiddenIp: 'warn',
	busy: 'warn',
	unavailable: 'warn',
	misconfigured: 'error',
};

const LOG_TEXT: Partial<Record<ReplyName, string>> = {
	duplicate: 'duplicate of an accepted payment, no run',
	notSuccessful: 'payment not successful, no run',
	tooOld: 'payment older than the trigger remembers, ignored (200), no run',
	notVerified: 'confirmation refused (403)',
	busy: 'confirmation refused (503, too many Paynet look-ups at once)',
	unavailable: 'could not verify or decide a confirmation (503), no run; a redelivery is looked up again',
	misconfigured: 'cannot verify a confirmation (500)',
};

/**
 * One line per refused or ignored post: the reason, the reference and the
 * xact_id (Paynet's when it knows the payment), never card data, the key or
 * the body.
 */
export function logOutcome(
	context: IWebhookFunctions,
	name: ReplyName,
	confirmation: Confirmation,
	reason?: string,
	xactId?: string,
): void {
	const level = LOG_LEVEL[name];
	if (!level) return;
	const why = reason ? ` (${reason})` : '';
	const names = referenceOf({ ...confirmation, xact_id: null });
	const id = xactId ?? confirmation.xact_id;
	context.logger[level](
		`Paynet Trigger: ${LOG_TEXT[name] ?? name}${why}, ${names}, xact_id ${id ? loggable(id) : 'unknown'}`,
	);
}

/** Whatever names a post that did not parse, so a genuine payment refused with 400 can still be found. */
export function postedReferences(body: unknown): {
	reference_no: string | null;
	xact_id: string | null;
	order_id: string | null;
} {
	const fields = (typeof body === 'object' && body !== null ? body : {}) as IDataObject;
	const text = (...names: string[]): string | null => {
		for (const name of names) {
			const value = fields[name];
			if ((typeof value === 'string' || typeof value === 'number') && String(value).trim() !== '')
				return String(value).trim();
		}
		return null;
	};
	return {
		reference_no: text(PAYNET_QUIRK_NAMES.confirmation.reference_no, 'reference_no'),
		xact_id: text('xact_id'),
		order_id: text('order_id'),
	};
}

/**
 * Seconds a sender is asked to wait after a 503; Paynet documents no retry
 * policy of its own. Paynet being unreachable takes a while to clear; a busy
 * trigger (too many reference-less look-ups at once) clears in seconds.
 */
const RETRY_AFTER_SECONDS: Partial<Record<ReplyName, number>> = { unavailable: 60, busy: 10 };

function send(context: IWebhookFunctions, status: number, body: IDataObject, retryAfter?: number): void {
	const response = context.getResponseObject();
	if (retryAfter !== undefined) response.setHeader('Retry-After', String(retryAfter));
	response.status(status).json(body);
}

/** Answers and starts no run. */
export function reply(context: IWebhookFunctions, name: ReplyName): IWebhookResponseData {
	const { status, body } = REPLY[name];
	send(context, status, body, RETRY_AFTER_SECONDS[name]);
	return { noWebhookResponse: true };
}

/** 400 with what is missing: the field names are Paynet's, never a secret. */
export function replyNotAConfirmation(context: IWebhookFunctions, problem: string): IWebhookResponseData {
	send(context, 400, { received: false, message: 'Not a Paynet payment confirmation', problem });
	return { noWebhookResponse: true };
}

/** Answers 200 and starts one run with the item. */
export function replyAccepted(context: IWebhookFunctions, item: IDataObject): IWebhookResponseData {
	send(context, REPLY.accepted.status, REPLY.accepted.body);
	const workflowData: INodeExecutionData[][] = [[{ json: item }]];
	return { noWebhookResponse: true, workflowData };
}
