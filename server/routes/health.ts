import { Hono } from 'hono';
import type { AppEnv } from '../http/env.ts';

export const health = new Hono<AppEnv>().get('/healthz', async (c) => {
  await c.var.sql`select 1`;
  return c.json({ status: 'ok' }, 200);
});
