import type { IDataObject } from 'n8n-workflow';

import { istanbulInstant } from '../helpers/dates';

/**
 * What the Polling Trigger remembers between polls, in the node's static
 * data: plain fields a person can read in the workflow's JSON. Only the main
 * process that runs triggers (the leader) writes it, so there is one writer.
 *
 * - `activatedAt`: the first activation; payments made before it never run.
 * - `coveredUntil`: the start of the last poll that read Paynet's list to the
 *   end (or, when a poll stopped at its bound of runs, the time of the last
 *   payment it ran); the next poll asks again from the overlap before it.
 * - `payments`: Paynet's `xact_id` → `xact_date` of every payment handled
 *   (run, or logged as too old) from the overlap on: all the next poll can
 *   list again. Older entries go, so the size follows the overlap, not the day.
 * - `cursors`: for a day Paynet lists oldest first, where in that day's list
 *   the next poll starts (`startingAfter`) and the payment it expects to
 *   find there (`xactId`); if that payment is not there, the day is read whole.
 * - `horizon`: set only when the bound below dropped entries: the newest
 *   `xact_date` dropped; payments dated at or before it are not run again.
 */
export interface ListCursor {
	startingAfter: number;
	xactId: string;
}

export interface PollMemory {
	activatedAt: string;
	coveredUntil: string;
	payments: Record<string, string>;
	cursors?: Record<string, ListCursor>;
	horizon?: string;
}

/** Hard bound on remembered payments (about 60 bytes each in the saved JSON). */
export const MAX_REMEMBERED = 50_000;

const FIELDS = ['activatedAt', 'coveredUntil', 'payments', 'cursors', 'horizon', 'updatedAt'] as const;

function isIsoInstant(value: unknown): value is string {
	return typeof value === 'string' && !Number.isNaN(Date.parse(value));
}

/** The memory in `staticData`, or `undefined` before the first activation (or when it is unreadable). */
export function readPollMemory(staticData: IDataObject): PollMemory | undefined {
	const { activatedAt, coveredUntil, payments, cursors, horizon } = staticData;
	if (!isIsoInstant(activatedAt)) return undefined;
	const remembered: Record<string, string> = {};
	if (typeof payments === 'object' && payments !== null && !Array.isArray(payments)) {
		for (const [xactId, paidAt] of Object.entries(payments as IDataObject)) {
			remembered[xactId] = typeof paidAt === 'string' ? paidAt : String(paidAt);
		}
	}
	const readCursors = readListCursors(cursors);
	return {
		activatedAt,
		coveredUntil: isIsoInstant(coveredUntil) ? coveredUntil : activatedAt,
		payments: remembered,
		...(readCursors ? { cursors: readCursors } : {}),
		...(typeof horizon === 'string' ? { horizon } : {}),
	};
}

/** Cursors that can be trusted; one that is malformed is dropped, so that day is read whole. */
function readListCursors(value: unknown): Record<string, ListCursor> | undefined {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
	const cursors: Record<string, ListCursor> = {};
	for (const [day, cursor] of Object.entries(value as IDataObject)) {
		const { startingAfter, xactId } = (cursor ?? {}) as IDataObject;
		if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || typeof xactId !== 'string') continue;
		if (typeof startingAfter !== 'number' || !Number.isInteger(startingAfter) || startingAfter < 0) continue;
		cursors[day] = { startingAfter, xactId };
	}
	return Object.keys(cursors).length > 0 ? cursors : undefined;
}

/** The memory a first activation starts with: nothing before `nowMs` runs. */
export function firstMemory(nowMs: number): PollMemory {
	const now = new Date(nowMs).toISOString();
	return { activatedAt: now, coveredUntil: now, payments: {} };
}

/**
 * Writes the memory's fields as top-level properties of the node's static
 * data: n8n notices a change (and saves the static data with the next run it
 * starts) only when a property of that object is assigned, not when an
 * object inside it is changed in place.
 */
