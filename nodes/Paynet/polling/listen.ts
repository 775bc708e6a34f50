import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { refusalByAllowList } from '../confirmation/allowedIps';
import { reply, replyNotAConfirmation } from '../confirmation/answer';
import { namesPayment, parseConfirmation, referenceOf } from '../confirmation/post';
import { createPaynetClient } from '../transport/client';
import { readPollSettings } from './lifecycle';
import { findNewestPayment } from './testEvent';
import { pollOnPost } from './pollOnPost';
import { paymentItem } from './select';

/**
 * What every well-formed post to a listening Polling Trigger is answered:
 * fixed, so it says nothing about the payment, Paynet or whether this process
 * runs the trigger.
 */
export const LISTEN_REPLY = { received: true, message: 'Received; the payment is read from Paynet' };

/**
 * A post to the Polling Trigger's webhook. It never starts a production run:
 * runs come only from polls, where the deduplication key and the memory keep
 * one run per payment, so a forged, repeated or flooding post can start
 * nothing. It only makes the trigger poll now (pollOnPost bounds how often).
 * On the Test URL it shows the posted payment as Paynet lists it, or else the
 * newest matching one.
 */
export async function handleListenPost(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const options = this.getNodeParameter('options', {}) as IDataObject;
	const refused = refusalByAllowList(this, options.allowedIps as string | undefined, 'Paynet Polling Trigger');
	if (refused !== undefined) return reply(this, refused);

	const parsed = parseConfirmation(this.getBodyData());
	if (!parsed.ok) {
		this.logger.warn(`Paynet Polling Trigger: a post that is not a confirmation (400: ${parsed.problem}), no poll`);
		return replyNotAConfirmation(this, parsed.problem);
	}

	const node = this.getNode();
	if (this.getMode() === 'manual') {
		// The test event is Paynet's record, never the post: the post proves nothing.
		const { filters } = readPollSettings(this);
		const client = await createPaynetClient(this);
		const row = await findNewestPayment(client, node, filters, Date.now(), (listed) =>
			namesPayment(parsed.confirmation, listed),
		);
		this.getResponseObject().status(200).json(LISTEN_REPLY);
		return { noWebhookResponse: true, workflowData: [[{ json: paymentItem(row) }]] };
	}

	const polling = pollOnPost(String(this.getWorkflow().id ?? ''), String(node.id ?? node.name), parsed.confirmation);
	this.logger.debug(
		`Paynet Polling Trigger: a post (${referenceOf(parsed.confirmation)}); ${polling ? 'polling now' : 'this process does not run the trigger: the payment runs at the next scheduled poll'}`,
	);
	this.getResponseObject().status(200).json(LISTEN_REPLY);
	return { noWebhookResponse: true };
}
