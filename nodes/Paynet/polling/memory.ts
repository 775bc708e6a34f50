import type { IDataObject } from 'n8n-workflow';

import { istanbulInstant, istanbulWallClock } from '../helpers/dates';

/**
 * What the Polling Trigger remembers between polls, in the node's static
 * data: plain fields a person can read in the workflow's JSON. Only the main
 * process that runs triggers (the leader) writes it, so there is one writer.
 *
 * Every decision is made in Paynet's terms, never by n8n's clock: which rows
 * Paynet lists, how many, and the times Paynet wrote on them.
 *
 * - `activatedAt`: n8n's time of the first activation (for people; no
 *   decision reads it).
 * - `days`: for each Istanbul day still read (as Paynet lists it, `datab` =
 *   `datbi`), how many of its rows the trigger has counted: run, skipped
 *   (filtered out, too old, without an `xact_id`) or already listed when the
 *   trigger was first activated. When Paynet's `total` for the day is larger,
 *   the difference is the rows still to find.
 * - `payments`: each counted row's `xact_id` → its `xact_date` as Paynet
 *   wrote it, from `floor` on. A listed row in it is not new.
 * - `floor`: a Paynet time (as Paynet writes it); counted rows dated before it
 *   are no longer held one by one, so a row dated before it that is not in
 *   `payments` was counted already, or Paynet listed it so late that it can
 *   no longer be told apart (the day's count says which).
 * - `listedBy`: what Paynet itself filters the lists by (Event and Agent
 *   ID): the counts hold only for the lists they were made of.
 * - `countFrom`: only after an upgrade from a version that cut by n8n's
 *   clock, or after the filters Paynet applies changed: on a day not counted
 *   yet, rows dated before it were handled already (or were not asked for).
 */
export interface PollMemory {
	activatedAt: string;
	days: Record<string, number>;
	payments: Record<string, string>;
	floor?: string;
	countFrom?: string;
	listedBy?: string;
}

/**
 * How long after its `xact_date` a payment Paynet lists late can still be
 * told apart from one that already ran: the memory holds every counted row
 * this far back from the newest Paynet listed. Paynet's time, not n8n's.
 */
export const LATE_LISTING_MS = 3 * 60 * 60 * 1000;

/** Hard bound on remembered payments (about 60 bytes each in the saved JSON). */
export const MAX_REMEMBERED = 50_000;

/** The fields this memory writes; an older version's are removed on the first write. */
const FIELDS = ['activatedAt', 'days', 'payments', 'floor', 'countFrom', 'listedBy', 'updatedAt'] as const;
const OLDER_FIELDS = ['coveredUntil', 'cursors', 'horizon'] as const;

/** Older versions' cut: the last completed poll less their 10-minute overlap, not before the first activation. */
const OLDER_OVERLAP_MS = 10 * 60 * 1000;

function isIsoInstant(value: unknown): value is string {
	return typeof value === 'string' && !Number.isNaN(Date.parse(value));
}

function isPlainObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The memory in `staticData`, or `undefined` before the first activation (or when it is unreadable). */
export function readPollMemory(staticData: IDataObject): PollMemory | undefined {
	const { activatedAt, days, payments, floor, countFrom, coveredUntil, listedBy } = staticData;
	if (!isIsoInstant(activatedAt)) return undefined;
	const remembered: Record<string, string> = {};
	if (isPlainObject(payments)) {
		for (const [key, paidAt] of Object.entries(payments)) remembered[key] = String(paidAt);
	}
	const counted: Record<string, number> = {};
	if (isPlainObject(days)) {
		for (const [day, count] of Object.entries(days)) {
			if (/^\d{4}-\d{2}-\d{2}$/.test(day) && typeof count === 'number' && Number.isInteger(count) && count >= 0)
				counted[day] = count;
		}
	}
	const memory: PollMemory = { activatedAt, days: counted, payments: remembered };
	if (typeof floor === 'string' && istanbulInstant(floor) !== undefined) memory.floor = floor;
	if (typeof countFrom === 'string' && istanbulInstant(countFrom) !== undefined) memory.countFrom = countFrom;
	if (typeof listedBy === 'string') memory.listedBy = listedBy;
	// An older version's memory: it cut by n8n's clock at its last completed poll, less its overlap.
	if (!isPlainObject(days) && memory.countFrom === undefined) {
		const coveredMs = isIsoInstant(coveredUntil) ? Date.parse(coveredUntil) : Date.parse(activatedAt);
		const cutMs = Math.max(Date.parse(activatedAt), coveredMs - OLDER_OVERLAP_MS);
		memory.countFrom = istanbulWallClock(cutMs);
	}
	return memory;
}

