// Debian's chromium, driven by playwright-core from .e2e/node_modules (installed by
// scripts/setup-e2e.sh, deliberately not a dependency of the project).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { CHROMIUM, E2E_TOOLS } from './paths.mjs';
import { trackTempDir, untrackTempDir } from './cleanup.mjs';

const CHROMIUM_ARGS = [
  '--no-sandbox', // root in a container
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--no-first-run',
  // nothing but 127.0.0.1: no background requests to Google services, and no name resolves
  // (a request the workbench makes to the internet fails at once, without a DNS query)
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

function loadPlaywright() {
  return createRequire(path.join(E2E_TOOLS, 'package.json'))('playwright-core');
}

/**
 * Launches chromium with its own HOME, TMPDIR and XDG dirs (it writes ~/.config/chromium and
 * ~/.cache/dconf otherwise). Playwright starts it as a process group leader and kills that group when this
 * process exits, whatever the reason.
 */
export async function launchBrowser() {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'iptables-lint-e2e-chromium-'));
  trackTempDir(home);
  const tmp = path.join(home, 'tmp'); // chromium leaves org.chromium.Chromium.* dirs in TMPDIR
  fs.mkdirSync(tmp);
  const env = { ...process.env, HOME: home, TMPDIR: tmp, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_CACHE_HOME: path.join(home, '.cache') };
  const browser = await loadPlaywright().chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, env });
  return {
    browser,
    async close() {
      await browser.close().catch(() => {});
      fs.rmSync(home, { recursive: true, force: true });
      untrackTempDir(home);
    },
  };
}
