import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import type { ReplyName } from '../confirmation/answer';
import type { Confirmation } from '../confirmation/post';
import { loggable, referenceOf } from '../confirmation/post';
import { PAYNET_QUIRK_NAMES } from '../helpers/paynetFields';

// The Paynet Trigger's side of an answer: what a verification decides, which
// answers identical copies share, and the log line for each. The answers
// themselves are in ../confirmation/answer.ts, shared with the Polling Trigger.

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
