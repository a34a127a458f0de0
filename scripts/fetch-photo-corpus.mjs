#!/usr/bin/env node
// Fetch the real-photo corpus (test/fixtures/photo-corpus.json) into .cache/photo-corpus/ (or $ADSMITH_PHOTO_CORPUS_DIR).
//
// The photographs ship inside Debian packages (scikit-image's and matplotlib's sample data, OpenCV's sample
// images). Nothing is installed: each package's .deb is fetched with `apt-get download` into the cache and only
// the listed files are pulled out of it (dpkg-deb --fsys-tarfile | tar), checked against their sha256, and the
// .deb is deleted. Idempotent: a photo already there with the right hash is not fetched again, so a second run
// does no network work. Exit 1 with one line naming what failed and what to do.
//
// Run: node scripts/fetch-photo-corpus.mjs
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'test/fixtures/photo-corpus.json'), 'utf8'));
const dir = path.resolve(process.env.ADSMITH_PHOTO_CORPUS_DIR || path.join(root, '.cache/photo-corpus'));
const isRoot = process.getuid?.() === 0;

function stop(line) {
  console.error(`fetch-photo-corpus: ${line}`);
  process.exit(1);
}

function sha256(file) {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

const present = (p) => fs.existsSync(path.join(dir, p.file)) && sha256(path.join(dir, p.file)) === p.sha256;
const missing = manifest.photos.filter((p) => !present(p));
if (missing.length === 0) {
  console.log(`fetch-photo-corpus: all ${manifest.photos.length} photos present in ${dir}`);
  process.exit(0);
}

fs.mkdirSync(dir, { recursive: true });
const work = fs.mkdtempSync(path.join(dir, '.download-'));
// As root, apt runs the download as its sandbox user `_apt`, which cannot write into a folder root made:
// it then warns and downloads unsandboxed. Say so up front instead (the download is the same).
const aptOptions = isRoot ? ['-o', 'APT::Sandbox::User=root'] : [];

/** `apt-get download pkg=version` (the version the hashes were taken from), else the current candidate. */
function download(pkg) {
  const version = manifest.packages[pkg];
  for (const spec of version ? [`${pkg}=${version}`, pkg] : [pkg]) {
    const r = spawnSync('apt-get', [...aptOptions, 'download', '-q', spec], { cwd: work, encoding: 'utf8' });
    if (r.status === 0) return fs.readdirSync(work).find((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb'));
    if (spec === pkg) return { error: (r.stderr || r.stdout || `exit ${r.status}`).trim().split('\n').pop() };
  }
  return undefined;
}

try {
  const byPackage = new Map();
  for (const p of missing) byPackage.set(p.package, [...(byPackage.get(p.package) ?? []), p]);
  let updated = false;
  for (const [pkg, photos] of byPackage) {
    let deb = download(pkg);
    if (typeof deb !== 'string' && isRoot && !updated) {
      // A fresh machine may have no package lists yet: `apt-get download` needs them.
      console.log('fetch-photo-corpus: refreshing the package lists (apt-get update)');
      execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
      updated = true;
      deb = download(pkg);
    }
    if (typeof deb !== 'string')
      stop(`apt-get download ${pkg} failed (${deb?.error ?? 'no .deb written'}); run \`apt-get update\` (as root) and try again.`);
    console.log(`fetch-photo-corpus: ${deb}: extracting ${photos.length} photo(s)`);
    const members = photos.map((p) => `.${p.path}`);
    execFileSync('bash', ['-o', 'pipefail', '-c', 'dpkg-deb --fsys-tarfile "$1" | tar -x -C "$2" "${@:3}"', 'bash', path.join(work, deb), work, ...members], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    for (const p of photos) {
      const got = path.join(work, `.${p.path}`);
      const hash = sha256(got);
      if (hash !== p.sha256) stop(`${p.file} from ${deb} has sha256 ${hash}, the manifest says ${p.sha256}: the package changed; check the photo and update test/fixtures/photo-corpus.json.`);
      fs.copyFileSync(got, path.join(dir, p.file));
    }
    fs.rmSync(path.join(work, deb));
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
console.log(`fetch-photo-corpus: ${missing.length} photo(s) fetched; all ${manifest.photos.length} present in ${dir}`);
