'use strict';
// Continue On Fail is read in Paynet.execute() and handed to the operation
// (n8n's lint rule require-continue-on-fail looks for the call there; its
// scanner ignores eslint-disable comments).
const fs = require('node:fs');
const path = require('node:path');
const { ExecuteContext } = require('n8n-core');
const { usePaynetServer, runPaynet } = require('./harness/paynetTest');

const NODES = path.join(__dirname, '..', 'nodes', 'Paynet');
const paynet = usePaynetServer();

function sourceFiles(dir) {
	return fs
		.readdirSync(dir, { withFileTypes: true })
		.flatMap((entry) => (entry.isDirectory() ? sourceFiles(path.join(dir, entry.name)) : [path.join(dir, entry.name)]))
		.filter((file) => file.endsWith('.ts'));
}

test('Paynet.execute() calls this.continueOnFail(), and no operation asks n8n for it again', () => {
	const node = fs.readFileSync(path.join(NODES, 'Paynet.node.ts'), 'utf8');
	const execute = node.slice(node.indexOf('async execute(this: IExecuteFunctions)'));
	expect(execute).toMatch(/this\.continueOnFail\(\)/);
	const elsewhere = sourceFiles(NODES)
		.filter((file) => !file.endsWith('Paynet.node.ts'))
		.filter((file) => /\.continueOnFail\(\)/.test(fs.readFileSync(file, 'utf8')));
	expect(elsewhere).toEqual([]);
});

describe('Continue On Fail in a run', () => {
	let spy;
	beforeEach(() => (spy = jest.spyOn(ExecuteContext.prototype, 'continueOnFail')));
	afterEach(() => spy.mockRestore());

	test('read once per run, however many items, and a failed item becomes an error item', async () => {
		const [link] = paynet.seedPayLinks(1, { from: '2024-03-05' });
		const { items, error } = await runPaynet(paynet, {
			parameters: { resource: 'payLink', operation: 'get', payLinkId: '={{ $json.id }}' },
			items: [{ id: link.id }, { id: ' ' }, { id: link.id }],
			nodeSettings: { onError: 'continueRegularOutput' },
		});
		expect(error).toBeUndefined();
		expect(spy).toHaveBeenCalledTimes(1);
		expect(items.map((item) => item.json.error ?? item.json.id)).toEqual([
			link.id,
			'Item 1: PayLink ID (payLinkId) is required',
			link.id,
		]);
	});

	test('off: the first failure stops the node', async () => {
		const { error } = await runPaynet(paynet, {
			parameters: { resource: 'payment', operation: 'list', startDate: '2024-03-05', endDate: '2024-03-01' },
		});
		expect(spy).toHaveBeenCalledTimes(1);
		expect(error.message).toMatch(/^Item 0: End Date \(endDate\)/);
	});
});
