// Everything a scenario needs. A scenario is a mocha test that opens a workbench on some files
// and uses the Workbench helpers (harness/workbench.mjs); see client/test/e2e/README.md.
export { browser, openWorkbench, startCodeServer, stopCodeServer } from './session.mjs';
export { packageVsix, readManifest } from './extension.mjs';
export { lintWithCli } from './cli.mjs';
export { allFixtures, readFixture, FIXTURES, REPO } from './paths.mjs';
export { waitFor } from './waitFor.mjs';
export { runExtensionTests, transpileSuite } from './extensionTests.mjs';
