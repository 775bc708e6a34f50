import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import type { PaynetClient } from '../transport/client';
import { createPaynetClient } from '../transport/client';
import { parseConfirmation } from './confirmation';
import { confirmationKey, rememberAccepted, wasAccepted } from './dedupe';
import { isAllowed, parseAllowList } from './ipAllowList';
import { reply, replyAccepted, replyNotAConfirmation } from './respond';
import { verifyConfirmation } from './verify';

export type TriggerEvent = 'successfulPayment' | 'anyPayment';

interface TriggerOptions {
	allowedIps?: string;
	deduplicate?: boolean;
}

/**
 * One confirmation post, from the sender's address to the workflow run.
 * The order matters: cheap refusals first, Paynet is asked only about posts
 * that would start a run, and a confirmation is remembered as seen only once
 * it is accepted, so a post answered 503 can be sent again.
 */
export async function handleConfirmation(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const event = this.getNodeParameter('event', 'successfulPayment') as TriggerEvent;
	const verifyWithApi = this.getNodeParameter('verifyWithApi', true) as boolean;
	const options = this.getNodeParameter('options', {}) as TriggerOptions;

	const allowedIps = String(options.allowedIps ?? '').trim();
	if (allowedIps !== '') {
		const { ranges, invalid } = parseAllowList(allowedIps);
		if (invalid.length > 0) {
			// Fail closed: a typo in the list must not let everyone in.
			this.logger.error(`Paynet Trigger: invalid Allowed IPs entries: ${invalid.join(', ')}`);
			return reply(this, 'misconfigured');
		}
		// req.ip honours n8n's proxy-hops setting; X-Forwarded-For alone could be forged.
		const clientIp = this.getRequestObject().ip;
		if (!isAllowed(ranges, clientIp)) {
			this.logger.warn(`Paynet Trigger: refused a post from ${clientIp ?? 'an unknown address'} (not in Allowed IPs)`);
			return reply(this, 'forbiddenIp');
		}
	}

	const parsed = parseConfirmation(this.getBodyData());
	if (!parsed.ok) return replyNotAConfirmation(this, parsed.problem);
	const { confirmation } = parsed;

	if (!confirmation.is_succeed && event === 'successfulPayment') return reply(this, 'notSuccessful');

	const staticData = this.getWorkflowStaticData('node');
	const deduplicate = options.deduplicate !== false;
	const key = confirmationKey(confirmation);
	if (deduplicate && wasAccepted(staticData, key)) return reply(this, 'duplicate');

	if (verifyWithApi) {
		let client: PaynetClient;
		try {
			client = await createPaynetClient(this);
		} catch (error) {
			this.logger.error(`Paynet Trigger: cannot verify without a usable Paynet credential: ${(error as Error).message}`);
			return reply(this, 'misconfigured');
		}
		const verification = await verifyConfirmation(client, this.getNode(), confirmation);
		if (verification.outcome === 'rejected') {
			this.logger.warn(`Paynet Trigger: confirmation not verified: ${verification.reason}`);
			return reply(this, 'notVerified');
		}
		if (verification.outcome === 'unavailable') {
			this.logger.error(`Paynet Trigger: could not verify a confirmation with Paynet: ${verification.reason}`);
			return reply(this, 'unavailable');
		}
	}

	if (deduplicate) rememberAccepted(staticData, key);
	const item: IDataObject = { ...confirmation, verified: verifyWithApi };
	return replyAccepted(this, item);
}
