import type { IDataObject } from 'n8n-workflow';

import { istanbulInstant } from '../helpers/dates';
import type { PollMemory } from './memory';
import type { PollWindow } from './window';

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

export interface Selection {
	/** To run, oldest first. */
	run: IDataObject[];
	/** Dated before Catch Up Hours at this activation: logged at warning, remembered, not run. */
	tooOld: IDataObject[];
	/** Dated at or before the memory's horizon: may have run already, so logged at warning and not run. */
	beyondMemory: IDataObject[];
	/** Without an xact_id: cannot be told apart from a run already started, so logged and not run. */
	unidentified: IDataObject[];
}

/**
 * Sorts one poll's rows (normalised, filtered) into what runs and what is
 * logged. A row already in the memory, or dated before the cut (seen by an
 * earlier poll, or made before the first activation), is neither: it is
 * simply not new.
 */
export function selectNew(rows: IDataObject[], memory: PollMemory, window: PollWindow): Selection {
	const selection: Selection = { run: [], tooOld: [], beyondMemory: [], unidentified: [] };
	const horizonMs = memory.horizon === undefined ? undefined : istanbulInstant(memory.horizon);
	const seen = new Set<string>();
	for (const row of rows) {
		const xactId = xactIdOf(row);
		if (xactId === undefined) {
			selection.unidentified.push(row);
			continue;
		}
		if (xactId in memory.payments || seen.has(xactId)) continue;
		seen.add(xactId);
		// An unreadable date cannot prove the payment old: it runs.
		const paidAtMs = istanbulInstant(row.xact_date);
		if (paidAtMs !== undefined && paidAtMs < window.cutMs) continue;
		if (paidAtMs !== undefined && horizonMs !== undefined && paidAtMs <= horizonMs) selection.beyondMemory.push(row);
		else if (paidAtMs !== undefined && paidAtMs < window.catchUpFromMs) selection.tooOld.push(row);
		else selection.run.push(row);
	}
	selection.run.sort((a, b) => (istanbulInstant(a.xact_date) ?? 0) - (istanbulInstant(b.xact_date) ?? 0));
	return selection;
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
