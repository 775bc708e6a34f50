#!/usr/bin/env node
'use strict';
// Checks .github/workflows/*.yml where no GitHub runner is at hand: each file
// parses as YAML (the `yaml` package, strict: duplicate keys are errors), has
// the keys GitHub requires, uses only actions pinned to a major version, and
// every `run:` script passes `bash -n`. Prints the run: scripts with
// --print-runs so they can be tried locally.
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
if (problems.length > 0) {
	for (const problem of problems) console.error(`[check-workflows] ${problem}`);
	process.exit(1);
}
console.error(`[check-workflows] ${files.join(', ')}: valid`);
