import { ApiError } from './api-error.ts';

/**
 * The `Idempotency-Key` of one intended change. A retry whose outcome was unknown (no answer, a 5xx,
 * or a 409 while the first attempt still runs) reuses the key, so the server applies the change at
 * most once. A definite answer ends the key: the server stores 2xx and 4xx answers under it and would
 * replay them, so after a refusal (a 422 whose cause staff then fix) the next attempt gets a new key.
 *
 * ```ts
 * const headers = { 'Idempotency-Key': this.key.for(path, body) };
 * try { await client.post(path, body, { headers }); this.key.reset(); }
 * catch (error) { this.key.settle(error); … }
 * ```
 */
export class IdempotencyKey {
  private last: { request: string; key: string } | undefined;

  /** The key for this request (path and body), reused while the same request is retried. */
  for(path: string, body: unknown): string {
    const request = `${path}\n${JSON.stringify(body)}`;
    if (this.last?.request !== request) this.last = { request, key: crypto.randomUUID() };
    return this.last.key;
  }

  /** Forgets the key after a failure the server answered for good (a 4xx other than 409). */
  settle(error: unknown): void {
    if (error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 409) this.reset();
  }

  reset(): void {
    this.last = undefined;
  }
}
