import type { MetadataStore } from '../../src/storage/types.js';

/**
 * Every method of MetadataStore, by name. The interface exists only at compile time, so the conformance suite
 * checks its coverage against this list; the two type checks below make tsc fail when a method is added to the
 * interface and not here (or listed here and not in the interface).
 */
export const METADATA_STORE_METHODS = [
  'migrate', 'close',
  'getSetting', 'initSetting',
  'createOrg', 'getOrg', 'listOrgs', 'setOrgPlan', 'addToken', 'findOrgByTokenHash', 'revokeToken', 'listTokens', 'countRequest',
  'createAsset', 'updateAsset', 'getAsset', 'listAssets', 'listAssetVersions', 'deleteAsset',
  'addFile', 'getFile', 'listFiles', 'deleteFile',
  'createJob', 'getJob', 'findJobByIdempotencyKey', 'listJobs', 'getScenes', 'getSceneByToken',
  'claimScene', 'claimSceneAt', 'finishScene', 'requeueOrphans', 'requeueScene', 'cancelJob', 'countPendingScenes', 'claimableScenes',
  'createBatch', 'getBatch', 'findBatchByIdempotencyKey', 'listBatches', 'getBatchRows', 'getBatchScenes', 'findBatchOfJob',
  'settleBatch', 'cancelBatch', 'openBatches', 'batchesMissingDelivery',
  'createTask', 'getTask', 'tasksMissingDelivery',
  'addSceneRevisions', 'listSceneRevisions', 'latestSceneRevision', 'getSceneRevisionByFile',
  'addDelivery', 'dueDeliveries', 'updateDelivery', 'getDelivery', 'jobsMissingDelivery', 'listDeliveries',
] as const satisfies ReadonlyArray<keyof MetadataStore>;

type Listed = (typeof METADATA_STORE_METHODS)[number];
type Unlisted = Exclude<keyof MetadataStore, Listed>;
/** Compiles only when every key of MetadataStore is listed above. */
export const everyMethodListed: [Unlisted] extends [never] ? true : { unlisted: Unlisted } = true;
