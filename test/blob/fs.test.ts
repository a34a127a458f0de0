import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { openBlobStore } from '../../src/blob/descriptor.js';
import { blobConformance } from './conformance.js';

/** The embedded default store, opened the way the server and its threads open it: from a descriptor. */
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'adsmith-blob-fs-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

blobConformance('fs', () => openBlobStore({ kind: 'fs', root }));
