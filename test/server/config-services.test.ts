import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/server/config.js';
import { checkRoleServices, parseDatabaseSettings, parseRedisSettings, parseRole, parseS3Settings } from '../../src/server/config-services.js';

const SECRET = 'hunter2-very-secret';

describe('shared services from the environment', () => {
  it('absent: the embedded default (SQLite, in-process queue, files)', () => {
    const c = loadConfig({ NODE_ENV: 'test' });
    expect(c.role).toBe('all');
    expect(c.database).toEqual({});
    expect(c.redis).toBeNull();
    expect(c.s3).toBeNull();
  });

  it('PostgreSQL: a postgres:// URL and a schema; other schemes and bad schemas named, never the password', () => {
    expect(parseDatabaseSettings({ ADSMITH_DATABASE_URL: 'postgres://u:p@db:5432/ads', ADSMITH_DATABASE_SCHEMA: 'tenant_1' })).toEqual({ url: 'postgres://u:p@db:5432/ads', schema: 'tenant_1' });
    expect(() => parseDatabaseSettings({ ADSMITH_DATABASE_URL: `mysql://u:${SECRET}@db/ads` })).toThrow(/^ADSMITH_DATABASE_URL must be a URL like postgres:\/\/.*got a mysql: URL/);
    expect(() => parseDatabaseSettings({ ADSMITH_DATABASE_URL: `mysql://u:${SECRET}@db/ads` })).not.toThrow(new RegExp(SECRET));
    expect(() => parseDatabaseSettings({ ADSMITH_DATABASE_URL: 'postgres://db', ADSMITH_DATABASE_SCHEMA: 'Bad-Name' })).toThrow(/^ADSMITH_DATABASE_SCHEMA must be lower-case/);
    expect(() => parseDatabaseSettings({ ADSMITH_DATABASE_SCHEMA: 'ads' })).toThrow(/ADSMITH_DATABASE_SCHEMA is set but ADSMITH_DATABASE_URL is not/);
  });

  it('Redis: redis:// or rediss:// and a key prefix', () => {
    expect(parseRedisSettings({ ADSMITH_REDIS_URL: 'redis://127.0.0.1:6379' })).toEqual({ url: 'redis://127.0.0.1:6379', prefix: 'adsmith' });
    expect(parseRedisSettings({ ADSMITH_REDIS_URL: 'rediss://u:p@r:6380/1', ADSMITH_QUEUE_PREFIX: 'prod:eu' })?.prefix).toBe('prod:eu');
    expect(() => parseRedisSettings({ ADSMITH_REDIS_URL: `http://:${SECRET}@r` })).toThrow(/^ADSMITH_REDIS_URL must be a URL like redis:\/\/host:6379.*got a http: URL/);
    expect(() => parseRedisSettings({ ADSMITH_REDIS_URL: `http://:${SECRET}@r` })).not.toThrow(new RegExp(SECRET));
    expect(() => parseRedisSettings({ ADSMITH_QUEUE_PREFIX: 'has space' })).toThrow(/^ADSMITH_QUEUE_PREFIX must be/);
  });

  it('S3: any ADSMITH_S3_* variable needs a bucket; keys go in pairs; the secret is never echoed', () => {
    expect(parseS3Settings({})).toBeNull();
    expect(
      parseS3Settings({
        ADSMITH_S3_ENDPOINT: 'http://minio:9000/',
        ADSMITH_S3_BUCKET: 'ads',
        ADSMITH_S3_PREFIX: '/prod/eu/',
        ADSMITH_S3_ACCESS_KEY_ID: 'AK',
        ADSMITH_S3_SECRET_ACCESS_KEY: SECRET,
        ADSMITH_S3_FORCE_PATH_STYLE: 'no',
        ADSMITH_S3_PUBLIC_URL: 'https://cdn.example.com/',
      }),
    ).toEqual({ kind: 's3', endpoint: 'http://minio:9000', bucket: 'ads', region: 'us-east-1', prefix: 'prod/eu', accessKeyId: 'AK', secretAccessKey: SECRET, forcePathStyle: false, publicUrl: 'https://cdn.example.com' });
    expect(() => parseS3Settings({ ADSMITH_S3_ENDPOINT: 'http://minio:9000' })).toThrow(/^ADSMITH_S3_BUCKET is required when ADSMITH_S3_ENDPOINT is set/);
    expect(() => parseS3Settings({ ADSMITH_S3_BUCKET: 'ads', ADSMITH_S3_SECRET_ACCESS_KEY: SECRET })).toThrow(/^ADSMITH_S3_ACCESS_KEY_ID and ADSMITH_S3_SECRET_ACCESS_KEY go together: the key id is missing/);
    expect(() => parseS3Settings({ ADSMITH_S3_BUCKET: 'ads', ADSMITH_S3_SECRET_ACCESS_KEY: SECRET })).not.toThrow(new RegExp(SECRET));
    expect(() => parseS3Settings({ ADSMITH_S3_BUCKET: 'ads', ADSMITH_S3_ENDPOINT: 'minio:9000' })).toThrow(/^ADSMITH_S3_ENDPOINT must be an http:\/\/ or https:\/\/ URL/);
    expect(() => parseS3Settings({ ADSMITH_S3_BUCKET: 'ads', ADSMITH_S3_PREFIX: 'a/../b' })).toThrow(/^ADSMITH_S3_PREFIX/);
    expect(() => parseS3Settings({ ADSMITH_S3_BUCKET: 'Ads_Bucket' })).toThrow(/^ADSMITH_S3_BUCKET "Ads_Bucket" is not a bucket name/);
    expect(() => parseS3Settings({ ADSMITH_S3_BUCKET: 'ads', ADSMITH_S3_FORCE_PATH_STYLE: 'maybe' })).toThrow(/^ADSMITH_S3_FORCE_PATH_STYLE must be/);
  });

  it('roles: api and worker need PostgreSQL and Redis, and say so', () => {
    expect(parseRole(undefined)).toBe('all');
    expect(parseRole(' Worker ')).toBe('worker');
    expect(() => parseRole('renderer')).toThrow('--role must be api, worker or all (got "renderer").');
    expect(() => checkRoleServices('api', {}, null)).toThrow(/--role api .* set ADSMITH_DATABASE_URL \(PostgreSQL\) and ADSMITH_REDIS_URL \(Redis\)/);
    expect(() => checkRoleServices('worker', { url: 'postgres://db/x' }, null)).toThrow(/set ADSMITH_REDIS_URL \(Redis\)\. Without them use --role all/);
    expect(() => loadConfig({ ADSMITH_ROLE: 'worker' })).toThrow(/--role worker runs rendering without the API/);
    expect(loadConfig({ ADSMITH_DATABASE_URL: 'postgres://db/x', ADSMITH_REDIS_URL: 'redis://r:6379' }, { role: 'api' }).role).toBe('api');
  });
});
