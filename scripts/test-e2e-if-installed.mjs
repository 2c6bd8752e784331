#!/usr/bin/env node
// Part of `npm test`: runs the end-to-end suite in a real VS Code (code-server + chromium)
// when scripts/setup-e2e.sh has installed it (CI does), and otherwise says in one line why
// it is skipped and how to run it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tools = process.env.IPTABLES_LINT_E2E_DIR || path.join(ROOT, '.e2e');
if (!fs.existsSync(path.join(tools, 'setup.stamp'))) {
  console.log(`test:e2e: SKIPPED: code-server and chromium are not installed in ${path.relative(ROOT, tools) || tools} (run \`npm run setup:e2e\`, as CI does, then \`npm run test:e2e\`)`);
  process.exit(0);
}
const run = spawnSync('npx', ['mocha', '--config', 'client/test/e2e/.mocharc.json'], { cwd: ROOT, stdio: 'inherit' });
process.exit(run.status ?? 1);
