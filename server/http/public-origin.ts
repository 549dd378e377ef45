/**
 * The origin pages reach the BFF at: `PUBLIC_ORIGIN`, else where `server/main.ts` listens
 * (`http://HOST:PORT`). It is the BFF's "own" origin for CORS, for the origins sessions are bound to
 * and for the demo, and it comes from configuration because the request's Host header is the client's
 * to write: a DNS-rebinding page sends its own name there, and would otherwise pass for the BFF.
 */
export function publicOriginFrom(setting: string | undefined, host: string, port: number): string {
  if (!setting) {
    const bare = host.replace(/^\[(.*)\]$/, '$1');
    const own = `http://${bare.includes(':') ? `[${bare}]` : bare}:${port}`;
    // An IPv6 zone (fe80::1%eth0) has no place in a URL: the origin browsers use must be named.
    if (!URL.canParse(own)) throw new Error(`HOST=${host} is no origin a browser can use: set PUBLIC_ORIGIN`);
    return new URL(own).origin;
  }
  const url = URL.canParse(setting) ? new URL(setting) : null;
  if (!url || !/^https?:$/.test(url.protocol) || url.href !== `${url.origin}/`) {
    throw new Error(`PUBLIC_ORIGIN must be an origin such as https://kit.example.com (no path), not ${setting}`);
  }
  return url.origin;
}
