import type { IDataObject } from 'n8n-workflow';

export type PollEvent = 'successfulPayment' | 'anyPayment';

export interface PollFilters {
	event: PollEvent;
	referencePrefix?: string;
	agentId?: string;
}

/** Whether a normalised transaction row is one the user asked for. */
export function matchesFilters(row: IDataObject, filters: PollFilters): boolean {
	if (filters.event === 'successfulPayment' && row.is_succeed !== true) return false;
	if (filters.referencePrefix) {
		const reference = typeof row.reference_no === 'string' ? row.reference_no : '';
		if (!reference.startsWith(filters.referencePrefix)) return false;
	}
	if (filters.agentId && String(row.agent_id ?? '') !== filters.agentId) return false;
	return true;
}

/** `xact_id` of a row, as the memory and the deduplication key name it; `undefined` when Paynet sent none. */
export function xactIdOf(row: IDataObject): string | undefined {
	const id = row.xact_id;
	if (typeof id === 'string' && id.trim() !== '') return id.trim();
	if (typeof id === 'number') return String(id);
	return undefined;
}

/** The run's item: Paynet's transaction as the Paynet Trigger's verified output carries it. */
export function paymentItem(row: IDataObject): IDataObject {
	const item: IDataObject = { ...row };
	// The confirmation post's name for the masked number; Paynet's row calls it card_no.
	if (row.card_no !== undefined) item.card_number = row.card_no;
	item.verified = true;
	return item;
}

/** The key n8n (≥ 2.20) keeps unique per execution: one run per payment, across mains and restarts. */
export function deduplicationKey(workflowId: string, nodeId: string, xactId: string): string {
	return `paynet:${workflowId}:${nodeId}:${xactId}`;
}
