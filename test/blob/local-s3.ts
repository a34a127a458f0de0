import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import type { S3BlobStoreDescriptor } from '../../src/blob/descriptor.js';

/**
 * A real S3-protocol server for tests (s3rver, on 127.0.0.1, an OS-chosen free port, its data in a temp
 * directory), with one fresh bucket. `client` talks to it directly, beside the store under test, so a test
 * can check what actually landed in the bucket.
 */
export interface LocalS3 {
  endpoint: string;
  bucket: string;
  /** A descriptor of the bucket (s3rver's fixed credentials); `extra` adds a prefix, a public URL, … */
  descriptor(extra?: Partial<S3BlobStoreDescriptor>): S3BlobStoreDescriptor;
  client: S3Client;
  /** Stops the server and removes its directory (every bucket with it). */
  close(): Promise<void>;
}

/** s3rver checks request signatures against these. */
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export async function startLocalS3(): Promise<LocalS3> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'adsmith-s3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const bucket = `adsmith-test-${randomBytes(6).toString('hex')}`;
  const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: CREDENTIALS });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return {
    endpoint,
    bucket,
    client,
    descriptor: (extra = {}) => ({ kind: 's3', endpoint, region: 'us-east-1', bucket, ...CREDENTIALS, ...extra }),
    close: async () => {
      client.destroy();
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
