import { ApiError } from './api-error.ts';

/**
 * The `Idempotency-Key` of one intended change. A retry whose outcome was unknown (no answer, a 5xx,
 * or a 409 while the first attempt still runs) reuses the key, so the server applies the change at
 * most once. A definite answer ends the key: a success is kept under it on the server and would be
 * replayed to the next attempt, and after a refusal (kept nowhere: a 422 whose cause staff then fix)
 * the next attempt is a new intent.
 *
 * ```ts
 * const { data } = await this.key.send(path, body, (headers) => client.post(path, body, { headers }));
 * ```
 */
export class IdempotencyKey {
  private last: { request: string; key: string } | undefined;

  /**
   * Sends the change with its key in `headers`, and ends the key once the answer is definite: after
   * a success, or a refusal the server will replay (see `settle`). Rejects with the request's error.
   */
  async send<T>(path: string, body: unknown, request: (headers: { 'Idempotency-Key': string }) => Promise<T>): Promise<T> {
    try {
      const answer = await request({ 'Idempotency-Key': this.for(path, body) });
      this.reset();
      return answer;
    } catch (error) {
      this.settle(error);
      throw error;
    }
  }

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
