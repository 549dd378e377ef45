import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ApiClient, QueryValue } from '../core/api-client.ts';
import { isAbortError } from '../core/api-error.ts';
import type { Page } from './customer-detail.types.ts';

/** Where a list's pages come from: the client, the API path and its query (without `cursor`). */
export type PageRequest = () => [client: ApiClient, path: string, query: Record<string, QueryValue>];

/**
 * One cursor-paged list of a section (bookings, activity, emails, notes, products): the rows shown so
 * far, the cursor of the next page, and its own loading and error state, so that a section that fails
 * leaves the others alone. A newer load aborts the one still running; one that leaving the document
 * stopped runs again on return.
 */
export class PagedList<T> implements ReactiveController {
  items: T[] = [];
  next: string | null = null;
  error: unknown;
  busy = false;
  private abort: AbortController | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly request: PageRequest,
  ) {
    host.addController(this);
  }

  /** Shows a first page that came with another answer (the aggregate), without a request. */
  seed(page: Page<T> | undefined): void {
    this.abort?.abort();
    Object.assign(this, { items: page?.data ?? [], next: page?.next_cursor ?? null, error: undefined, busy: false });
  }

  /** Loads the first page (replacing the rows), or with `more` the page after the rows shown. */
  async load(more = false): Promise<void> {
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    Object.assign(this, { busy: true, error: undefined, items: more ? this.items : [] });
    this.host.requestUpdate();
    const [client, path, query] = this.request();
    try {
      const page = await client.get<T[]>(path, { query: { ...query, cursor: more ? this.next : null }, signal: abort.signal });
      // An abort while the body was read leaves no data behind; never show that as an empty page.
      abort.signal.throwIfAborted();
      this.items = more ? [...this.items, ...page.data] : page.data;
      this.next = page.nextCursor;
    } catch (error) {
      if (!isAbortError(error)) this.error = error;
    } finally {
      // Aborted, it was replaced (a newer load, `seed`) or stopped to run again on return (`hostConnected`).
      if (!abort.signal.aborted) {
        this.busy = false;
        this.host.requestUpdate();
      }
    }
  }

  /** Repeats the load that failed: a first load leaves no rows behind, a next page the rows before it. */
  retry(): Promise<void> {
    return this.load(this.items.length > 0);
  }

  /** A load that the element's leaving the document stopped (still `busy`) runs again when it is back. */
  hostConnected(): void {
    if (this.busy) void this.retry();
  }

  /** Stops the load under way, which stays `busy`. */
  hostDisconnected(): void {
    this.abort?.abort();
  }
}
