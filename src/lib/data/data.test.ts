import { describe, expect, it } from 'vitest';
import { baseName, petLabel, regexLabel, vocabOf, PETS_LABEL_PATTERN } from './labellers';
import { randomSplit, splitBy } from './splitters';
import { seededRng, shuffled } from './rng';
import { squareCrop } from './item-step';
import { countsOf, imageBytes, parseManifest, type PackManifest } from './manifest';
import { CATS, DOGS } from '../../testing/pet-breeds';

describe('pets labeller', () => {
  it('labels all 37 breeds with their species', () => {
    for (const breed of CATS) expect(petLabel(`images/${breed}_123.jpg`)).toEqual({ breed, species: 'cat' });
    for (const breed of DOGS) expect(petLabel(`/data/images/${breed}_7.jpg`)).toEqual({ breed, species: 'dog' });
    expect(CATS.length + DOGS.length).toBe(37);
  });
  it('takes everything before the last _number, and rejects names the rule does not match', () => {
    expect(petLabel('great_pyrenees_173.jpg')?.breed).toBe('great_pyrenees');
    expect(petLabel('Abyssinian_100.mat')).toBeNull();
    expect(petLabel('README.txt')).toBeNull();
    expect(petLabel('beagle.jpg')).toBeNull();
    expect(regexLabel('a\\b\\Birman_4.jpg', PETS_LABEL_PATTERN)).toBe('Birman');
    expect(baseName('x/y/z.jpg')).toBe('z.jpg');
  });
  it('orders the vocabulary by code point: cat breeds (upper case) first', () => {
    const vocab = vocabOf([...DOGS, ...CATS].reverse().flatMap((b) => [b, b]));
    expect(vocab).toHaveLength(37);
    expect(vocab.slice(0, 12)).toEqual(CATS);
    expect(vocab.slice(12)).toEqual(DOGS);
    expect(vocabOf(['b', 'B', 'a', 'A_'])).toEqual(['A_', 'B', 'a', 'b']);
  });
});

describe('splitters', () => {
  it('random split: 20% valid, disjoint, complete, same every time for seed 42', () => {
    const a = randomSplit(7390, 0.2, 42);
    expect(a.valid).toHaveLength(1478);
    expect(a.train).toHaveLength(5912);
    expect(new Set([...a.train, ...a.valid]).size).toBe(7390);
    expect(randomSplit(7390, 0.2, 42)).toEqual(a);
    expect(randomSplit(7390, 0.2, 43).valid).not.toEqual(a.valid);
  });
  it('rejects an impossible valid share', () => {
    expect(() => randomSplit(10, 1)).toThrow(RangeError);
  });
  it('official split follows the predicate', () => {
    expect(splitBy(5, (i) => i % 2 === 1)).toEqual({ train: [0, 2, 4], valid: [1, 3] });
  });
  it('the generator is seeded and uniform enough', () => {
    const r = seededRng(1);
    const xs = Array.from({ length: 20000 }, () => r.next());
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(xs.reduce((a, b) => a + b) / xs.length).toBeCloseTo(0.5, 1);
    expect(shuffled([1, 2, 3, 4], seededRng(5))).toEqual(shuffled([1, 2, 3, 4], seededRng(5)));
  });
});

describe('item step', () => {
  it('centre-crops validation items and keeps random crops inside the image', () => {
    expect(squareCrop(300, 200)).toEqual({ x: 50, y: 0, size: 200 });
    expect(squareCrop(160, 241)).toEqual({ x: 0, y: 40, size: 160 });
    const rng = seededRng(3);
    for (let i = 0; i < 200; i++) {
      const c = squareCrop(300, 200, rng);
      expect(c.x).toBeGreaterThanOrEqual(0);
      expect(c.x + c.size).toBeLessThanOrEqual(300);
      expect(c.y).toBe(0);
    }
  });
});

describe('manifest', () => {
  const good = (): PackManifest => ({
    version: 1,
    dataset: 'pets',
    size: 4,
    classes: ['A', 'b'],
    created: '',
    source: 'test',
    split: { kind: 'random', validPct: 0.2, seed: 42 },
    shards: [{ file: 'shard-000.bin', bytes: 10 }],
    images: [
      { shard: 0, offset: 0, length: 4, width: 4, height: 6, label: 0, split: 'train', name: 'A_1.jpg' },
      { shard: 0, offset: 4, length: 6, width: 5, height: 4, label: 1, split: 'valid', name: 'b_2.jpg' },
    ],
  });
  it('accepts a good manifest and finds image bytes in the shards', () => {
    const m = parseManifest(JSON.parse(JSON.stringify(good())));
    const shard = Uint8Array.from({ length: 10 }, (_, i) => i);
    expect([...imageBytes(m, [shard], 1)]).toEqual([4, 5, 6, 7, 8, 9]);
    expect(countsOf(m)).toEqual({
      perClass: { A: { train: 1, valid: 0 }, b: { train: 0, valid: 1 } },
      train: 1,
      valid: 1,
    });
  });
  it('names the problem in a bad manifest', () => {
    const outside = good();
    outside.images[1]!.length = 7;
    expect(() => parseManifest(outside)).toThrow(/b_2.jpg\) lies outside its shard/);
    const label = good();
    label.images[0]!.label = 2;
    expect(() => parseManifest(label)).toThrow(/label 2/);
    expect(() => parseManifest({ ...good(), version: 2 })).toThrow(/version 2/);
    expect(() => parseManifest({ ...good(), shards: [{ file: '../x', bytes: 10 }] })).toThrow(/shard 0/);
    expect(() => parseManifest(null)).toThrow(/not an object/);
  });
});
