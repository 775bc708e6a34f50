'use strict';
// The Paynet node as an AI agent's tool, in a real n8n: the example
// examples/workflows/ai-agent-paylinks.json (AI Agent + OpenAI-compatible
// chat model + two Paynet tools) run with `n8n execute`, against the Paynet
// look-alike and a scripted model: a tiny OpenAI-compatible server on
// 127.0.0.1 that answers /v1/chat/completions with the tool calls a model
// would make. Its first create has an amount in dollars, which the node must
// refuse; the model has to see that refusal as the tool's answer (n8n 1.x
// would otherwise stop the whole run), then create the link in lira and check
// the payment. Run with scripts/e2e.sh [1|2].
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { startPaynetServer } = require('../paynet-server');
const n8n = require('./n8n');

n8n.checkEnvironment();

const MAJOR = process.env.PAYNET_E2E_MAJOR ?? '1';
const RUN_DIR = process.env.PAYNET_E2E_DIR;
const EXAMPLES = path.join(__dirname, '..', '..', 'examples');
const WORKFLOW_ID = 'pnAgentPayLink01';
const SECRET_KEY = 'sck_e2e_agent/key+with=chars';

const { timings, timed } = n8n.stepTimer();

/**
 * A model that follows a script: each answer depends only on what the
 * conversation holds so far (the tools offered, the tool answers received).
 */
function scriptedModel(conversation) {
	const tools = conversation.tools ?? [];
	const toolNamed = (pattern) => tools.find((tool) => pattern.test(tool.function.description ?? ''))?.function.name;
	const create = toolNamed(/Create a PayLink/);
	const check = toolNamed(/Check whether a PayLink was paid/);
	const answers = conversation.messages.filter((message) => message.role === 'tool').map((message) => message.content);
	const call = (name, args) => ({
		tool_calls: [
			{ id: `call_${answers.length + 1}`, type: 'function', function: { name, arguments: JSON.stringify(args) } },
		],
	});
	const order = { name_surname: 'Ayşe Yılmaz', reference_no: 'SIP-7001' };
	if (!create || !check)
		return { content: `I was not given the Paynet tools (offered: ${tools.map((t) => t.function.name).join(', ')})` };
	if (answers.length === 0) return call(create, { ...order, amount: 'USD 120' });
	if (answers.length === 1) return call(create, { ...order, amount: '1.234,56' });
	if (answers.length === 2) return call(check, { reference_no: 'SIP-7001' });
	const url = /"url":"([^"]+)"/.exec(answers[1])?.[1];
	return {
		content: `PayLink for SIP-7001: ${url}. Payment: ${/not paid/.test(answers[2]) ? 'not paid yet' : answers[2]}`,
	};
}

