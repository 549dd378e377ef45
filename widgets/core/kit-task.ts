import { Task, TaskStatus } from '@lit/task';

/**
 * A read that stops with its element: taken out of the document (a page moving on, a framework
 * unmounting it), the element aborts the run under way and so its request; put back, it runs again
 * with the arguments it stopped with. For reads only: a run that ignores its signal runs again too.
 */
export class KitTask<T extends readonly unknown[] = readonly unknown[], R = unknown> extends Task<T, R> {
  /** Leaving the document stopped the last run (of `args`), which its return runs again. */
  private stopped = false;
  private args: T | undefined;

  override run(args?: T): Promise<void> {
    this.args = args;
    return super.run(args);
  }

  /** Also forgets a stopped run, which what aborted it has replaced. */
  override abort(reason?: unknown): void {
    this.stopped = false;
    super.abort(reason);
  }

  hostDisconnected(): void {
    if (this.status !== TaskStatus.PENDING) return;
    this.abort();
    this.stopped = true;
  }

  hostConnected(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.run(this.args);
  }
}
