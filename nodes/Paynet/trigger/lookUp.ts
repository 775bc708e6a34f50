import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import type { Confirmation } from '../confirmation/post';
import type { PaynetClient } from '../transport/client';
import { createPaynetClient } from '../transport/client';
import type { Claim } from './claim';
import { confirmationKey, transactionKey } from './dedupe';
import type { Decision } from './outcome';
import { verifyConfirmation } from './verify';

/** The run's item when Paynet confirmed the payment: Paynet's row, the post kept apart under `posted`. */
export function verifiedItem(row: IDataObject, confirmation: Confirmation): IDataObject {
	const item: IDataObject = { ...row };
	// The post's name for the masked number; Paynet's row calls it card_no.
	if (row.card_no !== undefined) item.card_number = row.card_no;
	item.verified = true;
	item.posted = { ...confirmation };
	return item;
}

/** Asks Paynet about the confirmation and, when Paynet confirms it, claims the payment it stands for. */
export async function verifyAndClaim(
	context: IWebhookFunctions,
	confirmation: Confirmation,
	claim: Claim,
	isAccepted: (row: IDataObject) => boolean,
): Promise<{ decision: Decision; reason?: string; xactId?: string }> {
	let client: PaynetClient;
	try {
		client = await createPaynetClient(context);
	} catch (error) {
		return {
			decision: { reply: 'misconfigured' },
			reason: `no usable Paynet credential: ${(error as Error).message}`,
		};
	}
	const verification = await verifyConfirmation(client, context.getNode(), confirmation, isAccepted);
	if (verification.outcome === 'rejected')
		return { decision: { reply: 'notVerified' }, reason: verification.reason, xactId: verification.knownXactId };
	if (verification.outcome === 'unavailable')
		return { decision: { reply: 'unavailable' }, reason: verification.reason };
	const row = verification.transaction;
	const verified = { paidAt: row.xact_date, postedKey: confirmationKey(confirmation) };
	const xactId = row.xact_id === undefined || row.xact_id === null ? undefined : String(row.xact_id);
	return { ...claim(transactionKey(row), verifiedItem(row, confirmation), verified), xactId };
}