export function writePollMemory(staticData: IDataObject, memory: PollMemory, nowMs: number): void {
	for (const field of FIELDS)
		if (!(field in memory) && field in staticData && field !== 'updatedAt') delete staticData[field];
	staticData.activatedAt = memory.activatedAt;
	staticData.coveredUntil = memory.coveredUntil;
	staticData.payments = memory.payments;
	if (memory.cursors !== undefined) staticData.cursors = memory.cursors;
	if (memory.horizon !== undefined) staticData.horizon = memory.horizon;
	staticData.updatedAt = new Date(nowMs).toISOString();
}

/** Records one handled payment in place, and marks the static data changed so n8n saves it with the run. */
export function rememberPayment(
	staticData: IDataObject,
	memory: PollMemory,
	xactId: string,
	paidAt: string,
	nowMs: number,
): void {
	memory.payments[xactId] = paidAt;
	if (staticData.payments !== memory.payments) staticData.payments = memory.payments;
	staticData.updatedAt = new Date(nowMs).toISOString();
}

/**
 * Forgets payments dated before `keepFromMs` (the next poll's cut: no later
 * poll takes them as new), then enforces the bound, oldest first, moving the horizon over what
 * it drops. An entry whose date cannot be read is kept until the bound.
 */
export function prune(memory: PollMemory, keepFromMs: number, max = MAX_REMEMBERED): PollMemory {
	const entries = Object.entries(memory.payments)
		.map(([xactId, paidAt]) => ({ xactId, paidAt, ms: istanbulInstant(paidAt) }))
		.filter((entry) => entry.ms === undefined || entry.ms >= keepFromMs);
	let horizon = memory.horizon;
	if (entries.length > max) {
		entries.sort((a, b) => (a.ms ?? Number.POSITIVE_INFINITY) - (b.ms ?? Number.POSITIVE_INFINITY));
		const dropped = entries.splice(0, entries.length - max);
		const newest = dropped[dropped.length - 1];
		if (newest.ms !== undefined && (horizon === undefined || newest.ms > (istanbulInstant(horizon) ?? 0))) {
			horizon = newest.paidAt;
		}
	}
	const payments: Record<string, string> = {};
	for (const entry of entries) payments[entry.xactId] = entry.paidAt;
	return { ...memory, payments, ...(horizon !== undefined ? { horizon } : {}) };
}

/**
 * Runs started and not yet known to have ended, in the node's static data
 * under `started` (kept apart from the fields above): `xact_id` → the
 * deduplication key, when the run was started, what identifies the payment
 * to a person, and the run's item (so the run can be started again after a
 * crash without asking Paynet). Written before `emit`, so the static data
 * n8n saves with that run holds it; removed when n8n says the run ended.
 * After a restart, what is left names the payments whose runs n8n may not
 * have (see recovery.ts).
 */
export interface StartedRun {
	key: string;
	startedAt: string;
	reference: string | null;
	amount: string | number | null;
	xact_date: string | null;
	item: IDataObject;
	/** Written with the payment, before the run waits for a place: not handed to n8n yet (no execution can exist). */
	queued?: true;
}

/** The runs the static data says were started and not known to have ended, oldest first. */
export function readStartedRuns(staticData: IDataObject): Record<string, StartedRun> {
	const value = staticData.started;
	const runs: Record<string, StartedRun> = {};
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return runs;
	for (const [xactId, entry] of Object.entries(value as IDataObject)) {
		const run = (entry ?? {}) as IDataObject;
		if (typeof run.key !== 'string' || typeof run.item !== 'object' || run.item === null) continue;
		runs[xactId] = {
			key: run.key,
			startedAt: typeof run.startedAt === 'string' ? run.startedAt : '',
			reference: typeof run.reference === 'string' ? run.reference : null,
			amount: typeof run.amount === 'string' || typeof run.amount === 'number' ? run.amount : null,
			xact_date: typeof run.xact_date === 'string' ? run.xact_date : null,
			item: run.item as IDataObject,
			...(run.queued === true ? { queued: true as const } : {}),
		};
	}
	return runs;
}

/**
 * Replaces the record of started runs. A new object each time: n8n notices
 * (and saves with the next run it starts) an assigned property, not a change
 * inside an object it already holds.
 */
export function writeStartedRuns(staticData: IDataObject, runs: Record<string, StartedRun>): void {
	staticData.started = { ...runs } as unknown as IDataObject;
}
