import { describe, expect, it } from 'vitest';
import {
  AUG_DEFAULTS,
  NO_AUG,
  applyLighting,
  applyMat,
  compose,
  cropMat,
  drawAug,
  drawMatrix,
  flipMat,
  identity,
  invert,
  pixelMatrix,
  reflect,
  rotateMat,
  sampleImage,
  warpMat,
  zoomMat,
  type Mat3,
  type RgbImage,
} from './augment';
import { seededRng } from './rng';

const close = (a: readonly number[], b: readonly number[], digits = 9) =>
  a.forEach((x, i) => expect(x).toBeCloseTo(b[i]!, digits));

function testImage(w: number, h: number): RgbImage {
  const data = new Float32Array(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      data[i] = Math.sin(x / 3) * 0.5 + 0.5;
      data[i + 1] = Math.cos(y / 4) * 0.5 + 0.5;
      data[i + 2] = ((x + y) % 7) / 7;
    }
  return { width: w, height: h, data };
}

describe('augmentation matrices', () => {
  it('all-zero parameters give the identity, in normalised and in pixel coordinates', () => {
    close(drawMatrix(NO_AUG), identity());
    close(pixelMatrix(drawMatrix(NO_AUG), 64, 48, 64, 48), identity());
    close(warpMat(0, 0), identity());
    close(zoomMat(1, 0.2, 0.9), identity());
    close(rotateMat(0), identity());
  });
  it('sampling with the identity returns the image exactly', () => {
    const img = testImage(17, 11);
    expect(sampleImage(img, identity(), 17, 11).data).toEqual(img.data);
  });
  it('a flip is exact: pixel x goes to width - 1 - x', () => {
    const img = testImage(9, 5);
    const out = sampleImage(img, flipMat(), 9, 5);
    for (let y = 0; y < 5; y++)
      for (let x = 0; x < 9; x++)
        for (let c = 0; c < 3; c++) {
          expect(out.data[(y * 9 + x) * 3 + c]).toBe(img.data[(y * 9 + (8 - x)) * 3 + c]);
        }
  });
  it("rotation by 90 degrees turns the picture clockwise: the input's top-left corner lands at the top right", () => {
    const p = pixelMatrix(rotateMat(90), 8, 8, 8, 8);
    close(applyMat(p, 7, 0), [0, 0]);
    close(applyMat(p, 0, 0), [0, 7]);
  });
  it('a crop maps the output onto the crop window', () => {
    const m = cropMat(-0.5, 0, 0.5, 1);
    close(applyMat(m, -1, -1), [-0.5, 0]);
    close(applyMat(m, 1, 1), [0.5, 1]);
  });
  it("the warp takes fastai's target corners back to the corners (H(target) = corner, (x, y) order)", () => {
    const w = warpMat(0.1, -0.2);
    // target of corner (x -1, y -1) is (x -1 - magY, y -1 - magX)
    close(applyMat(w, -0.8, -1.1), [-1, -1]);
    close(applyMat(w, 1.2, 0.9), [1, 1]);
  });
  it('composing equals applying the steps one after another (points)', () => {
    const steps: Mat3[] = [
      zoomMat(1.08, 0.3, 0.6),
      rotateMat(7),
      flipMat(),
      warpMat(0.12, -0.05),
      cropMat(-0.8, -0.9, 0.7, 0.6),
    ];
    const all = compose(...steps);
    for (const [x, y] of [
      [0.3, -0.2],
      [-1, 1],
      [0.9, 0.9],
    ] as [number, number][]) {
      const sequential = steps.reduce<[number, number]>((pt, m) => applyMat(m, ...pt), [x, y]);
      close(applyMat(all, x, y), sequential);
    }
    close(matMulRoundTrip(all), identity());
  });
  it('composing equals sequential resampling up to one interpolation (images)', () => {
    const img = testImage(64, 64);
    const a = rotateMat(8);
    const b = zoomMat(1.1, 0.4, 0.5);
    const once = sampleImage(img, compose(a, b), 64, 64);
    const twice = sampleImage(sampleImage(img, b, 64, 64), a, 64, 64);
    let diff = 0;
    let inner = 0;
    for (let y = 8; y < 56; y++)
      for (let x = 8; x < 56; x++)
        for (let c = 0; c < 3; c++) {
          diff += Math.abs(once.data[(y * 64 + x) * 3 + c]! - twice.data[(y * 64 + x) * 3 + c]!);
          inner++;
        }
    expect(diff / inner).toBeLessThan(0.02); // same picture; only the extra interpolation's blur differs
  });
  it('reflection padding mirrors coordinates at the borders', () => {
    expect(reflect(-1, 10)).toBeCloseTo(0);
    expect(reflect(10, 10)).toBeCloseTo(9);
    expect(reflect(4.5, 10)).toBeCloseTo(4.5);
  });
  it('random draws respect fastai defaults and are reproducible', () => {
    const rng = seededRng(42);
    const draws = Array.from({ length: 2000 }, () => drawAug(rng, { ...AUG_DEFAULTS, minScale: 0.75 }));
    for (const d of draws) {
      expect(Math.abs(d.rotate)).toBeLessThanOrEqual(10);
      expect(d.zoom).toBeGreaterThanOrEqual(1);
      expect(d.zoom).toBeLessThanOrEqual(1.1);
      const [x0, y0, x1, y1] = d.crop;
      expect(x0).toBeGreaterThanOrEqual(-1 - 1e-9);
      expect(x1).toBeLessThanOrEqual(1 + 1e-9);
      expect(((x1 - x0) * (y1 - y0)) / 4).toBeGreaterThanOrEqual(0.75 - 1e-9);
      // aug_transforms' crops are square (RandomResizedCropGPU with ratio=(1, 1))
      expect(x1 - x0).toBeCloseTo(y1 - y0, 12);
      expect(y0).toBeGreaterThanOrEqual(-1 - 1e-9);
    }
    const flips = draws.filter((d) => d.flip).length / draws.length;
    const rotated = draws.filter((d) => d.rotate !== 0).length / draws.length;
    expect(flips).toBeGreaterThan(0.45);
    expect(flips).toBeLessThan(0.55);
    expect(rotated).toBeGreaterThan(0.7);
    expect(rotated).toBeLessThan(0.8);
    expect(drawAug(seededRng(7))).toEqual(drawAug(seededRng(7)));
  });
  it('lighting with neutral parameters leaves pixels alone, and brightness brightens', () => {
    expect(applyLighting(0.3, 0, 1)).toBeCloseTo(0.3, 6);
    expect(applyLighting(0.3, 0.5, 1)).toBeGreaterThan(0.3);
    expect(applyLighting(0.8, 0, 2)).toBeGreaterThan(0.8);
  });
});

function matMulRoundTrip(m: Mat3): Mat3 {
  return compose(m, invert(m));
}
