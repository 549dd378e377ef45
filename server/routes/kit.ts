import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { Hono } from 'hono';
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
  body: Buffer;
  etag: string;
}

/**
 * The built kit under `/kit/`: a strong ETag on every file (304 on a match), long-lived caching for
 * the hashed chunks and revalidation for the stable names like customer-kit.js. Any origin may load
 * them: module scripts are fetched with CORS, and the files hold no secret.
 */
export function kitAssets(dir: string) {
  const cache = new Map<string, Asset>();

  async function load(path: string) {
    const info = await stat(join(dir, path)).catch(() => null);
    if (!info?.isFile()) return null;
    const cached = cache.get(path);
    if (cached?.mtimeMs === info.mtimeMs) return cached;
    const body = await readFile(join(dir, path));
    const asset = { mtimeMs: info.mtimeMs, body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
    cache.set(path, asset);
    return asset;
  }

  return new Hono<AppEnv>().get('/kit/*', async (c) => {
    const path = c.req.path.slice('/kit/'.length);
    const type = types[extname(path)];
    if (!type || !/^[\w-]+(\/[\w.-]+)*$/.test(path.replace(/\.[\w.]+$/, '')) || path.includes('..')) throw notFound('file');
    const asset = await load(path);
    if (!asset) throw notFound('file');
    const headers = {
      ETag: asset.etag,
      'Cache-Control': hashed.test(path) ? 'public, max-age=31536000, immutable' : 'public, max-age=0, must-revalidate',
      'Access-Control-Allow-Origin': '*',
      'Content-Type': type,
    };
    const match = c.req.header('if-none-match');
    if (match?.split(',').some((tag) => tag.trim() === asset.etag)) return c.body(null, 304, headers);
    return c.body(new Uint8Array(asset.body), 200, headers);
  });
}
