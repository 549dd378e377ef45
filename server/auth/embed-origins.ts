import type { Db } from '../db/connect.ts';

/**
 * A studio's embed origins: the pages' origins the API answers CORS for and mints sessions for. They
 * are compared as browsers send `Origin` (`https://portal.example.com`: scheme and host in lower case,
 * no default port, no path), so each is kept in that form; migration 00016 refuses any other.
 */

/** `text` as an origin (`https://Portal.Example.com/` → `https://portal.example.com`), or null when it is not one. */
export function originOf(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  const bare = url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
  return /^https?:$/.test(url.protocol) && bare && !text.includes('?') && !text.includes('#') ? url.origin : null;
}

export async function listEmbedOrigins(sql: Db, tenantId: string): Promise<string[] | null> {
  const [row]: [{ embed_origins: string[] }?] = await sql`select embed_origins from tenants where id = ${tenantId}`;
  return row ? row.embed_origins : null;
}

/** Adds origins (already `originOf`'s form) to a studio's list, each once; returns the list, or null without such a studio. */
export async function addEmbedOrigins(sql: Db, tenantId: string, origins: readonly string[]): Promise<string[] | null> {
  const [row]: [{ embed_origins: string[] }?] = await sql`
    update tenants set embed_origins = array(
      select o from unnest(embed_origins || ${origins as string[]}::text[]) with ordinality as t(o, n) group by o order by min(n))
    where id = ${tenantId} returning embed_origins`;
  return row ? row.embed_origins : null;
}

/** Takes origins off a studio's list; returns the list, or null without such a studio. */
export async function removeEmbedOrigins(sql: Db, tenantId: string, origins: readonly string[]): Promise<string[] | null> {
  const [row]: [{ embed_origins: string[] }?] = await sql`
    update tenants set embed_origins = array(
      select o from unnest(embed_origins) with ordinality as t(o, n) where o <> all(${origins as string[]}::text[]) order by n)
    where id = ${tenantId} returning embed_origins`;
  return row ? row.embed_origins : null;
}
