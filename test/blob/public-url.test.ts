import { describe, expect, it } from 'vitest';
import { publicUrlOf } from '../../src/blob/public-url.js';

describe('publicUrlOf', () => {
  const s3 = { kind: 's3' as const, region: 'eu-west-1', bucket: 'ads' };

  it('is null where blobs have no public address: fs, or S3 without a public URL', () => {
    expect(publicUrlOf({ kind: 'fs', root: '/var/lib/adsmith/blobs' }, 'results/job_1/0.png')).toBeNull();
    expect(publicUrlOf(s3, 'results/job_1/0.png')).toBeNull();
    expect(publicUrlOf({ ...s3, publicUrl: '' }, 'results/job_1/0.png')).toBeNull();
  });

  it('joins the public URL, the prefix and the key with single slashes', () => {
    expect(publicUrlOf({ ...s3, publicUrl: 'https://cdn.example.com' }, 'results/job_1/0.png')).toBe('https://cdn.example.com/results/job_1/0.png');
    expect(publicUrlOf({ ...s3, publicUrl: 'https://cdn.example.com/ads//', prefix: '/prod/' }, 'results/job_1/0.png')).toBe('https://cdn.example.com/ads/prod/results/job_1/0.png');
    expect(publicUrlOf({ ...s3, publicUrl: 'https://ads.s3.eu-west-1.amazonaws.com', prefix: 'a/b' }, 'results/job_X-y_z/3.webp')).toBe('https://ads.s3.eu-west-1.amazonaws.com/a/b/results/job_X-y_z/3.webp');
  });

  it('refuses unsafe keys and prefixes instead of building a URL from them', () => {
    expect(() => publicUrlOf({ ...s3, publicUrl: 'https://cdn.example.com' }, '../secrets')).toThrow(/unsafe blob key/);
    expect(() => publicUrlOf({ ...s3, publicUrl: 'https://cdn.example.com', prefix: '..' }, 'results/j/0.png')).toThrow(/prefix "\.\." is not a safe key path/);
  });
});
