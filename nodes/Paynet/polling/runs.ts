import type { IDataObject } from 'n8n-workflow';

import type { StartedRun } from './memory';
import { readStartedRuns, writeStartedRuns } from './memory';

/**
 * The runs a Polling Trigger has started: which of its activations in this
 * process is the live one, what n8n's answer about a run's end means, and
 * the record (static data `started`) that lets an activation after a crash
 * name, and on n8n ≥ 2.20 start again, every run n8n may not have.
 */

/**
 * n8n ≥ 2.20 refuses any `donePromise` for a workflow on Engine 2.0 before
 * creating the execution (2.41.1: `workflows/triggers/engine-v2-active-triggers.js`
 * `assertSupported`, a UserError with this message).
 */
const ENGINE_V2_REFUSAL = /Engine 2\.0 cannot run a trigger that waits/;

/**
 * A run stopped in the Executions list, past the workflow timeout, or
 * cancelled at shutdown: n8n rejects its `donePromise` with an
 * ExecutionCancelledError (both majors: `active-executions.js`
 * `stopExecution`); its execution exists, so the run has ended.
 */
const CANCELLED = /^The execution was cancelled/;

/** What a rejected `donePromise` says about the run. */
export type Rejection = 'engineV2Refusal' | 'cancelled' | 'notCreated';

export function readRejection(error: unknown): Rejection {
	const message = String((error as Error)?.message ?? error ?? '');
	if (ENGINE_V2_REFUSAL.test(message)) return 'engineV2Refusal';
	const reason = (error as { reason?: unknown })?.reason;
	if (CANCELLED.test(message) || reason === 'manual' || reason === 'timeout' || reason === 'shutdown') {
		return 'cancelled';
	}
	// n8n failed before the run had an execution (its database, a workflow it could not load).
	return 'notCreated';
}

/** One workflow node in this process: the live activation, and its runs not yet ended. */
interface NodeInProcess {
	live: symbol;
	/** `xact_id` → settles when that run ends, whichever activation started it. */
	pending: Map<string, Promise<void>>;
}

const nodes = new Map<string, NodeInProcess>();

export interface Activation {
	/** False once a newer activation of the same workflow node exists in this process (n8n 1.x may never close this one). */
	isLive(): boolean;
	/** First activation of this workflow node in this process: n8n (re)started, or this main became the leader. */
	firstInProcess: boolean;
	pending: Map<string, Promise<void>>;
	release(): void;
}

/** Registers a new activation of a workflow node; it supersedes any earlier one in this process. */
export function activateNode(workflowId: string, nodeId: string): Activation {
	const key = `${workflowId}\u0000${nodeId}`;
	const live = Symbol(key);
	const known = nodes.get(key);
	const entry: NodeInProcess = { live, pending: known?.pending ?? new Map() };
	nodes.set(key, entry);
	return {
		isLive: () => nodes.get(key)?.live === live,
		firstInProcess: known === undefined,
		pending: entry.pending,
		// The node stays known (with its pending runs): a later activation here is no restart.
		release: () => {
			const current = nodes.get(key);
			if (current?.live === live) current.live = Symbol('closed');
		},
	};
}

/** Payments whose runs were started without waiting (Engine 2.0) that stay recorded: n8n never says when they end. */
export const UNWAITED_KEPT = 50;

/**
 * The `started` record of one activation: written before each `emit`, so
 * the static data n8n saves with that run holds it; an entry goes when n8n
 * says the run ended (its removal reaches the database with the next save).
 */
export class StartedRuns {
	private readonly unwaited: string[] = [];

	constructor(
		private readonly staticData: IDataObject,
		private readonly pending: Map<string, Promise<void>>,
	) {}

	entries(): Array<[string, StartedRun]> {
		return Object.entries(readStartedRuns(this.staticData));
	}

	add(xactId: string, run: StartedRun): void {
		writeStartedRuns(this.staticData, { ...readStartedRuns(this.staticData), [xactId]: run });
	}

