// The run/stop/reset glue every training demo shares: one run at a time, each with an id the worker knows it by;
// Stop ends a step the page is waiting for at once (starting the engine, the pack, a model) and tells the worker to
// stop that run (its training stops within a batch, its commands still to come end at once); Reset waits for the
// run to end before clearing, so nothing the run says afterwards overwrites the reset.
import { newRunId, sendStop, StoppedError } from './engine-client';

export { StoppedError } from './engine-client';

export class RunLifecycle {
  #run = 0;
  #stopped = false;
  #ended: Promise<void> = Promise.resolve();
  #active = false;
  readonly #onStop = new Set<() => void>();

  constructor(private readonly stopRun: (run: number) => void = sendStop) {}

  /** The id of the current (or last) run, for the commands it sends. */
  get run(): number {
    return this.#run;
  }

  get active(): boolean {
    return this.#active;
  }

  get stopRequested(): boolean {
    return this.#stopped;
  }

  /** Runs `body` as a new run; resolves when it has ended (its own errors are its to handle). */
  async start(body: (run: number) => Promise<void>): Promise<void> {
    await this.#ended;
    this.#run = newRunId();
    this.#stopped = false;
    this.#active = true;
    let end = () => {};
    this.#ended = new Promise((resolve) => (end = resolve));
    try {
      await body(this.#run);
    } finally {
      this.#active = false;
      this.#onStop.clear();
      end();
    }
  }

  /** Asks the run in progress to stop. */
  stop(): void {
    if (!this.#active || this.#stopped) return;
    this.#stopped = true;
    this.stopRun(this.#run);
    for (const f of this.#onStop) f();
    this.#onStop.clear();
  }

  /** Throws a StoppedError if Stop was pressed: call between the stages of a run. */
  check(): void {
    if (this.#stopped) throw new StoppedError();
  }

  /** Waits for `p`, unless Stop is pressed first (or already was): then throws a StoppedError at once. */
  step<T>(p: Promise<T>): Promise<T> {
    if (this.#stopped) return Promise.reject(new StoppedError());
    return new Promise<T>((resolve, reject) => {
      const onStop = () => reject(new StoppedError());
      this.#onStop.add(onStop);
      p.then(resolve, reject).finally(() => this.#onStop.delete(onStop));
    });
  }

  /** Stops the run in progress, if any, and resolves once it has ended. */
  async stopAndWait(): Promise<void> {
    this.stop();
    await this.#ended;
  }
}
