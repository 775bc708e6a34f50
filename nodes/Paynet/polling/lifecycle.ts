import type { IDataObject, ITriggerFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { sha256 } from '../helpers/hash';
import { createPaynetClient } from '../transport/client';
import { readPollMemory, firstMemory, writePollMemory } from './memory';
import type { PollResult, PollSettings } from './poll';
import { findNewestPayment, runPoll } from './poll';
import type { PollEvent } from './select';
import { deduplicationKey, paymentItem, xactIdOf } from './select';

/** While polls keep failing, n8n is told (a failed execution, on versions that have them) at most this often. */
export const FAILURE_REPORT_INTERVAL_MS = 60 * 60 * 1000;

/** n8n ≥ 2.20 hands triggers `saveFailedExecution`: an error execution and the Error Workflow, without deactivating. */
type WithFailedExecutions = ITriggerFunctions & { saveFailedExecution?: (error: Error) => void };

/** `emit` with n8n ≥ 2.20's fourth argument; older versions take three and ignore a fourth. */
type KeyedEmit = (data: unknown, responsePromise: undefined, donePromise: undefined, deduplicationKey: string) => void;

function text(value: unknown): string {
	return typeof value === 'string' ? value.trim() : value === undefined || value === null ? '' : String(value).trim();
}

/** The node's parameters, checked; a wrong value stops the activation with the field named. */
export function readPollSettings(context: ITriggerFunctions): PollSettings & { pollMinutes: number } {
	const node = context.getNode();
	const event = context.getNodeParameter('event', 'successfulPayment') as PollEvent;
	const pollMinutes = Number(context.getNodeParameter('pollMinutes', 1));
	if (!Number.isInteger(pollMinutes) || pollMinutes < 1) {
		throw new NodeOperationError(
			node,
			`Poll Every (Minutes) (pollMinutes) must be a whole number of at least 1, not ${JSON.stringify(pollMinutes)}`,
		);
	}
	const filters = context.getNodeParameter('filters', {}) as IDataObject;
	const options = context.getNodeParameter('options', {}) as IDataObject;
	const catchUpHours = options.catchUpHours === undefined ? 168 : Number(options.catchUpHours);
	if (!Number.isFinite(catchUpHours) || catchUpHours < 0) {
		throw new NodeOperationError(
			node,
			`Catch Up Hours (catchUpHours) must be a number of at least 0, not ${JSON.stringify(options.catchUpHours)}`,
		);
	}
	return {
		pollMinutes,
		catchUpHours,
		filters: {
			event: event === 'anyPayment' ? 'anyPayment' : 'successfulPayment',
			referencePrefix: text(filters.referencePrefix) || undefined,
			agentId: text(filters.agentId) || undefined,
		},
	};
}

/** Whether this n8n's `emit` takes a deduplication key: its fourth parameter, read from the function itself. */
export function emitTakesDeduplicationKey(context: ITriggerFunctions): boolean {
	return typeof context.emit === 'function' && context.emit.length >= 4;
}

/**
 * The second of the minute this node polls at: fixed per node, so polls stay
 * `pollMinutes` apart, and spread, so many workflows do not ask Paynet at once.
 */
export function pollSecond(workflowId: string, nodeId: string): number {
	return parseInt(sha256(`${workflowId}:${nodeId}`, 'hex').slice(0, 8), 16) % 60;
}

/** "Fetch Test Event": the newest matching payment, once, without touching the memory. */
export function manualResponse(context: ITriggerFunctions, settings: PollSettings) {
	return {
		manualTriggerFunction: async () => {
			const client = await createPaynetClient(context);
			const row = await findNewestPayment(client, context.getNode(), settings.filters, Date.now());
			// n8n replaces `emit` after trigger() returns in manual mode: read it now, not before.
			context.emit([[{ json: paymentItem(row) }]]);
		},
	};
}

/**
 * The active trigger: a cron tick every minute at the node's second; a poll
 * every `pollMinutes`, never two at once; and one poll right away after a
 * restart or re-activation, so payments made meanwhile do not wait.
 */
export function startPolling(context: ITriggerFunctions, settings: PollSettings & { pollMinutes: number }) {
	const node = context.getNode();
	const workflowId = String(context.getWorkflow().id ?? '');
	const nodeId = String(node.id ?? node.name);
	const staticData = context.getWorkflowStaticData('node');
	const now = Date.now();
	const firstActivation = readPollMemory(staticData) === undefined;
	// Written before trigger() returns: n8n saves static data at the end of an activation.
	if (firstActivation) writePollMemory(staticData, firstMemory(now), now);
	context.logger.info(
		`Paynet Polling Trigger: active, every ${settings.pollMinutes} min; ${emitTakesDeduplicationKey(context) ? 'runs carry a deduplication key (one run per payment across processes)' : "this n8n's emit takes no deduplication key: the node's memory alone keeps runs unique"}`,
	);

	let closed = false;
	let running: Promise<void> | undefined;
	// The first tick polls, whatever the interval: the next ones wait for it.
	let lastStartedMs = Number.NEGATIVE_INFINITY;
	let failingSinceMs: number | undefined;
	let lastReportMs: number | undefined;

	const emit = (row: IDataObject): boolean => {
		if (closed) return false;
		const key = deduplicationKey(workflowId, nodeId, xactIdOf(row) as string);
		(context.emit as unknown as KeyedEmit)([[{ json: paymentItem(row) }]] as unknown, undefined, undefined, key);
		return true;
	};

	const report = (error: Error, startedMs: number) => {
		failingSinceMs = failingSinceMs ?? startedMs;
		context.logger.error(
			`Paynet Polling Trigger: poll failed, nothing moved forward and the next poll asks for the same time again (failing since ${new Date(failingSinceMs).toISOString()}): ${error.message}`,
		);
		const save = (context as WithFailedExecutions).saveFailedExecution;
		if (typeof save !== 'function') return;
		if (lastReportMs !== undefined && startedMs - lastReportMs < FAILURE_REPORT_INTERVAL_MS) return;
		lastReportMs = startedMs;
		try {
			const failure =
				error instanceof NodeApiError || error instanceof NodeOperationError
					? error
					: new NodeApiError(node, { message: error.message } as JsonObject, { message: error.message });
			save.call(context, failure);
		} catch (cause) {
			context.logger.error(`Paynet Polling Trigger: could not record the failed poll: ${(cause as Error).message}`);
		}
	};

	const pollOnce = async (): Promise<PollResult | undefined> => {
		const startedMs = Date.now();
		lastStartedMs = startedMs;
		try {
			const client = await createPaynetClient(context);
			const result = await runPoll(
				{ client, node, staticData, logger: context.logger, emit, nowMs: startedMs },
				settings,
			);
			failingSinceMs = undefined;
			lastReportMs = undefined;
			return result;
		} catch (error) {
			if (!closed) report(error as Error, startedMs);
			return undefined;
		}
	};

	const start = () => {
		if (closed || running) return;
		running = pollOnce().then(
			() => {
				running = undefined;
			},
			() => {
				running = undefined;
			},
		);
	};

	const intervalMs = settings.pollMinutes * 60_000;
	context.helpers.registerCron({ expression: `${pollSecond(workflowId, nodeId)} * * * * *` }, () => {
		// Ticks come every minute; a poll is due once the interval (less a few seconds of tick jitter) has passed.
		if (Date.now() - lastStartedMs >= intervalMs - 5_000) start();
	});
	if (!firstActivation) start();

	return {
		closeFunction: async () => {
			closed = true;
		},
		/** For tests: the poll in progress, if any. */
		pollNow: async () => {
			start();
			await running;
		},
	};
}
