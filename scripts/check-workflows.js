#!/usr/bin/env node
'use strict';
// Checks two kinds of workflow files.
// .github/workflows/*.yml, where no GitHub runner is at hand: each file
// parses as YAML (the `yaml` package, strict: duplicate keys are errors), has
// the keys GitHub requires, uses only actions pinned to a major version, and
// every `run:` script passes `bash -n`. Prints the run: scripts with
// --print-runs so they can be tried locally.
// examples/workflows/*.json, the n8n examples users import: see
// checkExamples below.
//   node scripts/check-workflows.js [--print-runs]
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');

const dir = path.join(__dirname, '..', '.github', 'workflows');
const problems = [];
const files = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
if (files.length === 0) problems.push('no workflow files');
for (const file of files) {
	const text = fs.readFileSync(path.join(dir, file), 'utf8');
	const doc = YAML.parseDocument(text, { uniqueKeys: true, strict: true });
	for (const error of doc.errors) problems.push(`${file}: ${error.message}`);
	const workflow = doc.toJS();
	if (!workflow?.on) problems.push(`${file}: no "on"`);
	if (!workflow?.jobs || Object.keys(workflow.jobs).length === 0) problems.push(`${file}: no jobs`);
	for (const [id, job] of Object.entries(workflow?.jobs ?? {})) {
		if (!job['runs-on']) problems.push(`${file}: job ${id} has no runs-on`);
		if (!Array.isArray(job.steps) || job.steps.length === 0) problems.push(`${file}: job ${id} has no steps`);
		for (const [i, step] of (job.steps ?? []).entries()) {
			const where = `${file}: ${id} step ${i + 1} (${step.name ?? step.uses ?? 'unnamed'})`;
			if (!step.uses === !step.run) problems.push(`${where}: needs exactly one of uses / run`);
			if (step.uses && !/^[\w.-]+\/[\w.-]+@v\d+$/.test(step.uses))
				problems.push(`${where}: ${step.uses} is not owner/name@vN`);
			if (step.run) {
				try {
					execFileSync('bash', ['-n', '-c', step.run], { stdio: 'pipe' });
				} catch (error) {
					problems.push(`${where}: bash -n: ${String(error.stderr).trim()}`);
				}
				if (process.argv.includes('--print-runs')) console.log(`# ${where}\n${step.run.trimEnd()}\n`);
			}
		}
	}
}
const examples = checkExamples(path.join(__dirname, '..', 'examples'), problems);
checkTwoCommands(path.join(__dirname, '..'), problems);

if (problems.length > 0) {
	for (const problem of problems) console.error(`[check-workflows] ${problem}`);
	process.exit(1);
}
console.error(`[check-workflows] ${[...files, ...examples].join(', ')}: valid`);

/**
 * The README's two commands are what the scripts run: the code block that
 * holds `npm start` (package.json's start script, the quick start) also holds
 * exactly the command CI runs in .ci/run. It is the README's only block with
 * `npm start`, so the npm page cannot show two different set-up commands.
 */
function checkTwoCommands(root, problems) {
	const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
	const startsWith = (block, command) =>
		block.split('\n').some((line) => line.startsWith(`${command} `) || line === command);
	const blocks = [...readme.matchAll(/```(?:sh|bash|console)?\n([\s\S]*?)```/g)].map((match) => match[1]);
	const startBlocks = blocks.filter((block) => startsWith(block, 'npm start'));
	const ciCommand = fs
		.readFileSync(path.join(root, '.ci', 'run'), 'utf8')
		.split('\n')
		.filter((line) => line.trim() && !line.startsWith('#') && !/^(set|cd) /.test(line))
		.pop();
	if (startBlocks.length !== 1)
		problems.push(`README.md: ${startBlocks.length} code blocks start a line with \`npm start\`; it needs exactly one`);
	else if (!startsWith(startBlocks[0], ciCommand))
		problems.push(`README.md: the \`npm start\` code block does not hold .ci/run's command \`${ciCommand}\``);
	const { scripts } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
	if (scripts.start !== 'scripts/quickstart.sh') problems.push('package.json: npm start is not scripts/quickstart.sh');
}

/**
 * What `n8n import:workflow` and the editor need to load an example, and what
 * our scripts rely on to point it at a user's n8n: a workflow id n8n accepts
 * (at most 16 characters) and unique across the examples; nodes with unique
 * ids and names, a type, a version, a position; connections between nodes
 * that exist, of known kinds; our nodes under the community package's type
 * names (never CUSTOM.*), with resources and operations the built node offers;
 * Paynet credentials that examples/credentials.sandbox.json provides; webhook
 * ids unique; Confirmation URLs on localhost:5678 and files under
 * /home/node/.n8n-files/, which `npm start` and the e2e suite rewrite.
 */
