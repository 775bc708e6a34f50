import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

/**
 * n8n registers a usableAsTool node a second time as `<type>Tool` (for us
 * `n8n-nodes-paynet.paynetTool`); that is the node an AI Agent calls.
 */
export function runsAsAgentTool(context: IExecuteFunctions): boolean {
	return context.getNode().type.endsWith('Tool');
}

/**
 * The failure of a tool call, as the tool's answer to the model.
 *
 * n8n 2.x hands a failed tool node's error message back to the model unless
 * the node's On Error is "Stop Workflow" (WorkflowExecute's
 * handleNodeExecutionError, `aiToolDefaultsToContinue`). n8n 1.x stops the
 * whole agent run instead, so the model never sees what it got wrong (an
 * amount in dollars, a missing name) and cannot try again. Answering with the
 * error gives both majors 2.x's behaviour, with our hint added.
 */
export function shouldAnswerToolError(context: IExecuteFunctions): boolean {
	return runsAsAgentTool(context) && context.getNode().onError !== 'stopWorkflow';
}

/**
 * An operation that finds nothing outputs no items (Payment → Check with no
 * payment yet, an empty List), which n8n gives the model as an empty answer
 * (`""` on 1.x, `[]` on 2.x): nothing a model can read. Only as a tool does
 * the node say so in words; its output in a workflow is unchanged.
 */
export function toolEmptyAnswer(context: IExecuteFunctions): INodeExecutionData[][] {
	const operation = `${String(context.getNodeParameter('resource', 0))}.${String(context.getNodeParameter('operation', 0))}`;
	const message =
		operation === 'payment.check'
			? 'Paynet has no payment for this reference number or transaction yet: not paid.'
			: 'Paynet returned nothing for this request.';
	return [[{ json: { found: false, message }, pairedItem: { item: 0 } }]];
}

export function toolErrorAnswer(error: unknown): INodeExecutionData[][] {
	const { message, description } = error as { message?: unknown; description?: unknown };
	const text = typeof message === 'string' && message !== '' ? message : 'The Paynet tool failed';
	const hint =
		typeof description === 'string' && description !== '' && !text.includes(description) ? description : undefined;
	return [[{ json: hint ? { error: text, hint } : { error: text }, pairedItem: { item: 0 } }]];
}
