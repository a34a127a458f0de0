import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicTemplate } from '../../src/assets/index.js';
import { WorkerPool } from '../../src/jobs/pool.js';
import { resultEtag } from '../../src/jobs/results.js';
import { startLocalS3, type LocalS3 } from '../blob/local-s3.js';

/**
 * A render thread is given the blob store as a descriptor and opens the same store: given an S3 one, the
 * real render worker writes its scene into the bucket (not into some local directory), as it does on fs.
 */
let s3: LocalS3;
let pool: WorkerPool;
beforeAll(async () => {
  s3 = await startLocalS3();
  pool = new WorkerPool(new URL('../../src/jobs/render-worker.ts', import.meta.url), 1, {
    allowPrivateUrls: false,
    publicUrl: 'http://127.0.0.1',
    blob: s3.descriptor({ prefix: 'node-a' }),
  });
});
afterAll(async () => {
  await pool?.close();
  await s3?.close();
});

describe('render thread on an S3 blob store', () => {
  it('renders a scene of 1061 and stores it in the bucket itself, answering its key, ETag and size', async () => {
    const template = publicTemplate('1061')!;
    const reply = await pool.run({
      taskId: 1,
      jobId: 'job_s3thread',
      sceneIndex: 2,
      template,
      brand: null,
      elements: [{ layer_type: 'text', content_type: 'Heading #1', content: 'Stored in a bucket' }],
      output: { format: 'png', scale: 1 },
      smartImage: null,
      contentModeration: false,
      files: [],
      storeResult: true,
    });
    if (reply.type !== 'done') throw new Error(`render failed: ${reply.message}`);
    expect(reply.stored?.blobKey).toBe('results/job_s3thread/2.png');
    expect(reply.bytes.byteLength).toBe(0); // the bytes went to S3, not back over the port

    const object = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: 'node-a/results/job_s3thread/2.png' }));
    const bytes = await object.Body!.transformToByteArray();
    expect(object.ContentType).toBe('image/png');
    expect(Buffer.from(bytes.subarray(0, 8)).toString('hex')).toBe('89504e470d0a1a0a');
    expect(bytes.byteLength).toBe(reply.stored!.size);
    expect(resultEtag(bytes)).toBe(reply.stored!.etag);
  });
});
