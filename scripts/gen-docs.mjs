#!/usr/bin/env node
// Writes docs/rules/*.md from the checks' own documentation (npm run docs). A test fails
// when the committed pages differ from what this would write.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { allDocsPages } = require(path.join(ROOT, 'out', 'server', 'src', 'checks', 'docs.js'));
const dir = path.join(ROOT, 'docs', 'rules');
fs.mkdirSync(dir, { recursive: true });
for (const f of fs.readdirSync(dir)) if (f.endsWith('.md')) fs.rmSync(path.join(dir, f));
for (const [name, text] of allDocsPages()) fs.writeFileSync(path.join(dir, name), text);
console.log(`wrote ${allDocsPages().size} pages to docs/rules/`);
