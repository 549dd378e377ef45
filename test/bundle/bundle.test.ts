import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { createApp } from '../../server/app.ts';
import type { Sql } from '../../server/db/connect.ts';
import { call } from '../support/api.ts';

// Runs after `npm run build` (see the test:e2e script): it checks what the build ships.
const root = join(import.meta.dirname, '..', '..');
const dist = join(root, 'dist');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
// The issue's target for the whole kit is 30 KB; with all five elements it is about 34.0 KB today (cancelling
// a booking, If-Match on passes and coupons, and the narrow ledger added 1.0 KB on 2 December; the widget
// review's accessibility and correctness fixes 0.6 KB on 3 December), so this test holds the line at 34.0 KB
// against regressions until the target is met (issue 6 stays open).
const target = 30 * 1024;
const budget = 34 * 1024;
const gzipSize = (file: string) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

test(`the whole kit stays under ${kb(budget)} min+gzip (target ${kb(target)})`, () => {
  const size = gzipSize('customer-kit.js');
  const entries = readdirSync(dist).filter((f) => f.endsWith('.js'));
  const chunks = readdirSync(join(dist, 'chunks')).filter((f) => f.endsWith('.js'));
  const german = chunks.filter((f) => f.startsWith('de-')).map((f) => kb(gzipSize(join('chunks', f))));
  console.log(`# customer-kit.js ${kb(size)} min+gzip (target ${kb(target)}, ceiling ${kb(budget)}); German on first use +${german.join(', ')}; per entry: ${entries
    .filter((f) => f !== 'customer-kit.js').map((f) => `${f} ${kb(gzipSize(f))}`).join(', ')}; shared ${chunks
    .map((f) => `${f} ${kb(gzipSize(join('chunks', f)))}`).join(', ')}`);
  assert.ok(size <= budget, `customer-kit.js is ${kb(size)} min+gzip`);
  const text = readFileSync(join(dist, 'customer-kit.js'), 'utf8');
  // Minified: no comments but Lit's licence notice, once, no indented statements (template literals keep their lines).
  assert.match(text, /^\/\*! Lit[^*]*Google LLC, SPDX-License-Identifier: BSD-3-Clause \*\/\n/, "Lit's notice heads the file");
  assert.ok(!/\/\*/.test(text.slice(1)) && !/\n\s+(const|let|return|if) /.test(text), 'minified, not pretty-printed');
  assert.ok(!/\bimport\s*[{*\w][^;]*from\s*["']lit/.test(text), 'Lit is bundled, not imported');
});

test("package.json's exports, types and customElements name files the build made", () => {
  const paths = [pkg.main, pkg.types, pkg.customElements, ...Object.values(pkg.exports).flatMap((e: any) => typeof e === 'string' ? [e] : Object.values(e))];
  for (const path of paths) assert.ok(existsSync(join(root, path as string)), `${path} exists`);
});

test('custom-elements.json documents every element from its JSDoc', () => {
  const manifest = JSON.parse(readFileSync(join(dist, 'custom-elements.json'), 'utf8'));
  const elements = manifest.modules.flatMap((m: any) => m.declarations ?? []).filter((d: any) => d.customElement && d.tagName);
  const byTag = new Map(elements.map((d: any) => [d.tagName, d]));
  for (const tag of ['customer-list', 'customer-detail', 'credit-usage', 'coupon-manager', 'waiver-status']) {
    const element: any = byTag.get(tag);
    assert.ok(element, `${tag} is in the manifest`);
    assert.ok(element.summary || element.description, `${tag} has a summary`);
    assert.ok(element.events?.some((e: any) => e.name.startsWith('ck-')), `${tag} documents its ck- events`);
    assert.ok(element.cssParts?.length > 0 && element.cssProperties?.length > 0, `${tag} documents parts and custom properties`);
  }
});

test('/kit/ serves the bundle with an ETag, revalidation or immutable caching, and CORS for module scripts', async () => {
  const app = createApp({ sql: (() => { throw new Error('no database needed'); }) as unknown as Sql });
  const kit = await call(app, 'GET', '/kit/customer-kit.js');
  assert.equal(kit.status, 200);
  assert.match(kit.headers.get('content-type')!, /javascript/);
  assert.equal(kit.headers.get('access-control-allow-origin'), '*');
  assert.equal(kit.headers.get('cache-control'), 'public, max-age=0, must-revalidate');
  const etag = kit.headers.get('etag')!;
  assert.match(etag, /^"[\w-]{22}"$/);
  const again = await call(app, 'GET', '/kit/customer-kit.js', { headers: { 'if-none-match': etag } });
  assert.equal(again.status, 304);
  assert.equal(again.text, '');
  // If-None-Match compares weakly: a cache that weakened the tag, and `*`, revalidate too.
  for (const tag of [`W/${etag}`, `"other", ${etag}`, '*']) {
    assert.equal((await call(app, 'GET', '/kit/customer-kit.js', { headers: { 'if-none-match': tag } })).status, 304, tag);
  }
  assert.equal((await call(app, 'GET', '/kit/customer-kit.js', { headers: { 'if-none-match': '"other"' } })).status, 200);

  const [chunk] = readdirSync(join(dist, 'chunks')).filter((f) => f.endsWith('.js'));
  const hashed = await call(app, 'GET', `/kit/chunks/${chunk}`);
  assert.equal(hashed.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  for (const path of ['/kit/../package.json', '/kit/types/index.d.ts', '/kit/nothing.js']) {
    assert.equal((await call(app, 'GET', path)).status, 404, path);
  }
});

test('/kit/ sends Brotli or gzip to a browser that takes it, each encoding with its own ETag', async () => {
  const app = createApp({ sql: (() => { throw new Error('no database needed'); }) as unknown as Sql });
  const file = readFileSync(join(dist, 'customer-kit.js'));
  const get = async (acceptEncoding: string, ifNoneMatch?: string) => {
    const headers: Record<string, string> = { 'accept-encoding': acceptEncoding, ...(ifNoneMatch ? { 'if-none-match': ifNoneMatch } : {}) };
    const response = await app.fetch(new Request('http://kit.test/kit/customer-kit.js', { headers }));
    return { response, bytes: Buffer.from(await response.arrayBuffer()) };
  };
  const plain = await get('identity');
  const br = await get('gzip, deflate, br, zstd');
  const gzip = await get('gzip;q=1, br;q=0.5');
  const noBrotli = await get('*, br;q=0');
  assert.equal(plain.response.headers.get('content-encoding'), null);
  assert.deepEqual(plain.bytes, file);
  assert.equal(br.response.headers.get('content-encoding'), 'br');
  assert.deepEqual(brotliDecompressSync(br.bytes), file);
  assert.equal(gzip.response.headers.get('content-encoding'), 'gzip');
  assert.deepEqual(gunzipSync(gzip.bytes), file);
  assert.equal(noBrotli.response.headers.get('content-encoding'), 'gzip');
  for (const { response } of [plain, br, gzip]) assert.equal(response.headers.get('vary'), 'Accept-Encoding');
  const etags = new Set([plain, br, gzip].map(({ response }) => response.headers.get('etag')));
  assert.equal(etags.size, 3, 'one ETag per representation');
  // A cache holding the Brotli body revalidates it; the plain body's ETag does not stand for it.
  assert.equal((await get('br', br.response.headers.get('etag')!)).response.status, 304);
  assert.equal((await get('br', plain.response.headers.get('etag')!)).response.status, 200);
  console.log(`# /kit/customer-kit.js on the wire: ${kb(br.bytes.length)} Brotli, ${kb(gzip.bytes.length)} gzip, ${kb(file.length)} plain`);
  // What a browser downloads stays within the issue's 30 KB (the min+gzip figure above is the issue's own measure).
  assert.ok(br.bytes.length <= target, `the kit is ${kb(br.bytes.length)} with Brotli`);
  // Compressed only where that makes it smaller: never more bytes than the file, even for a tiny entry.
  for (const name of readdirSync(dist).filter((f) => f.endsWith('.js'))) {
    const response = await app.fetch(new Request(`http://kit.test/kit/${name}`, { headers: { 'accept-encoding': 'br' } }));
    assert.ok((await response.arrayBuffer()).byteLength <= readFileSync(join(dist, name)).length, name);
  }
});
