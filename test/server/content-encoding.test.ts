import assert from 'node:assert/strict';
import { test } from 'node:test';
import { preferredEncoding } from '../../server/http/content-encoding.ts';

test('Accept-Encoding picks the heaviest encoding the server has, Brotli on a tie, and honours q=0', () => {
  const cases: [header: string | undefined, expected: string | undefined][] = [
    [undefined, undefined],
    ['', undefined],
    ['identity', undefined],
    ['gzip, deflate, br, zstd', 'br'],
    ['gzip', 'gzip'],
    ['GZIP', 'gzip'],
    ['br;q=0.5, gzip', 'gzip'],
    ['br; q=0.9, gzip;q=0.8', 'br'],
    ['*', 'br'],
    ['*, br;q=0', 'gzip'],
    ['br ;q=0, *', 'gzip'],
    ['gzip ; q=0.5, br;q=0.4', 'gzip'],
    ['gzip;q=0', undefined],
    ['gzip;q=abc', undefined],
    ['deflate', undefined],
  ];
  for (const [header, expected] of cases) assert.equal(preferredEncoding(header), expected, `${header}`);
});
