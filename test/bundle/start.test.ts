import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createApp } from '../../server/app.ts';
import type { Sql } from '../../server/db/connect.ts';
import { call } from '../support/api.ts';

// Runs after `npm run build` (see the test:e2e script). The README's first command, `npm start`, must build
// everything the BFF serves under /kit/ and package.json points at: the custom-elements.json its CMS snippet
// points readers to, and the type declarations.
const root = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** The commands a script runs, in order, with the `npm run` scripts it calls spelled out. */
const commands = (script: string): string[] => script.split('&&').map((command) => command.trim())
  .flatMap((command) => command.startsWith('npm run ') ? commands(pkg.scripts[command.slice('npm run '.length)]) : [command]);

test('npm start builds all that package.json points at (bundles, types, custom-elements.json), then starts the server', () => {
  const start = commands(pkg.scripts.start);
  assert.equal(start.at(-1), 'tsx server/main.ts');
  assert.deepEqual(start.slice(0, -1), commands(pkg.scripts.build), `npm start builds as npm run build: ${start.join(' && ')}`);
  const manifest = start.indexOf('cem analyze --quiet');
  assert.ok(manifest >= 0 && start.every((command, i) => !command.startsWith('vite build') || i < manifest),
    'custom-elements.json after every vite build (which empties dist/)');
});

test('/kit/custom-elements.json serves the manifest to any origin', async () => {
  const app = createApp({ sql: (() => { throw new Error('no database needed'); }) as unknown as Sql });
  const reply = await call(app, 'GET', '/kit/custom-elements.json');
  assert.equal(reply.status, 200);
  assert.equal(reply.headers.get('content-type'), 'application/json; charset=utf-8');
  assert.equal(reply.headers.get('access-control-allow-origin'), '*');
  assert.equal(reply.text, readFileSync(join(root, 'dist', 'custom-elements.json'), 'utf8'));
  const tags = reply.body.modules.flatMap((m: any) => m.declarations ?? []).map((d: any) => d.tagName);
  for (const tag of ['customer-list', 'customer-detail', 'credit-usage', 'coupon-manager', 'waiver-status']) assert.ok(tags.includes(tag), tag);
});
