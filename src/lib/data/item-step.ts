// The item step of presizing: a square crop of the presized image, random on training items, centred on validation.
import type { Rng } from './rng';

export interface CropBox {
  x: number;
  y: number;
  size: number;
}

/** The largest square inside a width x height image: at a random position with `rng`, else centred. */
export function squareCrop(width: number, height: number, rng?: Rng): CropBox {
  const size = Math.min(width, height);
  const slackX = width - size;
  const slackY = height - size;
  return rng
    ? { x: rng.int(slackX + 1), y: rng.int(slackY + 1), size }
    : { x: Math.floor(slackX / 2), y: Math.floor(slackY / 2), size };
}