function checkExamples(dir, problems) {
	const PACKAGE = 'n8n-nodes-paynet';
	const OUR_TYPES = ['paynet', 'paynetTool', 'paynetTrigger', 'paynetPollingTrigger'].map((n) => `${PACKAGE}.${n}`);
	const CONNECTION_TYPES = new Set(['main', 'ai_languageModel', 'ai_tool', 'ai_memory', 'ai_outputParser']);
	const sandbox = JSON.parse(fs.readFileSync(path.join(dir, 'credentials.sandbox.json'), 'utf8'));
	const sandboxCredentials = new Map(sandbox.map((credential) => [credential.id, credential]));
	// Which resources and operations the built node offers (skipped before the first build).
	const built = path.join(__dirname, '..', 'dist', 'nodes', 'Paynet', 'Paynet.node.js');
	const offered = new Set();
	if (fs.existsSync(built)) {
		const { Paynet } = require(built);
		for (const property of new Paynet().description.properties) {
			if (property.name !== 'operation') continue;
			for (const resource of property.displayOptions.show.resource)
				for (const option of property.options) offered.add(`${resource}.${option.value}`);
		}
	}
	const workflowIds = new Set();
	const webhookIds = new Set();
	const names = fs.readdirSync(path.join(dir, 'workflows')).filter((name) => name.endsWith('.json'));
	if (names.length === 0) problems.push('examples/workflows: no examples');
	for (const name of names) {
		const where = `examples/workflows/${name}`;
		let workflow;
		try {
			workflow = JSON.parse(fs.readFileSync(path.join(dir, 'workflows', name), 'utf8'));
		} catch (error) {
			problems.push(`${where}: not JSON: ${error.message}`);
			continue;
		}
		if (typeof workflow.id !== 'string' || workflow.id.length === 0 || workflow.id.length > 16)
			problems.push(`${where}: id must be a string of 1 to 16 characters (n8n refuses others)`);
		if (workflowIds.has(workflow.id)) problems.push(`${where}: id ${workflow.id} is used by another example`);
		workflowIds.add(workflow.id);
		if (!workflow.name) problems.push(`${where}: no name`);
		if (workflow.active !== false) problems.push(`${where}: must be imported inactive ("active": false)`);
		if (!Array.isArray(workflow.nodes) || workflow.nodes.length === 0) {
			problems.push(`${where}: no nodes`);
			continue;
		}
		const nodes = new Map();
		const nodeIds = new Set();
		for (const node of workflow.nodes) {
			const at = `${where}: node "${node.name}"`;
			if (!node.name || nodes.has(node.name)) problems.push(`${at}: missing or repeated name`);
			if (!node.id || nodeIds.has(node.id)) problems.push(`${at}: missing or repeated id`);
			nodes.set(node.name, node);
			nodeIds.add(node.id);
			if (typeof node.type !== 'string' || !/^[@\w/.-]+\.\w+$/.test(node.type))
				problems.push(`${at}: bad type ${node.type}`);
			if (typeof node.typeVersion !== 'number') problems.push(`${at}: no typeVersion`);
			if (!Array.isArray(node.position) || node.position.length !== 2) problems.push(`${at}: no position`);
			if (typeof node.parameters !== 'object' || node.parameters === null) problems.push(`${at}: no parameters`);
			if (/^CUSTOM\./.test(node.type) || (/paynet/i.test(node.type) && !OUR_TYPES.includes(node.type)))
				problems.push(`${at}: ${node.type} is not one of ${OUR_TYPES.join(', ')}`);
			if (node.webhookId) {
				if (webhookIds.has(node.webhookId)) problems.push(`${at}: webhookId ${node.webhookId} is used twice`);
				webhookIds.add(node.webhookId);
			}
			const paynetCredential = node.credentials?.paynetApi;
			if (paynetCredential && sandboxCredentials.get(paynetCredential.id)?.name !== paynetCredential.name)
				problems.push(`${at}: credential ${paynetCredential.id} is not in examples/credentials.sandbox.json`);
			if (OUR_TYPES.slice(0, 2).includes(node.type)) {
				if (!paynetCredential) problems.push(`${at}: no Paynet credential`);
				const operation = `${node.parameters.resource}.${node.parameters.operation}`;
				if (offered.size > 0 && !offered.has(operation)) problems.push(`${at}: the node has no operation ${operation}`);
			}
			const text = JSON.stringify(node.parameters);
			for (const url of text.match(/https?:\/\/localhost:\d+/g) ?? [])
				if (url !== 'http://localhost:5678') problems.push(`${at}: ${url}: examples use http://localhost:5678`);
			if (
				node.type === 'n8n-nodes-base.readWriteFile' &&
				!String(node.parameters.fileSelector).startsWith('/home/node/.n8n-files/')
			)
				problems.push(
					`${at}: files are read from /home/node/.n8n-files/ (npm start and the e2e suite rewrite that path)`,
				);
		}
		for (const [source, outputs] of Object.entries(workflow.connections ?? {})) {
			if (!nodes.has(source)) problems.push(`${where}: connection from unknown node "${source}"`);
			for (const [type, branches] of Object.entries(outputs)) {
				if (!CONNECTION_TYPES.has(type)) problems.push(`${where}: "${source}" has connections of unknown type ${type}`);
				for (const target of branches.flat())
					if (!nodes.has(target.node)) problems.push(`${where}: "${source}" connects to unknown node "${target.node}"`);
			}
		}
	}
	return names.map((name) => `examples/workflows/${name}`);
}
