/**
 * The origin pages reach the BFF at: `PUBLIC_ORIGIN`, else where `server/main.ts` listens
 * (`http://HOST:PORT`). It is the BFF's "own" origin for CORS, for the origins sessions are bound to
 * and for the demo, and it comes from configuration because the request's Host header is the client's
 * to write: a DNS-rebinding page sends its own name there, and would otherwise pass for the BFF.
 */
export function publicOriginFrom(setting: string | undefined, host: string, port: number): string {
  if (!setting) return new URL(`http://${host.includes(':') ? `[${host}]` : host}:${port}`).origin;
  const url = URL.canParse(setting) ? new URL(setting) : null;
  if (!url || !/^https?:$/.test(url.protocol) || url.href !== `${url.origin}/`) {
    throw new Error(`PUBLIC_ORIGIN must be an origin such as https://kit.example.com (no path), not ${setting}`);
  }
  return url.origin;
}
