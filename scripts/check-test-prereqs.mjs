#!/usr/bin/env node
// `npm test`'s pretest step: before anything runs, make sure what the tests need outside npm is there.
//
// Today that is one thing: Debian's Chromium, which test/client/browser.test.ts drives through playwright-core
// (playwright-core downloads no browser). No test needs PostgreSQL or Redis yet (the scale-out adapters do not
// exist), so they are not checked: add them here when a test starts using them.
//
// Missing Chromium is installed when that is possible without asking (root on Debian: apt-get install chromium);
// otherwise the step stops with one line that says what is missing and the command that installs it. A browser
// test never skips: without this step it would fail to launch instead.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';

const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const INSTALL = 'apt-get install chromium';

/** True when the file exists, is executable and answers --version (a broken or foreign binary fails here). */
function runs(binary) {
  try {
    fs.accessSync(binary, fs.constants.X_OK);
    execFileSync(binary, ['--version'], { stdio: 'ignore', timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

/** Debian itself: its `chromium` package is a real browser (Ubuntu's is a snap stub that cannot run in containers). */
function isDebian() {
  try {
    return /^ID=("?)debian\1$/m.test(fs.readFileSync('/etc/os-release', 'utf8'));
  } catch {
    return false;
  }
}

function stop(line) {
  console.error(`pretest: ${line}`);
  process.exit(1);
}

if (!runs(chromium)) {
  if (process.env.CHROMIUM_PATH) stop(`CHROMIUM_PATH=${chromium} is not a Chromium that runs; point it at one, or unset it and run \`${INSTALL}\` as root.`);
  if (isDebian() && process.getuid?.() === 0) {
    console.log(`pretest: Chromium (for the browser tests) is missing at ${chromium}; installing it: apt-get update && ${INSTALL}`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    for (const args of [['update', '-qq'], ['install', '-y', '-qq', 'chromium']]) {
      const r = spawnSync('apt-get', args, { stdio: 'inherit', env });
      if (r.status !== 0) stop(`\`apt-get ${args.join(' ')}\` failed (exit ${r.status ?? r.signal}); install Chromium with \`${INSTALL}\` and run npm test again.`);
    }
    if (!runs(chromium)) stop(`${INSTALL} finished but ${chromium} does not run; the browser tests need it.`);
  } else {
    stop(`the browser tests need Chromium at ${chromium}, which is missing: install it with \`sudo ${INSTALL}\` (Debian), or set CHROMIUM_PATH to a Chromium binary.`);
  }
}
