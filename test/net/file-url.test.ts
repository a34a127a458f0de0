import { describe, expect, it } from 'vitest';
import { fileReference } from '../../src/net/file-url.js';

/** Issue 9, item 2: every spelling of a file URL on this server is recognised as one (units; no network). */
const ID = 'AbCdEfGhIjKlMnOpQrStUvWxYz012345';
const ctx = { publicUrl: 'https://ads.example.com' };

describe('fileReference canonicalises before deciding', () => {
  const selfSpellings = [
    `https://ads.example.com/v1/files/${ID}`,
    `HTTPS://ADS.EXAMPLE.COM/v1/files/${ID}`,
    `https://ads.example.com:443/v1/files/${ID}`,
    `https://ads.example.com/v1/./files/${ID}`,
    `https://ads.example.com/v1/x/../files/${ID}`,
    `https://ads.example.com/v1/%2e/files/${ID}`,
    `https://ads.example.com/%76%31/%66%69%6c%65%73/${ID}`,
    `https://ads.example.com/v1/files%2F${ID}`,
    `https://ads.example.com//v1//files/${ID}`,
    `https://ads.example.com\\v1\\files\\${ID}`,
    `  https://ads.example.com/v1/files/${ID}?x=1#y`,
    `ht\ttps://ads.example.com/v1/files/${ID}`,
    `http://localhost/v1/files/${ID}`,
    `http://LOCALHOST:8080/v1/files/${ID}`,
    `http://localhost.:8080/v1/files/${ID}`,
    `http://api.localhost/v1/files/${ID}`,
    `http://127.0.0.1:8080/v1/files/${ID}`,
    `http://127.1/v1/files/${ID}`,
    `http://2130706433/v1/files/${ID}`,
    `http://0x7f.0.0.1/v1/files/${ID}`,
    `http://0177.0.0.1/v1/files/${ID}`,
    `http://[::1]:8080/v1/files/${ID}`,
    `http://[::ffff:127.0.0.1]/v1/files/${ID}`,
    `http://0.0.0.0:8080/v1/files/${ID}`,
    `http://[::]/v1/files/${ID}`,
  ];
  for (const url of selfSpellings) {
    it(`${JSON.stringify(url)} is this server's file ${ID.slice(0, 6)}…`, () => {
      expect(fileReference(url, ctx)).toEqual({ id: ID, self: true });
    });
  }

  it('the same path on another host is a file reference, but not this server by name', () => {
    expect(fileReference(`https://cdn.other.example/v1/files/${ID}`, ctx)).toEqual({ id: ID, self: false });
    expect(fileReference(`https://ads.example.com:8443/v1/files/${ID}`, ctx)).toEqual({ id: ID, self: false });
    expect(fileReference(`http://10.0.0.5/v1/files/${ID}`, ctx)).toEqual({ id: ID, self: false });
  });

  it('anything that names no file is not one', () => {
    for (const s of ['Summer sale', `data:image/png;base64,AAAA`, 'asset:logo.svg', `https://ads.example.com/v1/ads/templates`, `https://ads.example.com/files/${ID}`, `ftp://ads.example.com/v1/files/${ID}`, 'https://', '']) {
      expect(fileReference(s, ctx), s).toBeNull();
    }
  });
});
