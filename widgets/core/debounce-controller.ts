import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Calls back once input has paused for `delay` ms, without re-rendering the host on every keystroke.
 * Pending calls are dropped when the host disconnects.
 */
export class DebounceController<T> implements ReactiveController {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    host: ReactiveControllerHost,
    private readonly callback: (value: T) => void,
    private readonly delay = 250,
  ) {
    host.addController(this);
  }

  /** Schedules `callback(value)`, replacing a call still waiting. */
  call(value: T): void {
    this.cancel();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.callback(value);
    }, this.delay);
  }

  /** Runs the waiting call now (for Enter in a search box). */
  flush(value: T): void {
    this.cancel();
    this.callback(value);
  }

  cancel(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  hostDisconnected(): void {
    this.cancel();
  }
}
