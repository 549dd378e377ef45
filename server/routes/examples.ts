import { readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { Hono } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { notFound } from '../http/errors.ts';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** The policy of the strict-CSP example: nothing inline, nothing from elsewhere, Trusted Types for DOM sinks. */
export const strictCsp = "default-src 'self'; script-src 'self'; style-src 'self'; require-trusted-types-for 'script'";

/** Pages served under this policy. */
const strictPages = new Set(['strict-csp.html', 'react/index.html']);

/**
 * The embedding examples of `demo/examples/` under `/examples/` (demo mode only):
 * - `cms.html`: a static CMS page that drops in the kit with one module script;
 * - `strict-csp.html` (and its scripts under `strict-csp/`): every element under {@link strictCsp};
 * - `react/`: a React 19 host whose bundle (`app.js`) Vite builds into `dist/examples/react/`
 *   (`npm run build:bundles`, which `npm start` runs).
 *
 * A folder's name without its slash (`/examples/react`) redirects to the folder (`/examples/react/`),
 * whose page's relative links (`app.js`) need the slash.
 *
 * The third-party portal (`portal/server.ts`) is a separate server on another origin, not served here.
 */
export function exampleRoutes({ dir, built }: { dir: string; built: string }) {
  return new Hono<AppEnv>().get('/examples/*', async (c) => {
    let path = c.req.path.slice('/examples/'.length);
    const folder = /^[\w-]+$/.test(path) && (await stat(join(dir, path, 'index.html')).catch(() => null))?.isFile();
    if (folder) return c.redirect(`${c.req.path}/${new URL(c.req.url).search}`, 301);
    if (path === '' || path.endsWith('/')) path += 'index.html';
    if (!/^[\w-]+(\/[\w-]+)*\.[a-z]+$/.test(path) || path.startsWith('portal/')) throw notFound('file');
    const type = types[extname(path)];
    if (!type) throw notFound('file');
    // The React bundle is a build output; everything else is a source file of the example.
    const file = path.startsWith('react/') && path !== 'react/index.html' ? join(built, path) : join(dir, path);
    const body = await readFile(file).catch(() => null);
    if (!body) throw notFound('file');
    const headers: Record<string, string> = { 'Content-Type': type, 'Cache-Control': 'no-cache' };
    if (strictPages.has(path)) headers['Content-Security-Policy'] = strictCsp;
    return c.body(new Uint8Array(body), 200, headers);
  });
}
