// Code actions: (a) the lightbulb on a misspelt target offers the fix, the suppressions and the
// documentation, and the fix chosen changes the file; "Show documentation" opens the check's
// page shipped in the extension; (b) with "editor.codeActionsOnSave" set for
// source.fixAll.iptables, saving fixes the file on disk; the palette command does the same.
import assert from 'node:assert/strict';
import { openWorkbench, waitFor } from '../harness/index.mjs';
import { languageStatus } from '../harness/editorActions.mjs';
import { editorLines, goToLineColumn } from '../harness/navigationActions.mjs';
import { openCodeActionMenu, pickCodeAction, saveActiveEditor, tabTitles, waitForFileOnDisk, waitForLightbulb } from '../harness/codeActions.mjs';

const RULES = [
  '*filter', //                               line 1
  ':INPUT DROP [0:0]', //                     line 2
  ':FORWARD DROP [0:0]', //                   line 3
  ':OUTPUT ACCEPT [0:0]', //                  line 4
  '-A INPUT -i lo -j ACCEPT', //              line 5
  '-A INPUT -p tcp --dport 22 -j ACCEPT', //  line 6
  '-A INPUT -p tcp --dport 23 -j DROPP', //   line 7: the misspelt target (columns 31-35)
  'COMMIT',
  '',
].join('\n');

const FIXED = RULES.replace('DROPP', 'DROP');

/**
 * Inlay hints and code lenses are drawn inside and between the lines these tests read: off.
 * The browser's VS Code saves by itself after a second (autoSave "afterDelay", where the
 * desktop's default is "off"); an automatic save does not run "explicit" code actions on save.
 */
const QUIET = { 'iptablesLint.inlayHints.ruleNumbers': false, 'iptablesLint.inlayHints.counters': false, 'iptablesLint.codeLens': false, 'files.autoSave': 'off' };

describe('Code actions', function () {
  it('the lightbulb on a misspelt target offers the fix, and choosing it changes the file', async function () {
    const workbench = await openWorkbench({ 'rules.v4': RULES, '.vscode/settings.json': JSON.stringify(QUIET) });
    await workbench.openFile('rules.v4');
    await languageStatus(workbench, 'analysed at'); // the server has read the file
    await goToLineColumn(workbench, 7, 33); // inside DROPP
    // A preferred fix exists: VS Code draws the "autofix" lightbulb.
    assert.match(await waitForLightbulb(workbench), /auto-?fix/);
    const titles = await openCodeActionMenu(workbench, 'Show documentation for IPT104');
    const fix = titles.find((t) => /DROP\b/.test(t));
    assert.ok(fix, `no fix to DROP in ${titles.join(' | ')}`);
    for (const title of ['Disable IPT104 for this line', 'Disable IPT104 for this file']) assert.ok(titles.includes(title), `${title} in ${titles.join(' | ')}`);
    assert.ok(titles.indexOf(fix) < titles.indexOf('Disable IPT104 for this line'), 'the fix comes first');

    await pickCodeAction(workbench, fix);
    const lines = await waitFor('the fixed line in the editor', () => editorLines(workbench), (shown) => shown.includes('-A INPUT -p tcp --dport 23 -j DROP'));
    assert.deepEqual(lines.slice(0, 8), FIXED.split('\n').slice(0, 8), 'only the target changed');
    await saveActiveEditor(workbench);
    assert.equal(await waitForFileOnDisk(workbench, 'rules.v4', (text) => text !== RULES), FIXED);
  });

  it('"Show documentation for IPT104" opens the page shipped with the extension in the Markdown preview', async function () {
    const workbench = await openWorkbench({ 'rules.v4': RULES, '.vscode/settings.json': JSON.stringify(QUIET) });
    await workbench.openFile('rules.v4');
    await languageStatus(workbench, 'analysed at');
    await goToLineColumn(workbench, 7, 33);
    await waitForLightbulb(workbench);
    await openCodeActionMenu(workbench, 'Show documentation for IPT104');
    await pickCodeAction(workbench, 'Show documentation for IPT104');
    await waitFor('a Markdown preview tab of IPT104.md', () => tabTitles(workbench), (titles) => titles.some((t) => /IPT104\.md/.test(t)));
    // The preview renders the page in a webview: its heading is the check's code and name.
    const frame = workbench.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    const heading = await waitFor('the page heading in the preview', () => frame.locator('h1').first().innerText({ timeout: 3000 }), (text) => /IPT104/.test(text));
    assert.match(heading, /IPT104 unknown-target/);
  });

  it('with codeActionsOnSave for source.fixAll.iptables, saving fixes the file on disk', async function () {
    const stale = RULES.replace('-A INPUT -i lo', '# iptables-lint disable-next-line=IPT101\n-A INPUT -i lo');
    const settings = { ...QUIET, 'editor.codeActionsOnSave': { 'source.fixAll.iptables': 'explicit' } };
    const workbench = await openWorkbench({ 'rules.v4': stale.replace('DROPP', 'DROP'), '.vscode/settings.json': JSON.stringify(settings) });
    await workbench.openFile('rules.v4');
    await languageStatus(workbench, 'analysed at');
    // Type the mistake: a P after DROP on line 8 (the directive moved it down one line).
    await goToLineColumn(workbench, 8, 35);
    await workbench.page.keyboard.type('P');
    await waitFor('the typed mistake', () => editorLines(workbench), (shown) => shown.includes('-A INPUT -p tcp --dport 23 -j DROPP'));
    await workbench.page.keyboard.press('Escape'); // the completion list typing opened
    await saveActiveEditor(workbench);
    // Fixed: the target, and the suppression comment that suppresses nothing is gone. (Other
    // checks' safe fixes may add rules too: only ours are checked.)
    const saved = await waitForFileOnDisk(workbench, 'rules.v4', (text) => !text.includes('iptables-lint'));
    assertFixed(saved);
    assert.deepEqual(await editorLines(workbench), saved.split('\n'), 'the editor shows what was saved');
  });

  it('"iptables-lint: Fix all auto-fixable problems" from the command palette fixes the file', async function () {
    const workbench = await openWorkbench({ 'rules.v4': RULES, '.vscode/settings.json': JSON.stringify(QUIET) });
    await workbench.openFile('rules.v4');
    await languageStatus(workbench, 'analysed at');
    await workbench.runCommand('iptables-lint: Fix all auto-fixable problems');
    const lines = await waitFor('the fixed line in the editor', () => editorLines(workbench), (shown) => shown.includes('-A INPUT -p tcp --dport 23 -j DROP'));
    assertFixed(lines.join('\n'));
  });
});

/** The text has the target fixed and no suppression comment, and every other line of RULES in order. */
function assertFixed(text) {
  const lines = text.split('\n');
  assert.ok(!text.includes('DROPP') && !text.includes('iptables-lint'), text);
  const kept = lines.filter((l) => FIXED.split('\n').includes(l));
  assert.deepEqual(kept.filter((l) => l !== ''), FIXED.split('\n').filter((l) => l !== ''), text);
}