/** The memory a first activation starts with, before the rows Paynet already lists are counted. */
export function firstMemory(nowMs: number): PollMemory {
	return { activatedAt: new Date(nowMs).toISOString(), days: {}, payments: {} };
}

/**
 * Writes the memory's fields as top-level properties of the node's static
 * data: n8n notices a change (and saves the static data with the next run it
 * starts) only when a property of that object is assigned, not when an
 * object inside it is changed in place. Fields of other parts of the node
 * (see `runs.ts`) are left alone.
 */
export function writePollMemory(staticData: IDataObject, memory: PollMemory, nowMs: number): void {
	for (const field of OLDER_FIELDS) delete staticData[field];
	for (const field of FIELDS) {
		if (field === 'updatedAt') continue;
		const value = memory[field as keyof PollMemory];
		if (value === undefined) delete staticData[field];
		else staticData[field] = value as IDataObject[string];
	}
	staticData.updatedAt = new Date(nowMs).toISOString();
}

/**
 * Counts one listed row of `day` in place, remembering it when it has a key,
 * and marks the static data changed so n8n saves it with the next run.
 */
export function countRow(
	staticData: IDataObject,
	memory: PollMemory,
	day: string,
	key: string | undefined,
	paidAt: string,
	nowMs: number,
): void {
	memory.days[day] = (memory.days[day] ?? 0) + 1;
	if (key !== undefined) memory.payments[key] = paidAt;
	staticData.days = memory.days;
	staticData.payments = memory.payments;
	staticData.updatedAt = new Date(nowMs).toISOString();
}

/**
 * Moves the floor up to `LATE_LISTING_MS` before the newest payment time
 * remembered (never down: a clock that steps back moves nothing) and forgets
 * the rows dated before it; then enforces the bound, oldest first, moving
 * the floor over what it drops. Safe at any moment: a forgotten row stays
 * counted in its day, so it is never taken for new.
 */
export function prune(memory: PollMemory, max = MAX_REMEMBERED): PollMemory {
	const entries = Object.entries(memory.payments).map(([key, paidAt]) => ({
		key,
		paidAt,
		ms: istanbulInstant(paidAt),
	}));
	let newestMs: number | undefined;
	for (const entry of entries)
		if (entry.ms !== undefined && (newestMs === undefined || entry.ms > newestMs)) newestMs = entry.ms;
	let floorMs = memory.floor === undefined ? undefined : istanbulInstant(memory.floor);
	if (newestMs !== undefined) floorMs = Math.max(floorMs ?? Number.NEGATIVE_INFINITY, newestMs - LATE_LISTING_MS);
	// An unreadable date cannot be placed before the floor: kept until the bound.
	let kept = entries.filter((entry) => entry.ms === undefined || floorMs === undefined || entry.ms >= floorMs);
	if (kept.length > max) {
		kept.sort((a, b) => (a.ms ?? Number.POSITIVE_INFINITY) - (b.ms ?? Number.POSITIVE_INFINITY));
		const dropped = kept.slice(0, kept.length - max);
		kept = kept.slice(kept.length - max);
		const newestDropped = dropped[dropped.length - 1].ms;
		if (newestDropped !== undefined) floorMs = Math.max(floorMs ?? Number.NEGATIVE_INFINITY, newestDropped + 1);
	}
	const payments: Record<string, string> = {};
	for (const entry of kept) payments[entry.key] = entry.paidAt;
	const pruned: PollMemory = { ...memory, payments };
	if (floorMs !== undefined && Number.isFinite(floorMs)) pruned.floor = istanbulWallClock(floorMs);
	return pruned;
}

/** The floor as an instant; `undefined` while the memory still holds every row it counted. */
export function floorMsOf(memory: PollMemory): number | undefined {
	return memory.floor === undefined ? undefined : istanbulInstant(memory.floor);
}

/**
 * The memory for lists filtered by `listedBy`. Counts made of lists Paynet
 * filtered otherwise (Event or Agent ID changed) say nothing of these: the
 * days are counted again, from the newest payment remembered, so what the
 * new filters let in from before it does not run.
 */
export function forLists(memory: PollMemory, listedBy: string): PollMemory {
	if (memory.listedBy === listedBy) return memory;
	const adopted: PollMemory = { ...memory, listedBy };
	if (memory.listedBy === undefined) return adopted;
	let newest: string | undefined;
	let newestMs = Number.NEGATIVE_INFINITY;
	for (const paidAt of Object.values(memory.payments)) {
		const ms = istanbulInstant(paidAt);
		if (ms !== undefined && ms > newestMs) [newest, newestMs] = [paidAt, ms];
	}
	return { ...adopted, days: {}, countFrom: newest ?? memory.floor ?? memory.countFrom };
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
