import net from 'node:net';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBlobStore } from '../../src/blob/descriptor.js';
import { S3BlobStore } from '../../src/blob/s3.js';
import { freePort } from '../../src/cli/batch/embedded.js';
import { blobConformance } from './conformance.js';
import { startLocalS3, type LocalS3 } from './local-s3.js';

/** The S3 adapter against a real S3-protocol server (s3rver on loopback), one fresh bucket for this file. */
let s3: LocalS3;
beforeAll(async () => {
  s3 = await startLocalS3();
});
afterAll(async () => {
  await s3?.close();
});

// Under a prefix, so that the prefix is exercised on every call; the content type is read around the store.
const PREFIX = 'deploy-a';
blobConformance('s3', () => openBlobStore(s3.descriptor({ prefix: PREFIX })), {
  storedContentType: async (key) => (await s3.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: `${PREFIX}/${key}` }))).ContentType ?? null,
});

describe('S3BlobStore', () => {
  const SECRET = 'S3RVER';

  it('stores each key under the prefix, in the configured bucket', async () => {
    const store = new S3BlobStore(s3.descriptor({ prefix: '/tenant-b/' }));
    try {
      await store.put('results/job_p/0.png', new Uint8Array([1, 2, 3]), 'image/png');
      const res = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: 'tenant-b/results/job_p/0.png' }));
      expect(await res.Body!.transformToByteArray()).toEqual(new Uint8Array([1, 2, 3]));
      expect(store.describe()).toMatchObject({ kind: 's3', bucket: s3.bucket, prefix: '/tenant-b/' });
    } finally {
      store.destroy();
    }
  });

  it('refuses a descriptor it cannot use, saying what to fix', () => {
    expect(() => new S3BlobStore({ ...s3.descriptor(), bucket: '' })).toThrow(/bucket is required \(ADSMITH_S3_BUCKET\)/);
    expect(() => new S3BlobStore({ ...s3.descriptor(), region: '' })).toThrow(/region is required/);
    expect(() => new S3BlobStore({ ...s3.descriptor(), secretAccessKey: undefined })).toThrow(/both the access key id and the secret access key, or neither/);
    expect(() => new S3BlobStore(s3.descriptor({ prefix: 'a/../b' }))).toThrow(/prefix "a\/..\/b" is not a safe key path/);
  });

  it('check() passes for the bucket and names a missing one', async () => {
    const ok = new S3BlobStore(s3.descriptor());
    const missing = new S3BlobStore(s3.descriptor({ bucket: 'adsmith-no-such-bucket' }));
    try {
      await ok.check();
      await expect(missing.check()).rejects.toThrow(`S3 bucket "adsmith-no-such-bucket" does not exist at ${s3.endpoint}`);
      // Reads in a missing bucket are errors, not absent blobs.
      await expect(missing.get('results/x/0.png')).rejects.toThrow(/S3 GetObject of "results\/x\/0.png" in bucket "adsmith-no-such-bucket" .*NoSuchBucket/);
    } finally {
      ok.destroy();
      missing.destroy();
    }
  });

  it('a closed port fails within its timeouts, naming S3, the operation and the bucket, never the secret', async () => {
    const port = await freePort(); // free, and nobody listens on it
    const store = new S3BlobStore(s3.descriptor({ endpoint: `http://127.0.0.1:${port}`, bucket: 'adsmith-closed-port' }), { maxAttempts: 2, connectionTimeoutMs: 1_000, requestTimeoutMs: 2_000 });
    try {
      const t0 = performance.now();
      const err = (await store.put('results/job_c/0.png', new Uint8Array([1]), 'image/png').catch((e: unknown) => e)) as Error;
      const ms = performance.now() - t0;
      expect(err).toBeInstanceOf(Error);
      expect(err.message).toMatch(new RegExp(`^S3 PutObject of "results/job_c/0.png" in bucket "adsmith-closed-port" at http://127.0.0.1:${port} failed after 2 attempts: .*ECONNREFUSED`));
      expect(err.message).not.toContain(SECRET);
      // Two attempts, each bounded by the connection timeout, plus the SDK's backoff between them.
      expect(ms).toBeLessThan(2 * 1_000 + 2_000);
      await expect(store.check()).rejects.toThrow(/^S3 HeadBucket in bucket "adsmith-closed-port" at http:\/\/127\.0\.0\.1:\d+ failed after 2 attempts: .*ECONNREFUSED/);
    } finally {
      store.destroy();
    }
  });

  it('a server that accepts and never answers fails within the request timeout', async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((s) => sockets.add(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as net.AddressInfo).port;
    const store = new S3BlobStore(s3.descriptor({ endpoint: `http://127.0.0.1:${port}`, bucket: 'adsmith-silent' }), { maxAttempts: 2, connectionTimeoutMs: 1_000, requestTimeoutMs: 400 });
    try {
      const t0 = performance.now();
      const err = (await store.get('results/job_s/0.png').catch((e: unknown) => e)) as Error;
      const ms = performance.now() - t0;
      expect(err.message).toMatch(/^S3 GetObject of "results\/job_s\/0.png" in bucket "adsmith-silent" at http:\/\/127\.0\.0\.1:\d+ failed after 2 attempts: .*/);
      expect(err.message).not.toContain(SECRET);
      expect(ms).toBeGreaterThanOrEqual(2 * 400 - 50);
      expect(ms).toBeLessThan(2 * 400 + 2_000);
    } finally {
      store.destroy();
      for (const s of sockets) s.destroy();
      await new Promise((r) => silent.close(r));
    }
  });
});
