/** Blob key layout, shared by the API, the dispatcher and the worker threads. */
export const fileBlobKey = (fileId: string): string => `files/${fileId.slice(0, 2)}/${fileId}`;
export const resultBlobKey = (jobId: string, index: number, ext: string): string => `results/${jobId}/${index}.${ext}`;

/** An input image fetched when its job was accepted, kept so rendering (and a re-render after a crash) uses the same bytes. */
export const inputBlobKey = (jobId: string, urlHash: string): string => `inputs/${jobId}/${urlHash.slice(0, 40)}`;
