import type { BlobStore } from '../blob/types.js';
import type { JobRecord } from '../storage/types.js';
import { TextModerator } from '../moderation/index.js';
import { ModelHost } from './model-host.js';
import type { ModelSettings } from './models-protocol.js';
import { moderateInputs, moderateOutputs, type InputModeration } from './moderation-stage.js';
import type { OutputModerator, SmartImagePreparer } from './seams.js';
import { SmartImageJobs } from './smart-image-jobs.js';

export interface ModelStages {
  host: ModelHost;
  smartImage: SmartImagePreparer;
  moderateInputs: InputModeration;
  moderateOutputs: OutputModerator;
}

/** Everything of issue 4 the server wires in, around one models thread per process. */
export function createModelStages(opts: {
  settings: ModelSettings;
  /** The models thread opens this same store (its descriptor) to persist cut-outs. */
  blob: BlobStore;
  publicUrl: string;
  allowPrivateUrls: boolean;
  /** Uploaded files a job may read (see src/jobs/file-access.ts). */
  ownedFiles: (job: JobRecord) => Promise<string[]>;
}): ModelStages {
  const host = new ModelHost(new URL('./models-thread.ts', import.meta.url), { models: opts.settings, blob: opts.blob.describe(), niceness: 10 });
  return {
    host,
    smartImage: new SmartImageJobs({ host, blob: opts.blob, publicUrl: opts.publicUrl, allowPrivateUrls: opts.allowPrivateUrls, ownedFiles: opts.ownedFiles }),
    moderateInputs: moderateInputs(host, new TextModerator({ extraAllowed: opts.settings.profanityAllow })),
    moderateOutputs: moderateOutputs(host),
  };
}
