import { DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { s3ObjectKey, type S3BlobStoreDescriptor } from './descriptor.js';
import type { BlobStore } from './types.js';

/** How long an S3 call may take and how often a transient failure is tried again. */
export interface S3StoreTimeouts {
  /** Attempts per call, the first included (the SDK's standard strategy: exponential backoff with jitter). */
  maxAttempts?: number;
  /** To establish the TCP (and TLS) connection, per attempt. */
  connectionTimeoutMs?: number;
  /** For a whole request and its response, per attempt: an 8 MB scene on a slow link must fit. */
  requestTimeoutMs?: number;
}

const DEFAULTS: Required<S3StoreTimeouts> = { maxAttempts: 3, connectionTimeoutMs: 3_000, requestTimeoutMs: 30_000 };

type SdkError = Error & { code?: string; $metadata?: { httpStatusCode?: number; attempts?: number } };

/** Thrown by every S3 call that fails: names S3, the operation, the bucket and where; never a credential. */
export class S3StoreError extends Error {
  override readonly name = 'S3StoreError';
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message);
  }
}

/**
 * Blobs as objects of one S3-compatible bucket, each key under an optional prefix. PutObject is atomic, so
 * unlike the fs store a reader never sees half an object and a killed writer leaves nothing behind.
 */
export class S3BlobStore implements BlobStore {
  private readonly client: S3Client;
  private readonly where: string;

  constructor(
    private readonly desc: S3BlobStoreDescriptor,
    timeouts: S3StoreTimeouts = {},
  ) {
    if (!desc.bucket) throw new Error('S3 blob store: the bucket is required (ADSMITH_S3_BUCKET)');
    if (!desc.region) throw new Error('S3 blob store: the region is required (ADSMITH_S3_REGION; any value, such as us-east-1, for most S3-compatible servers)');
    if (!desc.accessKeyId !== !desc.secretAccessKey) throw new Error('S3 blob store: give both the access key id and the secret access key, or neither (to use the AWS default credential chain)');
    s3ObjectKey(desc, 'probe'); // an unsafe prefix fails here, at start-up, not on the first write
    this.where = desc.endpoint ? `at ${desc.endpoint}` : `in AWS region ${desc.region}`;
    const t = { ...DEFAULTS, ...timeouts };
    this.client = new S3Client({
      region: desc.region,
      ...(desc.endpoint ? { endpoint: desc.endpoint } : {}),
      forcePathStyle: desc.forcePathStyle ?? desc.endpoint !== undefined,
      ...(desc.accessKeyId && desc.secretAccessKey ? { credentials: { accessKeyId: desc.accessKeyId, secretAccessKey: desc.secretAccessKey } } : {}),
      retryMode: 'standard',
      maxAttempts: t.maxAttempts,
      // NodeHttpHandler options: without them a black-holed endpoint hangs a scene for the OS's TCP timeout.
      requestHandler: { connectionTimeout: t.connectionTimeoutMs, requestTimeout: t.requestTimeoutMs, throwOnRequestTimeout: true },
      // Since early 2025 the SDK adds CRC32 checksums to every upload and validates them on downloads. Several
      // S3-compatible servers reject or mangle those headers, so checksums are sent and checked only where
      // an operation requires them. (s3rver 3.7.1 happened to accept the defaults for byte bodies.)
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  describe(): S3BlobStoreDescriptor {
    return { ...this.desc };
  }

  private objectKey(key: string): string {
    return s3ObjectKey(this.desc, key);
  }

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    const Key = this.objectKey(key);
    try {
      await this.client.send(new PutObjectCommand({ Bucket: this.desc.bucket, Key, Body: bytes, ContentType: contentType }));
    } catch (err) {
      throw this.failure('PutObject', Key, err);
    }
  }

  async get(key: string): Promise<Uint8Array | null> {
    const Key = this.objectKey(key);
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.desc.bucket, Key }));
      if (!res.Body) return new Uint8Array(0);
      return await res.Body.transformToByteArray();
    } catch (err) {
      // Only a missing key is absence: a missing bucket (NoSuchBucket, also a 404) is a misconfiguration.
      if ((err as SdkError).name === 'NoSuchKey') return null;
      throw this.failure('GetObject', Key, err);
    }
  }

  async delete(key: string): Promise<void> {
    const Key = this.objectKey(key);
    try {
      // S3 answers 204 for a key that is not there: deleting twice is not an error.
      await this.client.send(new DeleteObjectCommand({ Bucket: this.desc.bucket, Key }));
    } catch (err) {
      throw this.failure('DeleteObject', Key, err);
    }
  }

  async exists(key: string): Promise<boolean> {
    const Key = this.objectKey(key);
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.desc.bucket, Key }));
      return true;
    } catch (err) {
      // A HEAD answer has no body, so S3 cannot say which was missing; check() at start-up vouches for the bucket.
      if (statusOf(err) === 404) return false;
      throw this.failure('HeadObject', Key, err);
    }
  }

  /** HeadBucket: the endpoint answers, the bucket exists and these credentials may use it. */
  async check(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.desc.bucket }));
    } catch (err) {
      const status = statusOf(err);
      if (status === 404) throw new S3StoreError(`S3 bucket "${this.desc.bucket}" does not exist ${this.where}: create it, or set ADSMITH_S3_BUCKET to an existing bucket`, status);
      if (status === 403) throw new S3StoreError(`S3 bucket "${this.desc.bucket}" ${this.where} refused these credentials (HTTP 403): check the access key and the bucket policy`, status);
      throw this.failure('HeadBucket', null, err);
    }
  }

  /** Closes the client's pooled connections. */
  destroy(): void {
    this.client.destroy();
  }

  private failure(operation: string, key: string | null, err: unknown): S3StoreError {
    const e = err as SdkError;
    const status = statusOf(err);
    const attempts = e.$metadata?.attempts;
    const cause = [e.name && e.name !== 'Error' ? e.name : e.code, status ? `HTTP ${status}` : null].filter(Boolean).join(', ');
    let detail = `${cause ? `${cause}: ` : ''}${e.message || 'no message'}`;
    // SDK messages do not carry the secret key; this makes sure a future one cannot leak it into an answer or a log.
    if (this.desc.secretAccessKey) detail = detail.split(this.desc.secretAccessKey).join('[secret]');
    const what = key === null ? '' : ` of "${key}"`;
    const tries = attempts && attempts > 1 ? ` after ${attempts} attempts` : '';
    return new S3StoreError(`S3 ${operation}${what} in bucket "${this.desc.bucket}" ${this.where} failed${tries}: ${detail}`, status);
  }
}

function statusOf(err: unknown): number | undefined {
  return (err as SdkError).$metadata?.httpStatusCode;
}
