// The presizing comparison: fastai's way (one composed resample of the big presized item) against resampling each
// step separately at the final size, black outside the image. Plain numbers in, images and counts out.
import { compose, cropMat, rotateMat, sampleImage, warpMat, zoomMat, type RgbImage } from './augment';

export interface PresizeParams {
  rotate: number;
  zoom: number;
  warp: number;
  /** Area share of a centred crop (the RandomResizedCrop part, here fixed). */
  scale: number;
  size: number;
}

export interface Comparison {
  fastai: RgbImage;
  naive: RgbImage;
  /** Resamplings each way did at the final size. */
  fastaiInterpolations: number;
  naiveInterpolations: number;
  /** Mean absolute difference between the two, 0..1. */
  meanDifference: number;
}

const centredCrop = (scale: number) => {
  const h = Math.sqrt(Math.min(1, Math.max(0.01, scale)));
  return cropMat(-h, -h, h, h);
};

/** `item` is the square item (the item step's crop of the presized image). */
export function comparePresizing(item: RgbImage, p: PresizeParams): Comparison {
  const steps = [zoomMat(p.zoom), rotateMat(p.rotate), warpMat(p.warp, p.warp / 2), centredCrop(p.scale)];
  const fastai = sampleImage(item, compose(...steps), p.size, p.size, 'reflection');
  // Step by step: first down to the final size (with the crop), then each augmentation resampled on its own, in the
  // order that gives the same geometry as the composed matrix.
  let naive = sampleImage(item, centredCrop(p.scale), p.size, p.size, 'zeros');
  let count = 1;
  for (const m of [warpMat(p.warp, p.warp / 2), rotateMat(p.rotate), zoomMat(p.zoom)]) {
    naive = sampleImage(naive, m, p.size, p.size, 'zeros');
    count++;
  }
  let diff = 0;
  for (let i = 0; i < fastai.data.length; i++) diff += Math.abs(fastai.data[i]! - naive.data[i]!);
  return {
    fastai,
    naive,
    fastaiInterpolations: 1,
    naiveInterpolations: count,
    meanDifference: diff / fastai.data.length,
  };
}
