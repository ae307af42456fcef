// The session's pause gate: a paused run's training waits between batches until it is resumed or stopped.
import { describe, expect, it } from 'vitest';
import { Session } from './session';

const settled = async (p: Promise<void>) => {
  let done = false;
  void p.then(() => (done = true));
  for (let i = 0; i < 5; i++) await Promise.resolve();
  return done;
};

describe('Session pause', () => {
  it('holds the run in progress while paused, and lets it go on resume or stop', async () => {
    const s = new Session(() => {});
    s.activeRun = 1;
    expect(await settled(s.whilePaused())).toBe(true);
    s.pause(1, true);
    s.pause(2, true); // another run's pause does not hold this one once it is resumed
    const held = s.whilePaused();
    expect(await settled(held)).toBe(false);
    s.pause(1, false);
    expect(await settled(held)).toBe(true);
    s.pause(1, true);
    const again = s.whilePaused();
    expect(await settled(again)).toBe(false);
    s.stop(1);
    expect(await settled(again)).toBe(true);
    expect(s.isStopped(1)).toBe(true);
    // A stopped run cannot be paused again.
    s.pause(1, true);
    expect(await settled(s.whilePaused())).toBe(true);
  });
});
