import { describe, expect, it } from 'vitest';
import { summarize } from './summary';
import { PETS_LABEL_PATTERN } from './labellers';

const items = [
  { name: 'Birman_42.jpg', width: 500, height: 375 },
  { name: 'pug_7.jpg', width: 375, height: 500 },
  { name: 'pug_8.jpg', width: 240, height: 160 },
];
const spec = {
  labelPattern: PETS_LABEL_PATTERN,
  classes: ['Birman', 'pug'],
  itemSize: 460,
  finalSize: 224,
  batchSize: 3,
};

describe('DataBlock summary', () => {
  it('walks one item through every step with its shape, and collates a batch', () => {
    const s = summarize(items, spec);
    expect(s.error).toBeNull();
    expect(s.steps.map((x) => x.step)).toEqual([
      'get_items',
      'get_y: /(.+)_\\d+.jpg$/',
      'Categorize',
      'decode image',
      'item step: square crop to 460',
      'to tensor (uint8)',
      'collate 3 items',
      'to float, / 255',
      'batch step: aug_transforms(size=224)',
    ]);
    expect(s.steps[2]!.result).toBe('Birman -> 0');
    expect(s.steps[3]!.shape).toEqual([375, 500, 3]);
    expect(s.steps[6]!.shape).toEqual([3, 460, 460, 3]);
    expect(s.steps.at(-1)!.shape).toEqual([3, 224, 224, 3]);
  });
  it('without an item resize, collating differently sized images fails with the shapes named', () => {
    const s = summarize(items, { ...spec, itemSize: null });
    expect(s.steps.at(-1)!.step).toBe('to tensor (uint8)');
    expect(s.error).toBe(
      'Cannot collate a batch: items must all have the same shape to be stacked, but item 0 (Birman_42.jpg) is [375, 500, 3] and item 1 (pug_7.jpg) is [500, 375, 3]. Add an item step that gives every item the same size (a square crop), as presizing does.',
    );
  });
  it('a batch of one needs no resize', () => {
    expect(summarize(items, { ...spec, itemSize: null, batchSize: 1 }).error).toBeNull();
  });
  it('says when the label rule does not match', () => {
    expect(summarize([{ name: 'cat.png', width: 1, height: 1 }], spec).error).toMatch(/does not match "cat.png"/);
  });
});
