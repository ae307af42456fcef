// lr_find's edge cases, as fastai 2.7 handles them: the points a NaN leaves, slide at 16 points, too-short sweeps.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { lrFindSuggestions, suggestSlide, suggestValley, trimForSuggestions } from './lr-find';
import { buildResNet, type ResNetConfig } from '../model/resnet-s';
import { Learner } from './learner';
import { syntheticData } from './synthetic-data';

const sweep = (n: number) => Array.from({ length: n }, (_, i) => 1e-7 * 1e8 ** (i / 99));
const falling = (lrs: number[]) => lrs.map((lr, i) => 3 - 0.02 * i + 0.001 * Math.sin(i + Math.log(lr)));

describe('trimForSuggestions', () => {
  it('a NaN at step 61 of 100: fastai suggests from points 10-59 (it runs on and cuts at the NaN), not 10-55', () => {
    // We stop at the first NaN, so 61 points are recorded, the last one NaN.
    const lrs = sweep(61);
    const losses = falling(lrs);
    losses[60] = NaN;
    const t = trimForSuggestions(lrs, losses, 100);
    expect(t.lrs[0]).toBe(lrs[10]);
    expect(t.lrs.at(-1)).toBe(lrs[59]);
    expect(t.lrs).toHaveLength(50);
    expect(t.losses.every(Number.isFinite)).toBe(true);
  });
  it('a NaN after numIt - 5 changes nothing: the usual trim applies', () => {
    const lrs = sweep(98);
    const losses = falling(lrs);
    losses[97] = NaN;
    const t = trimForSuggestions(lrs, losses, 100);
    expect(t.lrs.at(-1)).toBe(lrs[94]);
  });
  it('a sweep stopped at 4x the best trims five from where it stopped', () => {
    const lrs = sweep(70);
    const t = trimForSuggestions(lrs, falling(lrs), 100);
    expect(t.lrs.at(-1)).toBe(lrs[64]);
  });
});

describe('lrFindSuggestions', () => {
  it('slide is computed from exactly 16 points, as fastai computes it', () => {
    // numIt 23: the window is [2, 18), 16 points.
    const lrs = sweep(23);
    const r = lrFindSuggestions(lrs, falling(lrs), 23);
    expect(r.points).toBe(16);
    expect(Number.isFinite(r.lrs.slide)).toBe(true);
    expect(r.lrs.slide).toBe(suggestSlide(lrs.slice(2, 18), falling(lrs).slice(2, 18)).lr);
    expect(r.missing.slide).toBeUndefined();
  });
  it('with 15 points slide says there are not enough, in words', () => {
    const lrs = sweep(22);
    const r = lrFindSuggestions(lrs, falling(lrs), 22);
    expect(r.points).toBe(15);
    expect(r.lrs.slide).toBeNaN();
    expect(r.missing.slide).toMatch(/not enough points: it needs at least 16 after trimming, and the sweep left 15/);
    expect(Number.isFinite(r.lrs.valley)).toBe(true);
  });
  it('a valley run starting at index 0 with too few points to place it gives "not enough points", not NaN silently', () => {
    // Two falling points: the run starts before the first point (fastai would index lrs[-1], the wrong end).
    expect(suggestValley([1e-3, 1e-2], [2, 1]).index).toBe(-1);
    const lrs = [1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 2, 3];
    const losses = [5, 2, 1, 1, 1, 1, 1, 1];
    const r = lrFindSuggestions(lrs, losses, 10); // window [1, 3): losses 2, 1
    expect(r.points).toBe(2);
    expect(r.lrs.valley).toBeNaN();
    expect(r.missing.valley).toMatch(/not enough points/);
    expect(Number.isFinite(r.lrs.minimum)).toBe(true);
    expect(Number.isFinite(r.lrs.steep)).toBe(true);
  });
  it('an empty window: every suggestion missing, each with its reason', () => {
    const lrs = sweep(8);
    const r = lrFindSuggestions(lrs, falling(lrs), 100);
    expect(r.points).toBe(0);
    expect(Object.keys(r.missing).sort()).toEqual(['minimum', 'slide', 'steep', 'valley']);
    for (const v of Object.values(r.lrs)) expect(v).toBeNaN();
  });
});

describe('Learner.lrFind', () => {
  const TINY: ResNetConfig = { widths: [4, 8, 8, 8], blocks: [1, 1, 1, 1], classes: 3 };
  it('gives slide for a 23-step sweep (16 points after trimming)', async () => {
    const learn = new Learner(
      buildResNet(TINY, 1),
      syntheticData({ classes: 3, trainItems: 24, validItems: 6, size: 12, batchSize: 6, seed: 1 }),
    );
    const before = tf.memory().numTensors;
    const r = await learn.lrFind({ startLr: 1e-5, endLr: 1e-2, numIt: 23 });
    expect(r.lrs).toHaveLength(23);
    expect(Number.isFinite(r.suggestions.slide)).toBe(true);
    expect(r.missing).toEqual({});
    expect(tf.memory().numTensors).toBe(before);
  });
});
