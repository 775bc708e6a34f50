import type { IDataObject, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

/**
 * Every answer the triggers give to the sender of a confirmation. n8n ignores
 * a status code returned in `webhookResponse`, so a trigger writes to the
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
