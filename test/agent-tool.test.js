'use strict';
// The Paynet node called by an AI Agent (n8n's `paynetTool` variant): a
// failed call answers the model with the error, as n8n 2.x does for a tool
// node and n8n 1.x does not; the real agent runs are in test/e2e/agent.e2e.js.
const { Paynet } = require('../dist/nodes/Paynet/Paynet.node.js');

/** Just enough of n8n's execute context for the router to refuse an unknown operation. */
function context({ type, onError, operation = 'doesNotExist', items = [{ json: {} }] }) {
	const node = { name: 'Create PayLink', type, typeVersion: 1, parameters: {}, ...(onError ? { onError } : {}) };
	return {
		getNode: () => node,
		getInputData: () => items,
		getNodeParameter: (name) => ({ resource: 'payLink', operation })[name],
		continueOnFail: () => false,
	};
}

const execute = (ctx) => new Paynet().execute.call(ctx);

test('as an agent tool, a failed call answers the model with the error', async () => {
	const output = await execute(context({ type: 'n8n-nodes-paynet.paynetTool' }));
	expect(output).toEqual([
		[{ json: { error: 'The operation "doesNotExist" of "payLink" is not supported' }, pairedItem: { item: 0 } }],
	]);
});

test('as an agent tool with On Error set to Stop Workflow, the failure stops the agent as the user chose', async () => {
	await expect(execute(context({ type: 'n8n-nodes-paynet.paynetTool', onError: 'stopWorkflow' }))).rejects.toThrow(
		/not supported/,
	);
});

test('in a workflow, a failure still stops the node: only the tool answers with it', async () => {
	await expect(execute(context({ type: 'n8n-nodes-paynet.paynet' }))).rejects.toThrow(/not supported/);
});
