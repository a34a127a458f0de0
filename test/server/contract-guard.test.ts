import { describe, expect, it } from 'vitest';
import { validateEveryContractResponse } from './helpers.js';

describe('the contract guard used by every server test', () => {
  it('rejects a contract endpoint response that does not match the contract', async () => {
    const fake = { inject: async () => ({ statusCode: 200, body: JSON.stringify([{ id: 'not-an-integer' }]) }) };
    validateEveryContractResponse(fake as never);
    await expect((fake.inject as (o: unknown) => Promise<unknown>)({ method: 'GET', url: '/v1/ads/brands' })).rejects.toThrow(/does not match the contract/);
    const teapot = { inject: async () => ({ statusCode: 418, body: '{}' }) };
    validateEveryContractResponse(teapot as never);
    await expect((teapot.inject as (o: unknown) => Promise<unknown>)('/v1/ads/templates/5')).rejects.toThrow(/does not list/);
  });
});
