import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { Hono } from 'hono';
import { compress, preferredEncoding, type Encoding } from '../http/content-encoding.ts';
import type { AppEnv } from '../http/env.ts';
import { notFound } from '../http/errors.ts';

const types: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

/** Chunk names carry a content hash (vite.config.ts), so they never change and may be kept forever. */
const hashed = /^chunks\/[\w.-]+-[\w-]{8}\.js(\.map)?$/;

interface Asset {
  mtimeMs: number;
  size: number;
  body: Buffer;
  etag: string;
  /** The compressed bodies, made on first request; `null` where compressing does not make it smaller. */
  encoded: Partial<Record<Encoding, Promise<Buffer | null>>>;
}

/**
 * The built kit under `/kit/`: a strong ETag on every file (304 on a match), long-lived caching for
 * the hashed chunks and revalidation for the stable names like customer-kit.js. Any origin may load
 * them: module scripts are fetched with CORS, and the files hold no secret. Files go compressed with
 * Brotli or gzip when the browser takes it (the kit is a third of its size in gzip, less in Brotli),
 * each encoding its own representation with its own ETag.
 */
export function kitAssets(dir: string) {
  const cache = new Map<string, Asset>();

  async function load(path: string) {
    const info = await stat(join(dir, path)).catch(() => null);
    if (!info?.isFile()) return null;
    const cached = cache.get(path);
    if (cached?.mtimeMs === info.mtimeMs && cached.size === info.size) return cached;
    const body = await readFile(join(dir, path));
    const etag = createHash('sha256').update(body).digest('base64url').slice(0, 22);
    const asset: Asset = { mtimeMs: info.mtimeMs, size: info.size, body, etag, encoded: {} };
    cache.set(path, asset);
    return asset;
  }

  return new Hono<AppEnv>().get('/kit/*', async (c) => {
    const path = c.req.path.slice('/kit/'.length);
    const type = types[extname(path)];
    if (!type || !/^[\w-]+(\/[\w.-]+)*$/.test(path.replace(/\.[\w.]+$/, '')) || path.includes('..')) throw notFound('file');
    const asset = await load(path);
    if (!asset) throw notFound('file');
    const encoding = preferredEncoding(c.req.header('accept-encoding'));
    const encoded = encoding ? await (asset.encoded[encoding] ??= smaller(asset.body, encoding)) : null;
    // The file's own bytes have a strong ETag; a compressed body a weak one, since another instance's
    // zlib may compress the same file to other bytes.
    const etag = encoded ? `W/"${asset.etag}-${encoding}"` : `"${asset.etag}"`;
    const headers: Record<string, string> = {
      ETag: etag,
      'Cache-Control': hashed.test(path) ? 'public, max-age=31536000, immutable' : 'public, max-age=0, must-revalidate',
      'Access-Control-Allow-Origin': '*',
      'Content-Type': type,
      Vary: 'Accept-Encoding',
    };
    if (encoded) headers['Content-Encoding'] = encoding!;
    // If-None-Match compares weakly (RFC 9110 §13.1.2): `W/` aside, and `*` matches any file.
    const match = c.req.header('if-none-match');
    const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
    if (match?.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === opaque(etag))) return c.body(null, 304, headers);
    return c.body(new Uint8Array(encoded ?? asset.body), 200, headers);
  });
}

/** `body` compressed, or `null` when that saves nothing (a tiny entry module) or fails: it then goes as it is. */
async function smaller(body: Buffer, encoding: Encoding): Promise<Buffer | null> {
  const encoded = await compress(body, encoding).catch(() => null);
  return encoded && encoded.length < body.length ? encoded : null;
}
