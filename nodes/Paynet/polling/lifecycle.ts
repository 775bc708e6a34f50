import type { IDataObject, ITriggerFunctions, IWebhookFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { sha256 } from '../helpers/hash';
import { createPaynetClient } from '../transport/client';
import type { StartedRun } from './memory';
import { readPollMemory } from './memory';
import type { PollResult, PollSettings } from './poll';
import { runPoll } from './poll';
import { findNewestPayment } from './testEvent';
import { listenForPosts, postHints } from './pollOnPost';
import { activateNode, describeRun, readRejection, StartedRuns, takeInterruptedRuns } from './runs';
import type { PollEvent } from './select';
import { deduplicationKey, paymentItem, xactIdOf } from './select';
import { HOUR_MS } from './window';

/** While polls keep failing, n8n is told (a failed execution, on versions that have them) at most this often. */
export const FAILURE_REPORT_INTERVAL_MS = 60 * 60 * 1000;

/** n8n ≥ 2.20 hands triggers `saveFailedExecution`: an error execution and the Error Workflow, without deactivating. */
type WithFailedExecutions = ITriggerFunctions & { saveFailedExecution?: (error: Error) => void };

/** Runs of one trigger in flight at once: n8n's SQLite takes runs one write at a time, so more only queue up in memory. */
export const MAX_RUNS_IN_FLIGHT = 10;

/** A run not settled after this long no longer holds the next back (logged): a stuck execution must not stop the trigger. */
export const RUN_WAIT_LIMIT_MS = 10 * 60 * 1000;

/** What n8n settles when the run it started ends: `resolve(run)` or, when n8n itself failed it, `reject(error)`. */
interface DonePromise {
	promise: Promise<unknown>;
	resolve: (run: unknown) => void;
	reject: (error: Error) => void;
}

/** `emit` with n8n ≥ 2.20's fourth argument; older versions take three and ignore a fourth. */
type KeyedEmit = (
	data: unknown,
	responsePromise: undefined,
	donePromise: DonePromise,
	deduplicationKey: string,
) => void;

function donePromise(): DonePromise {
	const done = {} as DonePromise;
	done.promise = new Promise((resolve, reject) => {
		done.resolve = resolve;
		done.reject = reject;
	});
	return done;
}

function text(value: unknown): string {
	return typeof value === 'string' ? value.trim() : value === undefined || value === null ? '' : String(value).trim();
}

/** The node's parameters, checked; a wrong value stops the activation with the field named. */
export function readPollSettings(
	context: ITriggerFunctions | IWebhookFunctions,
): PollSettings & { pollMinutes: number; listen: boolean } {
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
	if (!Number.isFinite(catchUpHours) || catchUpHours * 60 < pollMinutes) {
		throw new NodeOperationError(
			node,
			`Catch Up Hours (catchUpHours) must be at least Poll Every (Minutes) (${pollMinutes} min = ${Math.round((pollMinutes / 60) * 1000) / 1000} h), not ${JSON.stringify(options.catchUpHours)}: a smaller value would leave payments between two polls too old to run`,
		);
	}
	return {
		pollMinutes,
		listen: context.getNodeParameter('listen', false) === true,
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
export async function startPolling(
	context: ITriggerFunctions,
	settings: PollSettings & { pollMinutes: number; listen: boolean },
) {
	const node = context.getNode();
	const workflowId = String(context.getWorkflow().id ?? '');
	const nodeId = String(node.id ?? node.name);
	const staticData = context.getWorkflowStaticData('node');
	const now = Date.now();
	const firstActivation = readPollMemory(staticData) === undefined;
	const keyed = emitTakesDeduplicationKey(context);
	context.logger.info(
		`Paynet Polling Trigger: active, every ${settings.pollMinutes} min; ${keyed ? 'runs carry a deduplication key (one run per payment across processes)' : "this n8n's emit takes no deduplication key: the node's memory alone keeps runs unique"}`,
	);

	const intervalMs = settings.pollMinutes * 60_000;
	// One live activation per workflow node in this process: n8n 1.x may leave an older one unclosed.
	const registration = activateNode(workflowId, nodeId);
	let closed = false;
	let supersededLogged = false;
	const stopped = () => {
		if (closed) return true;
		if (registration.isLive()) return false;
		if (!supersededLogged) {
			supersededLogged = true;
			context.logger.warn(
				'Paynet Polling Trigger: a newer activation of this workflow node runs in this process; this one (which n8n did not close) stops polling',
			);
		}
		return true;
	};
	let running: Promise<void> | undefined;
	let lastResult: PollResult | undefined;
	// A post arrived while a poll was running: that poll may have listed the day before the payment.
	let pollAgain = false;
	// The first tick polls, whatever the interval: the next ones wait for it.
	let lastStartedMs = Number.NEGATIVE_INFINITY;
	let failingSinceMs: number | undefined;
	let lastReportMs: number | undefined;
	// Counted from this activation: Catch Up Hours limits how far back the first poll after a stop reaches.
	const catchUpFromMs = now - settings.catchUpHours * HOUR_MS;
	const inFlight = new Map<Promise<unknown>, number>();
	const started = new StartedRuns(staticData, registration.pending);

	/** Waits, while MAX_RUNS_IN_FLIGHT runs are unsettled, for one to end (or to pass RUN_WAIT_LIMIT_MS). */
	const roomForARun = async () => {
		while (!stopped() && inFlight.size >= MAX_RUNS_IN_FLIGHT) {
			await Promise.race([...inFlight.keys(), sleep(1_000)]);
			for (const [run, startedMs] of inFlight) {
				if (Date.now() - startedMs < RUN_WAIT_LIMIT_MS) continue;
				inFlight.delete(run);
				context.logger.warn(
					`Paynet Polling Trigger: a run started at ${new Date(startedMs).toISOString()} has not ended after ${RUN_WAIT_LIMIT_MS / 60_000} min; the next runs no longer wait for it`,
				);
			}
		}
	};

	// Cleared when n8n refuses to wait for a run (a workflow on Engine 2.0): runs are then started without waiting.
	let waitForRuns = true;

	/** Starts one run, recorded in `started` before n8n's emit saves the static data. */
	const startRun = (xactId: string, run: StartedRun) => {
		delete run.queued;
		started.add(xactId, run);
		const data = [[{ json: run.item }]] as unknown;
		const start = (done?: DonePromise) =>
			(context.emit as unknown as KeyedEmit)(data, undefined, done as DonePromise, run.key);
		if (!waitForRuns) {
			start();
			started.keepUnwaited(xactId);
			return;
		}
		const what = `the payment (${describeRun(xactId, run)})`;
		const done = donePromise();
		const settled = done.promise.then(
			// A run that finished or failed, or (n8n ≥ 2.20, resolved empty) one n8n skipped because its key already has an execution.
			() => started.remove(xactId),
			(error: Error) => {
				const message = error?.message ?? String(error);
				const rejection = readRejection(error);
				if (rejection === 'cancelled') {
					// Stopped by a user, past the workflow timeout, or at shutdown: the run exists and has ended.
					started.remove(xactId);
					context.logger.info(`Paynet Polling Trigger: the run of ${what} ended without finishing (${message})`);
					return;
				}
				if (rejection === 'engineV2Refusal' && keyed && !stopped()) {
					// No execution was created; the key makes a second start safe.
					if (waitForRuns) {
						waitForRuns = false;
						context.logger.warn(
							`Paynet Polling Trigger: this workflow runs on n8n's Engine 2.0, which will not let a trigger wait for its runs (${message}); its runs are started without waiting from now on, so the trigger no longer bounds how many are in flight (n8n's concurrency limit does)`,
						);
					}
					start();
					started.keepUnwaited(xactId);
					return;
				}
				if (keyed) {
					// Kept in `started`: after the next restart it is started again under its key.
					context.logger.error(
						`Paynet Polling Trigger: n8n could not start the run of ${what}: ${message}. It is started again under its deduplication key after n8n restarts; or find it with Payment → List`,
					);
					return;
				}
				// n8n, not the workflow, failed the run, and without a key a second start could run it twice.
				started.remove(xactId);
				context.logger.error(
					`Paynet Polling Trigger: n8n could not run ${what}: ${message}. It will not be started again by this trigger: retry its execution in n8n's Executions list, or find it with Payment → List`,
				);
			},
		);
		inFlight.set(settled, Date.now());
		started.track(xactId, settled);
		void settled.then(() => inFlight.delete(settled));
		start(done);
	};

	const emit = async (row: IDataObject): Promise<boolean> => {
		const xactId = xactIdOf(row) as string;
		const run: StartedRun = {
			key: deduplicationKey(workflowId, nodeId, xactId),
			startedAt: new Date().toISOString(),
			reference: typeof row.reference_no === 'string' ? row.reference_no : null,
			amount: typeof row.amount === 'number' || typeof row.amount === 'string' ? row.amount : null,
			xact_date: typeof row.xact_date === 'string' ? row.xact_date : null,
			item: paymentItem(row),
		};
		// Recorded in the same tick as runPoll remembers the payment: any save that holds the one holds the other
		// (n8n serialises a save some ticks after starting it, so the save of the previous run may hold both).
		started.add(xactId, { ...run, queued: true });
		if (waitForRuns) await roomForARun();
		if (stopped()) {
			started.remove(xactId);
			return false;
		}
		startRun(xactId, { ...run, startedAt: new Date().toISOString() });
		return true;
	};

	// Runs the saved static data says were started and not known to have ended.
	const interrupted = takeInterruptedRuns(context.logger, started, registration, keyed);
	const restartRuns = async () => {
		while (interrupted.length > 0) {
			if (waitForRuns) await roomForARun();
			if (stopped()) return;
			const [xactId, run] = interrupted.shift() as [string, StartedRun];
			startRun(xactId, { ...run, startedAt: new Date().toISOString() });
		}
	};

	/** A failed poll (throttled), or payments the trigger cannot run (each one said): n8n hears of it where it can. */
	const report = (error: Error, startedMs: number, failedPoll = true) => {
		if (failedPoll) {
			failingSinceMs = failingSinceMs ?? startedMs;
			context.logger.error(
				`Paynet Polling Trigger: poll failed, nothing moved forward and the next poll asks for the same time again (failing since ${new Date(failingSinceMs).toISOString()}): ${error.message}`,
			);
		}
		const save = (context as WithFailedExecutions).saveFailedExecution;
		if (typeof save !== 'function') return;
		if (failedPoll && lastReportMs !== undefined && startedMs - lastReportMs < FAILURE_REPORT_INTERVAL_MS) return;
		if (failedPoll) lastReportMs = startedMs;
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

	// For the activation: whether the clocks' disagreement was logged.
	const activation = {};
	const reportUnrunnable = (message: string) => report(new NodeOperationError(node, message), Date.now(), false);

	const pollOnce = async (): Promise<PollResult | undefined> => {
		const startedMs = Date.now();
		lastStartedMs = startedMs;
		try {
			await restartRuns();
			const client = await createPaynetClient(context);
			const result = await runPoll(
				{
					client,
					node,
					staticData,
					logger: context.logger,
					emit,
					nowMs: startedMs,
					catchUpFromMs,
					reportUnrunnable,
					activation,
					postHints: () => postHints(workflowId, nodeId),
				},
				settings,
				intervalMs,
			);
			failingSinceMs = undefined;
			lastReportMs = undefined;
			return result;
		} catch (error) {
			if (!stopped()) report(error as Error, startedMs);
			return undefined;
		}
	};

	const start = () => {
		if (stopped() || running) return;
		running = pollOnce().then(
			(result) => {
				running = undefined;
				lastResult = result;
				// A post came meanwhile: that poll may have listed the day before the payment, so go on at once.
				if (pollAgain) {
					pollAgain = false;
					start();
				}
			},
			() => {
				running = undefined;
			},
		);
	};

	context.helpers.registerCron({ expression: `${pollSecond(workflowId, nodeId)} * * * * *` }, () => {
		// Ticks come every minute; a poll is due once the interval (less a few seconds of tick jitter) has passed.
		if (Date.now() - lastStartedMs >= intervalMs - 5_000) start();
	});
	if (firstActivation) {
		// What Paynet lists now is what was paid before this activation: counted, never run. Without it, nothing
		// could tell those payments from later ones but n8n's clock, so the activation fails instead.
		try {
			await runPoll(
				{
					client: await createPaynetClient(context),
					node,
					staticData,
					logger: context.logger,
					emit: async () => false,
					nowMs: now,
					catchUpFromMs,
				},
				settings,
				intervalMs,
			);
		} catch (error) {
			registration.release();
			throw new NodeOperationError(
				node,
				`Paynet Polling Trigger: could not read Paynet's list of payments to start from (${(error as Error).message})`,
				{
					description:
						'On its first activation the trigger counts the payments Paynet already lists, so that none of them runs. Check the credential and that Paynet is reachable, then activate again.',
				},
			);
		}
	} else start();

	// Runs still come only from polls: a post just makes the next one come now.
	const stopListening = settings.listen
		? listenForPosts(workflowId, nodeId, async () => {
				if (running) pollAgain = true;
				else start();
				while (running) await running;
				return lastResult;
			})
		: () => {};

	return {
		closeFunction: async () => {
			closed = true;
			registration.release();
			stopListening();
		},
		/** For tests: a poll now (and the ones a backlog makes follow at once), to their end. */
		pollNow: async () => {
			start();
			while (running) await running;
		},
	};
}
