import type { BlobStore } from '../blob/types.js';
import { fileBlobKey, inputBlobKey } from '../blob/keys.js';
import { AdsmithError, isAdsmithError } from '../errors/catalogue.js';
import { FetchRefused } from '../net/fetch.js';
import { sha256Hex } from '../common/ids.js';
import type { JobRecord } from '../storage/types.js';
import { makeFetcher, readImageSource } from './fetcher.js';
import type { ModelHost } from './model-host.js';
import type { SmartImageInput, SmartImageTask } from './protocol.js';
import type { SmartImagePreparer } from './seams.js';

/** Jobs whose prepared smart image is remembered; older ones re-read the persisted cut-out (cheap). */
const MEMO_SIZE = 64;

export interface SmartImageJobsOptions {
  host: ModelHost;
  blob: BlobStore;
  publicUrl: string;
  allowPrivateUrls: boolean;
  /** Ids of the uploaded files the job may read (its organisation's: ownedFileIds in file-access.ts). */
  ownedFiles: (job: JobRecord) => Promise<string[]>;
}

/**
 * The per-job "prepare" step of smart image, on the dispatcher's side: reads the
 * input the job was accepted with, has the models thread cut it out (once per
 * image content; persisted, so a restarted process does not run the model
 * again), and hands every scene task the same result. Runs no pixel work here.
 */
export class SmartImageJobs implements SmartImagePreparer {
  private readonly memo = new Map<string, Promise<SmartImageTask>>();

  constructor(private readonly opts: SmartImageJobsOptions) {}

  prepare(job: JobRecord): Promise<SmartImageTask> {
    let entry = this.memo.get(job.id);
    if (!entry) {
      entry = this.compute(job);
      // A bad input fails every scene the same way; anything else (a crashed thread) may work on a retry.
      entry.catch((err: unknown) => {
        if (!(isAdsmithError(err) && err.status < 500)) this.memo.delete(job.id);
      });
      this.memo.set(job.id, entry);
      while (this.memo.size > MEMO_SIZE) this.memo.delete(this.memo.keys().next().value as string);
    }
    return entry;
  }

  private async compute(job: JobRecord): Promise<SmartImageTask> {
    const smart = (job.request as { smart_image?: SmartImageInput }).smart_image;
    if (!smart) throw new Error(`job ${job.id} has no smart_image`);
    const owned = new Set(await this.opts.ownedFiles(job));
    const fetch = makeFetcher({
      mayRead: (id) => owned.has(id),
      publicUrl: this.opts.publicUrl,
      allowPrivateUrls: this.opts.allowPrivateUrls,
      blob: this.opts.blob,
      fileKey: fileBlobKey,
      inputKey: (url) => inputBlobKey(job.id, sha256Hex(url)),
    });
    let bytes: Uint8Array;
    try {
      bytes = await readImageSource(smart.input_image_url, fetch);
    } catch (err) {
      const reason = err instanceof FetchRefused ? `the URL ${err.message}` : 'the URL could not be read again';
      throw new AdsmithError('ADS_URL_UNUSABLE', { parameter: 'smart_image.input_image_url', reason });
    }
    const cut = await this.opts.host.cutout(bytes);
    const operation = smart.scene?.operation ?? 'expand_image';
    const input = operation === 'lifestyle_shot_by_text' ? smart.scene?.input : undefined;
    const how = cut.computed ? `computed once for this request in ${cut.ms} ms` : `reused (the same image was cut out before, in ${cut.ms} ms)`;
    return {
      input_image_url: smart.input_image_url,
      operation,
      ...(input !== undefined ? { input } : {}),
      seed: 1,
      imageHash: cut.imageHash,
      notes: [`smart image: ${operation}${input ? ` "${input}"` : ''}; cut-out by ${cut.cutoutBy}, ${how}.`, ...cut.warnings],
    };
  }
}