/** An OpenAI-compatible /v1/chat/completions, streaming or not, answering from scriptedModel. */
function startModelServer(requests) {
	const server = http.createServer((req, res) => {
		let raw = '';
		req.on('data', (chunk) => (raw += chunk));
		req.on('end', () => {
			if (req.method !== 'POST' || !req.url.endsWith('/chat/completions')) {
				res.writeHead(404, { 'Content-Type': 'application/json' });
				return res.end(JSON.stringify({ error: { message: `no ${req.method} ${req.url} here` } }));
			}
			const body = JSON.parse(raw);
			requests.push(body);
			const message = { role: 'assistant', content: null, ...scriptedModel(body) };
			const finish = message.tool_calls ? 'tool_calls' : 'stop';
			const base = { id: `chatcmpl-${requests.length}`, created: Math.floor(Date.now() / 1000), model: body.model };
			const usage = { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 };
			if (!body.stream) {
				res.writeHead(200, { 'Content-Type': 'application/json' });
				return res.end(
					JSON.stringify({
						...base,
						object: 'chat.completion',
						choices: [{ index: 0, message, finish_reason: finish }],
						usage,
					}),
				);
			}
			res.writeHead(200, { 'Content-Type': 'text/event-stream' });
			const delta = message.tool_calls
				? { role: 'assistant', tool_calls: message.tool_calls.map((toolCall, index) => ({ index, ...toolCall })) }
				: { role: 'assistant', content: message.content };
			const chunk = (choice) =>
				`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [choice] })}\n\n`;
			res.write(chunk({ index: 0, delta, finish_reason: null }));
			res.write(chunk({ index: 0, delta: {}, finish_reason: finish }));
			res.end('data: [DONE]\n\n');
		});
	});
	return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

let paynet;
let model;
const modelRequests = [];

beforeAll(async () => {
	paynet = await startPaynetServer({ secretKey: SECRET_KEY });
	model = await startModelServer(modelRequests);

	const importDir = path.join(RUN_DIR, 'import-agent');
	fs.mkdirSync(path.join(importDir, 'workflows'), { recursive: true });
	const [paynetCredential] = JSON.parse(fs.readFileSync(path.join(EXAMPLES, 'credentials.sandbox.json'), 'utf8'));
	paynetCredential.data = {
		...paynetCredential.data,
		secretKey: SECRET_KEY,
		environment: 'custom',
		baseUrl: paynet.url,
	};
	// The credential the example names, as a user would fill it for an OpenAI-compatible provider.
	const modelCredential = {
		id: 'pnOpenAiCompat01',
		name: 'OpenAI-compatible API',
		type: 'openAiApi',
		data: { apiKey: 'sk-scripted-model', url: `http://127.0.0.1:${model.address().port}/v1` },
	};
	fs.writeFileSync(path.join(importDir, 'credentials.json'), JSON.stringify([paynetCredential, modelCredential]));
	fs.copyFileSync(
		path.join(EXAMPLES, 'workflows', 'ai-agent-paylinks.json'),
		path.join(importDir, 'workflows', 'agent.json'),
	);

	await timed('agent: import credentials (CLI)', () =>
		n8n.cli(['import:credentials', `--input=${path.join(importDir, 'credentials.json')}`]),
	);
	await timed('agent: import the agent example (CLI)', () =>
		n8n.cli(['import:workflow', '--separate', `--input=${path.join(importDir, 'workflows')}`]),
	);
}, 180_000);

afterAll(async () => {
	await paynet?.close();
	await new Promise((resolve) => (model ? model.close(resolve) : resolve()));
	n8n.saveTimings(timings);
});

describe(`n8n ${MAJOR}.x: the Paynet node as an AI agent's tool`, () => {
	let run;

	beforeAll(async () => {
		run = await timed('agent: execute the agent example (CLI)', () => n8n.executeWorkflow(WORKFLOW_ID));
	}, 180_000);

	test('the model is offered both Paynet tools, told that a create is a real PayLink in lira', () => {
		const tools = modelRequests[0].tools.map((tool) => tool.function);
		const create = tools.find((tool) => /Create a PayLink/.test(tool.description));
		expect(create.description).toMatch(/real payment page/);
		expect(create.description).toMatch(/Turkish lira/);
		expect(Object.keys(create.parameters.properties).sort()).toEqual(['amount', 'name_surname', 'reference_no']);
		expect(tools.some((tool) => /Check whether a PayLink was paid/.test(tool.description))).toBe(true);
	});

	test('an amount in dollars reaches the model as the tool answer, and the run goes on', () => {
		expect(run.data.resultData.error).toBeUndefined();
		const toolAnswers = modelRequests[1].messages.filter((message) => message.role === 'tool');
		expect(toolAnswers).toHaveLength(1);
		expect(toolAnswers[0].content).toMatch(/another currency \(USD\)/);
	});

	test('Paynet receives one create, in lira, and one payment check for the reference', () => {
		const creates = paynet.requestsTo('/v1/mailorder/create').map((request) => request.body);
		expect(creates).toEqual([{ name_surname: 'Ayşe Yılmaz', amount: 1234.56, reference_no: 'SIP-7001' }]);
		expect(paynet.requestsTo('/v1/transaction/check').map((request) => request.body)).toEqual([
			{ reference_no: 'SIP-7001' },
		]);
	});

	test('a check that finds no payment answers the model in words, not with an empty answer', () => {
		const toolAnswers = modelRequests[3].messages.filter((message) => message.role === 'tool');
		expect(toolAnswers[2].content).toMatch(/no payment for this reference number or transaction yet: not paid/);
	});

	test("the agent's answer carries the new PayLink's URL and that it is not paid yet", () => {
		const [link] = paynet.state.payLinks;
		const [answer] = n8n.nodeOutput(run, 'AI Agent');
		expect(answer.output).toBe(`PayLink for SIP-7001: ${link.url}. Payment: not paid yet`);
	});
});
