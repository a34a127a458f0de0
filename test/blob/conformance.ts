import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBlobStore } from '../../src/blob/descriptor.js';
import type { BlobStore } from '../../src/blob/types.js';

export interface ConformanceOptions {
  /**
   * The content type the store's backend recorded for a key, read around the store (S3: a HeadObject of
   * its own). Stores that keep no content type (fs) leave it out, and that case is not run for them.
   */
  storedContentType?: (key: string) => Promise<string | null>;
}

const UNSAFE_KEYS = ['', '../escape', 'results/../../etc/passwd', '/absolute', 'a//b', 'a/./b', 'a\\b', 'trailing/', '.hidden/../x', 'space here'];

/**
 * The behaviour every BlobStore adapter must have, run against each (test/blob/fs.test.ts, s3.test.ts).
 * `factory` opens a store on fresh, empty storage; it is called once per file.
 */
export function blobConformance(name: string, factory: () => Promise<BlobStore>, options: ConformanceOptions = {}): void {
  describe(`BlobStore conformance: ${name}`, () => {
    let store: BlobStore;
    beforeAll(async () => {
      store = await factory();
    });
    afterAll(() => {
      (store as { destroy?: () => void } | undefined)?.destroy?.();
    });

    it('gives back exactly the bytes it was given, every byte value included', async () => {
      const bytes = new Uint8Array(4096 + 17);
      for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 131 + 7) % 256;
      await store.put('results/job_rt/0.png', bytes, 'image/png');
      const back = await store.get('results/job_rt/0.png');
      expect(back).toBeInstanceOf(Uint8Array);
      expect(Buffer.from(back!).equals(Buffer.from(bytes))).toBe(true);
      // An empty blob is a blob (a moderated-out scene is stored as zero bytes).
      await store.put('results/job_rt/1.png', new Uint8Array(0), 'image/png');
      expect(await store.get('results/job_rt/1.png')).toEqual(new Uint8Array(0));
      expect(await store.exists('results/job_rt/1.png')).toBe(true);
    });

    it('an overwrite replaces the whole blob', async () => {
      await store.put('files/ab/overwrite', new Uint8Array(1000).fill(1), 'application/octet-stream');
      await store.put('files/ab/overwrite', new Uint8Array([9, 8, 7]), 'application/octet-stream');
      expect(await store.get('files/ab/overwrite')).toEqual(new Uint8Array([9, 8, 7]));
    });

    it('a missing key reads as null and does not exist', async () => {
      expect(await store.get('results/job_missing/0.png')).toBeNull();
      expect(await store.exists('results/job_missing/0.png')).toBe(false);
      // A key that is a "directory" of other keys is not itself a blob.
      await store.put('results/job_dir/0.png', new Uint8Array([1]), 'image/png');
      expect(await store.get('results/job_dir')).toBeNull();
      expect(await store.exists('results/job_dir')).toBe(false);
    });

    it('exists follows put and delete; delete is idempotent', async () => {
      const key = 'inputs/job_del/abcdef';
      await store.delete(key); // never written: not an error
      await store.put(key, new Uint8Array([1, 2, 3]), 'image/jpeg');
      expect(await store.exists(key)).toBe(true);
      await store.delete(key);
      expect(await store.exists(key)).toBe(false);
      expect(await store.get(key)).toBeNull();
      await store.delete(key);
      expect(await store.exists(key)).toBe(false);
    });

    it('rejects unsafe keys on every call, before touching storage', async () => {
      for (const key of UNSAFE_KEYS) {
        await expect(store.put(key, new Uint8Array([1]), 'image/png'), `put ${JSON.stringify(key)}`).rejects.toThrow(/unsafe blob key/);
        await expect(store.get(key), `get ${JSON.stringify(key)}`).rejects.toThrow(/unsafe blob key/);
        await expect(store.exists(key), `exists ${JSON.stringify(key)}`).rejects.toThrow(/unsafe blob key/);
        await expect(store.delete(key), `delete ${JSON.stringify(key)}`).rejects.toThrow(/unsafe blob key/);
      }
    });

    it('round-trips a large object (8 MB)', async () => {
      const big = randomBytes(8 * 1024 * 1024);
      await store.put('results/job_big/0.png', big, 'image/png');
      const back = await store.get('results/job_big/0.png');
      expect(back?.byteLength).toBe(big.byteLength);
      expect(Buffer.from(back!).equals(big)).toBe(true);
    });

    it('concurrent puts: distinct keys all land; one key written at once ends as one whole write', async () => {
      const distinct = Array.from({ length: 24 }, (_, i) => ({ key: `results/job_conc/${i}.png`, bytes: randomBytes(2000 + i) }));
      await Promise.all(distinct.map((d) => store.put(d.key, d.bytes, 'image/png')));
      const back = await Promise.all(distinct.map((d) => store.get(d.key)));
      back.forEach((b, i) => expect(Buffer.from(b!).equals(distinct[i]!.bytes), distinct[i]!.key).toBe(true));

      const versions = Array.from({ length: 8 }, () => randomBytes(256 * 1024));
      await Promise.all(versions.map((v) => store.put('results/job_conc/same.png', v, 'image/png')));
      const last = Buffer.from((await store.get('results/job_conc/same.png'))!);
      expect(versions.some((v) => v.equals(last))).toBe(true);
    });

    it('describes itself as plain data from which the same store opens again (what a worker thread does)', async () => {
      await store.put('cutouts/desc/meta.json', new TextEncoder().encode('{"ok":true}'), 'application/json');
      const reopened = await openBlobStore(structuredClone(store.describe()));
      try {
        expect(reopened.describe()).toEqual(store.describe());
        expect(new TextDecoder().decode((await reopened.get('cutouts/desc/meta.json'))!)).toBe('{"ok":true}');
        await reopened.put('cutouts/desc/written-by-other', new Uint8Array([5]), 'application/octet-stream');
        expect(await store.get('cutouts/desc/written-by-other')).toEqual(new Uint8Array([5]));
      } finally {
        (reopened as { destroy?: () => void }).destroy?.();
      }
    });

    if (options.storedContentType) {
      const storedContentType = options.storedContentType;
      it('keeps the content type each blob was put with', async () => {
        await store.put('results/job_ct/0.jpg', new Uint8Array([0xff, 0xd8, 0xff]), 'image/jpeg');
        await store.put('results/job_ct/1.webp', new Uint8Array([0x52, 0x49]), 'image/webp');
        await store.put('cutouts/ct/meta.json', new TextEncoder().encode('{}'), 'application/json');
        expect(await storedContentType('results/job_ct/0.jpg')).toBe('image/jpeg');
        expect(await storedContentType('results/job_ct/1.webp')).toBe('image/webp');
        expect(await storedContentType('cutouts/ct/meta.json')).toBe('application/json');
      });
    }
  });
}
