// The training demos' run/stop/reset glue and their progress, without a worker.
import { describe, expect, it } from 'vitest';
import { RunLifecycle, StoppedError } from './run-lifecycle';
import { RunProgress } from './run-progress';

const never = <T>() => new Promise<T>(() => {});

describe('RunLifecycle', () => {
  it('Stop before the first batch ends the step the run waits for at once and tells the worker which run', async () => {
    const sent: number[] = [];
    const life = new RunLifecycle((run) => sent.push(run));
    let caught: unknown = null;
    const running = life.start(async () => {
      try {
        await life.step(never()); // loading the pack, say: it never ends here
      } catch (e) {
        caught = e;
      }
    });
    await Promise.resolve();
    life.stop();
    await running;
    expect(caught).toBeInstanceOf(StoppedError);
    expect(sent).toEqual([life.run]);
    expect(life.active).toBe(false);
  });
  it('a check between stages throws once stopped; a new run starts unstopped with a new id', async () => {
    const life = new RunLifecycle(() => {});
    let first = 0;
    await life.start(async (run) => {
      first = run;
      life.stop();
      expect(() => life.check()).toThrow(StoppedError);
      await expect(life.step(Promise.resolve(1))).rejects.toBeInstanceOf(StoppedError);
    });
    await life.start(async (run) => {
      expect(run).toBeGreaterThan(first);
      expect(() => life.check()).not.toThrow();
      expect(await life.step(Promise.resolve(2))).toBe(2);
    });
  });
  it('stopAndWait resolves only after the run has ended, so a reset comes last', async () => {
    const life = new RunLifecycle(() => {});
    const said: string[] = [];
    let finish = () => {};
    const running = life.start(async () => {
      await new Promise<void>((r) => (finish = r)); // the batch in progress
      said.push(life.stopRequested ? 'Stopped after 3 batches.' : 'Done.');
    });
    await Promise.resolve();
    const reset = life.stopAndWait().then(() => said.push('Reset.'));
    setTimeout(finish, 5);
    await Promise.all([running, reset]);
    expect(said).toEqual(['Stopped after 3 batches.', 'Reset.']);
  });
});

describe('RunProgress', () => {
  it('moves from the first stage, and gives a time left in all once batches run', () => {
    let t = 0;
    const seen: number[] = [];
    const p = new RunProgress(
      (v) => seen.push(v.fraction),
      () => t,
    );
    p.stage('engine');
    expect(p.view().fraction).toBe(0);
    expect(p.view().words).toContain('known once training starts');
    p.stage('pack', 50, 100);
    const a = p.fraction();
    expect(a).toBeGreaterThan(0);
    p.stage('model');
    expect(p.fraction()).toBeGreaterThan(a);
    p.plan(10);
    expect(p.view().words).toContain('known after the first batch');
    t = 2000;
    p.worked(2); // 1 s a batch, 8 to go
    expect(p.secondsLeft()).toBeCloseTo(8);
    expect(p.view().words).toMatch(/^\d+% done, about 8 s left in all$/);
    p.worked(10);
    expect(p.fraction()).toBe(1);
    expect(seen).toEqual([...seen].sort((x, y) => x - y)); // the bar only moves forward
  });
  it('gives the download its own time left from its rate so far, from the first progress message', () => {
    let t = 0;
    const p = new RunProgress(undefined, () => t);
    p.stage('pack');
    t = 1000;
    p.stage('pack', 1_000_000, 5_000_000); // 1 MB/s so far, 4 MB to go
    expect(p.secondsLeft()).toBeCloseTo(4);
    expect(p.view().words).toMatch(/^\d+% done, about 4 s left for the download$/);
  });
  it('before the first batch uses the cost the worker gives, labelled by its basis, then the measured rate', () => {
    let t = 0;
    const p = new RunProgress(undefined, () => t);
    p.backend = 'wasm';
    p.plan(10, { seconds: 3, basis: 'earlier' });
    expect(p.secondsLeft()).toBeCloseTo(30);
    expect(p.view().words).toBe(
      '17% done, about 30 s left in all (as timed in an earlier run in this browser, until the first batch is timed)',
    );
    t = 1000; // the first batch is still under way
    expect(p.secondsLeft()).toBeCloseTo(29);
    t = 4000;
    p.worked(2); // 2 s a batch here, 8 to go
    expect(p.secondsLeft()).toBeCloseTo(16);
    expect(p.view().words).toMatch(/^\d+% done, about 16 s left in all$/);
    const q = new RunProgress(undefined, () => 0);
    q.backend = 'wasm';
    q.plan(4, { seconds: 1.5, basis: 'guess' });
    expect(q.view().words).toContain('about 6 s left in all (a first guess for wasm, until the first batch is timed)');
    const r = new RunProgress(undefined, () => 0);
    r.plan(4, null);
    expect(r.secondsLeft()).toBeNull();
    expect(r.view().words).toContain('known after the first batch');
  });
});
