/** Blob key layout, shared by the API, the dispatcher and the worker threads. */
export const fileBlobKey = (fileId: string): string => `files/${fileId.slice(0, 2)}/${fileId}`;
export const resultBlobKey = (jobId: string, index: number, ext: string): string => `results/${jobId}/${index}.${ext}`;
