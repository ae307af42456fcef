import { describe, expect, it } from 'vitest';
import { comparePresizing } from './presize-compare';
import type { RgbImage } from './augment';

/** A test picture; `period` sets how fine its detail is, in pixels. */
function item(size: number, period = 12): RgbImage {
  const data = new Float32Array(size * size * 3);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const k = (y * size + x) * 3;
      data[k] = 0.5 + 0.4 * Math.sin((2 * Math.PI * x) / period);
      data[k + 1] = 0.5 + 0.4 * Math.cos((2 * Math.PI * y) / period);
      data[k + 2] = 0.5 + 0.4 * Math.sin((2 * Math.PI * (x + y)) / period);
    }
  return { width: size, height: size, data };
}

function centreDifference(a: RgbImage, b: RgbImage): number {
  let d = 0;
  let n = 0;
  for (let y = 24; y < 40; y++)
    for (let x = 24; x < 40; x++)
      for (let c = 0; c < 3; c++) {
        d += Math.abs(a.data[(y * 64 + x) * 3 + c]! - b.data[(y * 64 + x) * 3 + c]!);
        n++;
      }
  return d / n;
}

describe('presizing comparison', () => {
  it('with neutral parameters both ways give the same image', () => {
    const r = comparePresizing(item(80), { rotate: 0, zoom: 1, warp: 0, scale: 1, size: 40 });
    expect(r.meanDifference).toBeLessThan(1e-6);
  });
  const params = { rotate: 25, zoom: 1.2, warp: 0.2, scale: 0.75, size: 64 };
  it('fastai resamples once, step by step resamples four times, leaving black corners and losing detail', () => {
    const r = comparePresizing(item(160), params);
    expect(r.fastaiInterpolations).toBe(1);
    expect(r.naiveInterpolations).toBe(4);
    const corner = (img: RgbImage) => img.data[0]! + img.data[1]! + img.data[2]!;
    expect(corner(r.naive)).toBe(0);
    expect(corner(r.fastai)).toBeGreaterThan(0);
    expect(r.meanDifference).toBeGreaterThan(centreDifference(r.fastai, r.naive));
  });
  it('both ways agree on the geometry: on a smooth picture their centres match; fine detail is what gets lost', () => {
    const smooth = comparePresizing(item(160, 80), params);
    const fine = comparePresizing(item(160, 8), params);
    expect(centreDifference(smooth.fastai, smooth.naive)).toBeLessThan(0.02);
    expect(centreDifference(fine.fastai, fine.naive)).toBeGreaterThan(
      3 * centreDifference(smooth.fastai, smooth.naive),
    );
  });
});
