#!/usr/bin/env node
// `npm test`'s pretest step: before anything runs, make sure what the tests need outside npm is there.
//
// - Debian's Chromium, which the browser tests drive through playwright-core (playwright-core downloads no
//   browser). Missing, it is installed when that is possible without asking (root on Debian: apt-get install
//   chromium); otherwise the step stops with one line that says what is missing and the command that installs it.
// - The real-photo corpus (test/smart-image/real-photos.test.ts): photographs inside Debian packages, fetched
//   with apt-get download by scripts/fetch-photo-corpus.mjs (nothing installed; a second run does nothing).
// - PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379), which the scale-out adapters' tests use: checked
//   only, with the command that starts them (.ci/run starts them when they are installed but stopped).
// A test never skips for want of these: without this step it would fail instead, later and less clearly.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

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

const corpus = spawnSync(process.execPath, [fileURLToPath(new URL('./fetch-photo-corpus.mjs', import.meta.url))], { stdio: 'inherit' });
if (corpus.status !== 0) stop('the real-photo corpus could not be fetched (see the line above); the smart-image tests need it.');

/** True when something accepts a TCP connection on 127.0.0.1:port within 2 s. */
function listening(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port, timeout: 2000 });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

const services = [
  { name: 'PostgreSQL', port: 5432, start: 'pg_ctlcluster <version> main start (Debian), with trust auth for 127.0.0.1 and a database named test' },
  { name: 'Redis', port: 6379, start: "redis-server --daemonize yes --bind 127.0.0.1 --save ''" },
];
for (const s of services) {
  if (!(await listening(s.port))) stop(`the scale-out tests need ${s.name} on 127.0.0.1:${s.port}, which does not answer: start it (${s.start}), or run .ci/run, which starts it.`);
}
