'use strict';
// n8n-core keeps instance settings in N8N_USER_FOLDER; never touch the real ~/.n8n from tests.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const folder = path.join(os.tmpdir(), 'n8n-nodes-paynet-jest');
fs.mkdirSync(folder, { recursive: true });
process.env.N8N_USER_FOLDER = folder;
process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS = 'false';
process.env.N8N_EXPRESSION_ENGINE = process.env.N8N_EXPRESSION_ENGINE ?? 'legacy';