	/** Settles with the run: `ended` resolves when n8n says it ended (or the trigger gives up on knowing). */
	track(xactId: string, ended: Promise<void>): void {
		this.pending.set(xactId, ended);
		void ended.then(() => {
			if (this.pending.get(xactId) === ended) this.pending.delete(xactId);
		});
	}

	remove(xactId: string): void {
		const runs = readStartedRuns(this.staticData);
		if (!(xactId in runs)) return;
		delete runs[xactId];
		writeStartedRuns(this.staticData, runs);
	}

	/** A run started without a donePromise: kept while it is among the newest UNWAITED_KEPT. */
	keepUnwaited(xactId: string): void {
		this.unwaited.push(xactId);
		while (this.unwaited.length > UNWAITED_KEPT) this.remove(this.unwaited.shift() as string);
	}
}

/** How a payment is named in the log. */
export function describeRun(xactId: string, run: Pick<StartedRun, 'reference' | 'amount' | 'xact_date'>): string {
	return `reference ${JSON.stringify(run.reference)}, xact_id ${JSON.stringify(xactId)}, amount ${JSON.stringify(run.amount)}, xact_date ${JSON.stringify(run.xact_date)}`;
}

interface Logger {
	warn(message: string): void;
}

/**
 * At activation: what the saved `started` record says about runs n8n may
 * not have. Re-activated in this process (n8n did not stop), each such run
 * still runs here or has ended: nothing to do. After a restart (or on a new
 * leader), each is named at warning level; on n8n ≥ 2.20 it is returned to
 * be started again under its deduplication key (n8n skips it where its
 * execution exists, runs it where none was created); on n8n 1.x, which
 * cannot tell, it is not started again (a second run of a payment is worse
 * than a run the log names).
 */
export function takeInterruptedRuns(
	logger: Logger,
	started: StartedRuns,
	activation: Activation,
	keyed: boolean,
): Array<[string, StartedRun]> {
	const left = started.entries();
	if (left.length === 0) return [];
	if (!activation.firstInProcess) {
		for (const [xactId] of left) {
			const pending = activation.pending.get(xactId);
			if (pending) void pending.then(() => started.remove(xactId));
			else started.remove(xactId);
		}
		return [];
	}
	const handedOver = left.filter(([, run]) => run.queued !== true);
	const toStart: Array<[string, StartedRun]> = [];
	for (const [xactId, run] of left) {
		if (run.queued !== true) continue;
		// Never handed to n8n (it waited for a place when n8n stopped): no execution can exist, so it starts now on every major.
		logger.warn(
			`Paynet Polling Trigger: the run of payment ${describeRun(xactId, run)} was waiting to start when n8n stopped; started now`,
		);
		toStart.push([xactId, run]);
	}
	if (handedOver.length > 0) {
		logger.warn(
			`Paynet Polling Trigger: n8n stopped while ${handedOver.length} run(s) of this trigger were started and not known to have ended (xact_id ${handedOver.map(([xactId]) => xactId).join(', ')}). ${keyed ? 'Each is started again under its deduplication key: n8n skips it where its execution exists and runs it where none was created' : 'This n8n (1.x) cannot tell whether their runs were created, and the trigger does not start them again: check each in the Executions list'}. A run n8n marks "crashed" is not run again by the trigger: retry it from n8n's Executions list`,
		);
	}
	for (const [xactId, run] of handedOver) {
		if (keyed) {
			logger.warn(
				`Paynet Polling Trigger: the run of payment ${describeRun(xactId, run)} was in flight when n8n stopped (started ${run.startedAt}); started again under its deduplication key ${run.key}. If its execution shows as crashed in the Executions list, retry it there`,
			);
			toStart.push([xactId, run]);
		} else {
			logger.warn(
				`Paynet Polling Trigger: the run of payment ${describeRun(xactId, run)} was in flight when n8n stopped (started ${run.startedAt}); not started again. If the Executions list has no run of it, it never ran: run your workflow for it yourself (Payment → List finds it); if its run shows as crashed, retry it there`,
			);
			started.remove(xactId);
		}
	}
	return toStart;
}
