import { describe, expect, it } from 'vitest';
import { packOptionsFor, quickRunData, validationScope } from './quick-run';

describe('quick runs fit their batch to the images chosen', () => {
  it('16 images at batch 32 train in one batch of 16, and say why', () => {
    const q = quickRunData(32, 400, 93, 16);
    expect(q.batchSize).toBe(16);
    expect(Math.floor(q.train / q.batchSize)).toBe(1);
    expect(q.note).toBe('batch size 16, not 32: the 16 training images chosen are fewer than one batch of 32');
    expect(q).toMatchObject({ train: 16, valid: 16, validTotal: 93 });
  });
  it('keeps the batch asked for when the images make at least one batch', () => {
    expect(quickRunData(32, 400, 93, 64)).toEqual({ batchSize: 32, train: 64, valid: 32, validTotal: 93, note: '' });
    expect(quickRunData(8, 400, 93, 16)).toMatchObject({ batchSize: 8, valid: 8, note: '' });
  });
  it('all images: the whole validation set; a limit above the pack uses the pack', () => {
    expect(quickRunData(32, 400, 93)).toEqual({ batchSize: 32, train: 400, valid: 93, validTotal: 93, note: '' });
    expect(quickRunData(32, 20, 5, 1024)).toMatchObject({ batchSize: 20, train: 20, valid: 5 });
  });
  it('names the share of the validation set', () => {
    expect(validationScope(32, 93)).toBe('on 32 of 93 validation images');
    expect(validationScope(93, 93)).toBe('on all 93 validation images');
  });
});

describe('packOptionsFor', () => {
  it('turns a quick run into pack options: the fitted batch, a quarter as many validation images', () => {
    const { quick, options } = packOptionsFor({ batchSize: 32, size: 64, seed: 7, maxTrain: 16 }, 400, 93, 1024);
    expect(quick.batchSize).toBe(16);
    expect(options).toEqual({
      batchSize: 16,
      size: 64,
      minScale: 0.75,
      augment: true,
      seed: 7,
      maxTrain: 16,
      maxValid: 16,
      cacheBytes: 1024,
    });
    expect(packOptionsFor({ batchSize: 8, size: 64, seed: 7, maxTrain: 100 }, 400, 93, 0).options.maxValid).toBe(25);
  });
  it('without a limit every image of both splits', () => {
    expect(packOptionsFor({ batchSize: 32, size: 96, seed: 42 }, 400, 93, 0).options).toMatchObject({
      batchSize: 32,
      maxTrain: undefined,
      maxValid: undefined,
    });
  });
});
