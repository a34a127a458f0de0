import fc from 'fast-check';
import type { RawBody } from './mutations.js';

/**
 * Raw inputs that are not JSON bodies: multipart uploads (right and wrong
 * fields, names, part types, bytes and framing) and query strings (odd keys,
 * malformed percent-encoding, repeats, nesting syntax, length).
 */

export interface UploadSamples {
  png: Buffer;
  jpeg: Buffer;
  woff2: Buffer;
  svg: Buffer;
}

/** Named byte payloads for an upload: valid images and fonts, the same cut short, impostors. */
export function namedUploads(s: UploadSamples): Array<{ name: string; bytes: Buffer }> {
  return [
    { name: 'png', bytes: s.png },
    { name: 'jpeg', bytes: s.jpeg },
    { name: 'woff2', bytes: s.woff2 },
    { name: 'svg', bytes: s.svg },
    { name: 'png-truncated', bytes: s.png.subarray(0, Math.floor(s.png.length / 2)) },
    { name: 'png-header-only', bytes: s.png.subarray(0, 33) },
    { name: 'jpeg-truncated', bytes: s.jpeg.subarray(0, Math.floor(s.jpeg.length / 3)) },
    { name: 'woff2-truncated', bytes: s.woff2.subarray(0, 200) },
    { name: 'svg-dtd', bytes: Buffer.from('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>&a;</text></svg>') },
    { name: 'svg-file-href', bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><image href="/etc/hostname" width="10" height="10"/></svg>') },
    { name: 'svg-huge', bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="100000" height="100000"></svg>') },
    { name: 'html', bytes: Buffer.from('<html><body>hi</body></html>') },
    { name: 'empty', bytes: Buffer.alloc(0) },
    { name: 'png-magic-then-noise', bytes: Buffer.concat([s.png.subarray(0, 8), Buffer.alloc(64, 0xff)]) },
  ];
}

/** Byte payloads for an upload: the named ones and noise. */
export function uploadBytes(s: UploadSamples): fc.Arbitrary<{ name: string; bytes: Buffer }> {
  return fc.oneof(fc.constantFrom(...namedUploads(s)), fc.uint8Array({ maxLength: 300 }).map((b) => ({ name: 'noise', bytes: Buffer.from(b) })));
}

const filenames = fc.oneof(
  fc.constantFrom('logo.png', 'a.jpg', 'font.woff2', 'x.svg', '', '../../etc/passwd', 'a"b.png', 'é€🙂.png', 'a'.repeat(600), 'nul\u0000.png', 'CON', '.htaccess'),
  fc.string({ maxLength: 30 }).filter((s) => !/["\r\n]/.test(s)),
);

/** A multipart/form-data body for POST /v1/files, well formed or not. */
export function multipartBody(samples: UploadSamples): fc.Arbitrary<RawBody> {
  return fc
    .record({
      file: uploadBytes(samples),
      field: fc.oneof({ weight: 8, arbitrary: fc.constant('file') }, { weight: 1, arbitrary: fc.constantFrom('upload', '', 'FILE', 'file[]') }),
      filename: filenames,
      partType: fc.constantFrom('image/png', 'application/octet-stream', 'text/plain', 'font/woff2', 'image/svg+xml', ''),
      extraBefore: fc.boolean(),
      second: fc.boolean(),
      framing: fc.oneof({ weight: 8, arbitrary: fc.constant('ok') }, { weight: 1, arbitrary: fc.constantFrom('no-close', 'lf-only', 'wrong-boundary', 'no-boundary', 'truncated', 'json-type', 'no-type', 'no-disposition') }),
      cut: fc.nat(),
    })
    .map(({ file, field, filename, partType, extraBefore, second, framing, cut }) => {
      const b = 'fuzzboundary7MA4YWxkTrZu0gW';
      const part = (name: string, fname: string | null, type: string, bytes: Buffer) =>
        Buffer.concat([
          Buffer.from(
            `--${b}\r\n` +
              (framing === 'no-disposition' ? '' : `Content-Disposition: form-data; name="${name}"${fname !== null ? `; filename="${fname}"` : ''}\r\n`) +
              (type ? `Content-Type: ${type}\r\n` : '') +
              '\r\n',
          ),
          bytes,
          Buffer.from('\r\n'),
        ]);
      const parts = [
        ...(extraBefore ? [part('note', null, '', Buffer.from('hello'))] : []),
        part(field, filename, partType, file.bytes),
        ...(second ? [part('file', 'second.png', 'image/png', samples.png)] : []),
      ];
      let payload = Buffer.concat([...parts, Buffer.from(framing === 'no-close' ? '' : `--${b}--\r\n`)]);
      if (framing === 'lf-only') payload = Buffer.from(payload.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
      if (framing === 'truncated') payload = payload.subarray(0, cut % Math.max(1, payload.length));
      const contentType =
        framing === 'wrong-boundary' ? 'multipart/form-data; boundary=not-the-one'
        : framing === 'no-boundary' ? 'multipart/form-data'
        : framing === 'json-type' ? 'application/json'
        : framing === 'no-type' ? undefined
        : `multipart/form-data; boundary=${b}`;
      return { payload, contentType, label: `${file.name} as "${field}" named ${JSON.stringify(filename.slice(0, 20))} (${partType || 'no part type'}), ${framing}${second ? ', two files' : ''}${extraBefore ? ', field first' : ''}` };
    });
}

/** encodeURIComponent, which throws on a lone surrogate. */
const enc = (s: string): string => {
  try {
    return encodeURIComponent(s);
  } catch {
    return '%ED%A0%80';
  }
};

const queryKey = fc.oneof(
  fc.constantFrom('limit', 'offset', 'page', 'cursor', 'status', 'since', 'order', 'sort', 'q', 'template_id', '__proto__', 'constructor', 'a[b][c]', 'a[]', '', '%00', '%zz', 'limit%00'),
  fc.string({ maxLength: 10 }).map(enc),
);
const queryValue = fc.oneof(
  fc.constantFrom('', '1', '-1', '0', '1e400', '999999999999999999999', 'NaN', 'true', 'null', '%', '%zz', '%E0%A4%A', '%C0%AF', '%00', '%2e%2e%2f', 'a'.repeat(5000), '[]', '{}', '🙂', 'COMPLETED'),
  fc.string({ unit: 'binary', maxLength: 20 }).map(enc),
  fc.integer().map(String),
);

/** A query string (without "?"), possibly malformed. */
export const queryString: fc.Arbitrary<string> = fc
  .record({
    pairs: fc.array(fc.tuple(queryKey, queryValue), { maxLength: 6 }),
    repeat: fc.boolean(),
    odd: fc.constantFrom('', '&', '&&', '=', '==', '&=&', ';', '#frag', '%'),
  })
  .map(({ pairs, repeat, odd }) => {
    const list = repeat && pairs.length ? [...pairs, pairs[0] as [string, string]] : pairs;
    return list.map(([k, v]) => `${k}=${v}`).join('&') + odd;
  });
