import { ApiError } from './errors.ts';

/** A customer's ETag: its version, quoted (a strong validator). */
export const etagOf = (version: number) => `"${version}"`;

/**
 * Optimistic concurrency: refuses with 412 when an `If-Match` header was sent and names neither the
 * current version (weak or strong) nor `*`. Without the header the write goes ahead, as seed 002's
 * machine-to-machine clients expect.
 */
export function assertIfMatch(ifMatch: string | undefined, version: number): void {
  if (ifMatch === undefined) return;
  const current = etagOf(version);
  const holds = ifMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === current || t === `W/${current}`;
  });
  if (!holds) {
    throw new ApiError(412, 'precondition_failed', 'Someone else changed this customer since you loaded it.', {
      current_etag: current,
    });
  }
}
