// What every training demo shares, as one reactive object: the backend and its notice, the status line, whether a run
// is going, its progress and time left. A run's body runs with the engine started and the pets pack loaded; Stop,
// Reset (which waits for the run to end, then clears what the demo made) and failures are handled here in one way;
// a training that leaves the screen pauses between two batches and goes on when it comes back, and the status says so.
import { sendPause, startEngine } from './engine-client';
import { RunLifecycle, StoppedError } from './run-lifecycle';
import { RunProgress, type ProgressView } from './run-progress';
import { startAndLoad } from './training-run';

export interface RuntimeWords {
  /** The status before any run. */
  idle: string;
  /** What a failure's message follows: 'Training failed' gives 'Training failed: <why>'. */
  failed: string;
  /** The status when Stop came before the work began. */
  stoppedEarly: string;
  /** The status once Reset has cleared the demo. */
  reset: string;
  /** While a Stop takes effect, and while Reset waits for the run to end. */
  stopping?: string;
  resetting?: string;
}

/** What the status says while a training waits off screen. */
export const PAUSED_STATUS = 'Paused while this demo is off screen; training goes on when you scroll back to it.';

/** Resolves in a new task, after the page has had its chance to render. */
const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

export class TrainingRuntime {
  backend = $state<string | null>(null);
  notice = $state('');
  running = $state(false);
  /** The run's progress over all its stages, as a share and in words with the time left. */
  progress = $state<ProgressView | null>(null);
  /** Whether the run waits because the demo is off screen. */
  paused = $state(false);
  #status = $state('');
  /** Whether the demo is on screen, as last told (a page without IntersectionObserver never says otherwise). */
  #onScreen = true;
  readonly life: RunLifecycle;
  tracker = new RunProgress();

  constructor(
    private readonly words: RuntimeWords,
    life = new RunLifecycle(),
    private readonly pause: (run: number, paused: boolean) => void = sendPause,
  ) {
    this.life = life;
    this.#status = words.idle;
  }

  get status(): string {
    return this.paused ? PAUSED_STATUS : this.#status;
  }

  set status(text: string) {
    this.#status = text;
  }

  /** Sets the status (for passing as a callback). */
  readonly say = (text: string): void => {
    this.#status = text;
  };

  /**
   * What DemoFrame shows of the run and how it reaches the run, to spread on it: `<DemoFrame {...rt.frame} …>`
   * (a demo without a progress bar, or one that must not pause off screen, overrides that prop after the spread).
   */
  get frame() {
    return {
      backend: this.backend,
      status: this.status,
      notice: this.notice,
      running: this.running,
      progress: this.progress,
      onstop: this.stop,
      onvisible: this.visible,
    };
  }

  /** The run's id, for the commands it sends. */
  get run(): number {
    return this.life.run;
  }

  /**
   * Runs `body` as a new run, after starting the engine and (unless `pack` is false) loading the pets pack; its
   * StoppedError and its failures end in the status (and go to `onError`). Resolves when the run has ended.
   */
  async start(
    body: (run: number) => Promise<void>,
    { pack = true, onError }: { pack?: boolean; onError?: (error: unknown) => void } = {},
  ): Promise<void> {
    this.running = true;
    this.tracker = new RunProgress((view) => (this.progress = view));
    await this.life.start(async (run) => {
      // A run started while the demo is off screen (from a script, say) waits until it is seen.
      if (!this.#onScreen) this.#setPaused(true);
      try {
        // The press shows its new state (Stop enabled, the progress bar) in its own short task; starting the worker
        // and everything after come in the next, so the click never holds up the page.
        await nextTask();
        const engine = pack ? await startAndLoad(this.life, this.tracker, this.say) : await this.#engineOnly();
        this.backend = engine.backend;
        this.tracker.backend = engine.backend;
        this.notice = engine.notice;
        await body(run);
      } catch (error) {
        this.#status =
          error instanceof StoppedError ? this.words.stoppedEarly : `${this.words.failed}: ${(error as Error).message}`;
        onError?.(error);
      } finally {
        this.running = false;
        this.paused = false;
      }
    });
  }

  async #engineOnly() {
    this.tracker.stage('engine');
    this.#status = 'Starting the engine…';
    return this.life.step(startEngine());
  }

  /** Stop: the run ends within a batch (a step it waits for, at once). */
  readonly stop = (): void => {
    this.life.stop();
    this.paused = false;
    this.#status = this.words.stopping ?? 'Stopping after this batch…';
  };

  /** Reset: stops the run in progress and waits for it to end, then `clear` (the demo's state) and says so. */
  async reset(clear: () => void): Promise<void> {
    if (this.life.active) {
      this.#status = this.words.resetting ?? 'Stopping the run, then resetting…';
      await this.life.stopAndWait();
    }
    clear();
    this.#status = this.words.reset;
  }

  /** The demo came on screen or left it: a run in progress pauses off screen and goes on when it is back. */
  readonly visible = (onScreen: boolean): void => {
    this.#onScreen = onScreen;
    if (this.life.active && !this.life.stopRequested) this.#setPaused(!onScreen);
  };

  #setPaused(paused: boolean): void {
    if (this.paused === paused) return;
    this.paused = paused;
    this.pause(this.life.run, paused);
  }
}
