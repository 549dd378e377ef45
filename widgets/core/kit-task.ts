import { Task, TaskStatus } from '@lit/task';

/**
 * A read that stops with its element: taken out of the document (a page moving on, a framework
 * unmounting it), the element aborts the run under way and so its request; put back, it runs again
 * with the arguments it stopped with. For reads only: a run that ignores its signal runs again too.
 */
export class KitTask<T extends readonly unknown[] = readonly unknown[], R = unknown> extends Task<T, R> {
  /** The arguments of the run that leaving the document stopped, wrapped (a run may have none). */
  private stopped: [args?: T] | undefined;
  private args: T | undefined;

  override run(args?: T): Promise<void> {
    this.args = args;
    return super.run(args);
  }

  /** Also forgets a stopped run, which what aborted it has replaced. */
  override abort(reason?: unknown): void {
    this.stopped = undefined;
    super.abort(reason);
  }

  hostDisconnected(): void {
    if (this.status !== TaskStatus.PENDING) return;
    this.abort();
    this.stopped = [this.args];
  }

  hostConnected(): void {
    const stopped = this.stopped;
    this.stopped = undefined;
    if (stopped) void this.run(...stopped);
  }
}
