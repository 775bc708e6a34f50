'use strict';
// What every case file (trigger.cases.js, polling.cases.js, …) hands
// examples.e2e.js: a credential pointed at the file's own Paynet look-alike
// and a one-node workflow of its trigger, imported and activated with the
// examples on the one n8n that file boots.
const n8n = require('./n8n');

/** The credential and the inactive one-node workflow of a case file, as n8n's CLI imports them. */
function oneNodeCase({ workflowId, workflowName, credentialId, credentialName, secretKey, baseUrl, node }) {
	const credential = {
		id: credentialId,
		name: credentialName,
		type: 'paynetApi',
		data: { secretKey, environment: 'custom', baseUrl },
	};
	const workflow = {
		id: workflowId,
		name: workflowName,
		active: false,
		settings: { executionOrder: 'v1', timezone: 'Europe/Istanbul' },
		nodes: [
			{
				typeVersion: 1,
				position: [0, 0],
				credentials: { paynetApi: { id: credentialId, name: credentialName } },
				...node,
			},
		],
		connections: {},
		pinData: {},
		tags: [],
	};
	return { credential, workflow, workflowId };
}

/** The trigger's output item of each run of the workflow, oldest run first, with the run's mode and status. */
async function triggerRuns(apiKey, workflowId, nodeName) {
	const executions = await n8n.listExecutions(apiKey, workflowId);
	return executions.reverse().map((execution) => ({
		mode: execution.mode,
		status: execution.status,
		finished: execution.finished,
		item: execution.data?.resultData?.runData?.[nodeName]?.[0]?.data?.main?.[0]?.[0]?.json,
	}));
}

module.exports = { oneNodeCase, triggerRuns };
