import { describe, expect, it } from 'vitest';
import { quickRunData, validationScope } from './quick-run';

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
