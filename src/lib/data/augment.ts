// Augmentation as geometry: every random crop, flip, rotation, zoom and warp is a 3x3 matrix acting on normalised
// coordinates in [-1, 1] (x right, y down), mapping an OUTPUT position to the INPUT position it samples, as
// PyTorch's affine_grid and fastai do. Composing them gives one matrix per image, so each image is resampled
// once. Plain numbers only: the GPU step turns the matrices into TF.js transforms, tests check the maths.
import type { Rng } from './rng';

export type Mat3 = [number, number, number, number, number, number, number, number, number];

export const identity = (): Mat3 => [1, 0, 0, 0, 1, 0, 0, 0, 1];

/** a · b: applying the result to a point applies b first, then a. */
export function matMul(a: Mat3, b: Mat3): Mat3 {
  const out = new Array(9).fill(0) as Mat3;
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 3; c++)
      for (let k = 0; k < 3; k++) out[r * 3 + c] = out[r * 3 + c]! + a[r * 3 + k]! * b[k * 3 + c]!;
  return out;
}

/** Matrices applied in order: compose(m1, m2, m3) applies m1, then m2, then m3 to a point. */
export function compose(...ms: Mat3[]): Mat3 {
  return ms.reduce((acc, m) => matMul(m, acc), identity());
}

/** The point `m` maps (x, y) to, with the projective division. */
export function applyMat(m: Mat3, x: number, y: number): [number, number] {
  const w = m[6] * x + m[7] * y + m[8];
  return [(m[0] * x + m[1] * y + m[2]) / w, (m[3] * x + m[4] * y + m[5]) / w];
}

export function invert(m: Mat3): Mat3 {
  const [a, b, c, d, e, f, g, h, i] = m;
  const A = e * i - f * h,
    B = -(d * i - f * g),
    C = d * h - e * g;
  const det = a * A + b * B + c * C;
  if (Math.abs(det) < 1e-12) throw new RangeError('matrix is not invertible');
  const inv: Mat3 = [
    A,
    -(b * i - c * h),
    b * f - c * e,
    B,
    a * i - c * g,
    -(a * f - c * d),
    C,
    -(a * h - b * g),
    a * e - b * d,
  ];
  return inv.map((v) => v / det) as Mat3;
}

export const flipMat = (): Mat3 => [-1, 0, 0, 0, 1, 0, 0, 0, 1];

/**
 * Rotation by `deg` degrees as fastai's rotate_mat: [[cos, sin], [-sin, cos]] on (x, y) with y pointing down, so the
 * output position (1, 0) samples the input at angle -deg and a positive angle turns the picture clockwise on screen.
 */
export function rotateMat(deg: number): Mat3 {
  const t = (deg * Math.PI) / 180;
  return [Math.cos(t), Math.sin(t), 0, -Math.sin(t), Math.cos(t), 0, 0, 0, 1];
}

/** Zoom in by `scale` (>= 1) about a centre chosen by (cx, cy) in [0, 1] (0.5 = the middle), like fastai's Zoom. */
export function zoomMat(scale: number, cx = 0.5, cy = 0.5): Mat3 {
  const s = 1 / scale;
  return [s, 0, (1 - s) * (2 * cx - 1), 0, s, (1 - s) * (2 * cy - 1), 0, 0, 1];
}

/** The crop [x0, x1] x [y0, y1] (normalised coordinates) stretched to the whole output. */
export function cropMat(x0: number, y0: number, x1: number, y1: number): Mat3 {
  return [(x1 - x0) / 2, 0, (x1 + x0) / 2, 0, (y1 - y0) / 2, (y1 + y0) / 2, 0, 0, 1];
}

/** The homography taking four source points to four target points (solves the 8x8 system). */
export function homography(src: readonly [number, number][], dst: readonly [number, number][]): Mat3 {
  const A: number[][] = [];
  const bv: number[] = [];
  for (let k = 0; k < 4; k++) {
    const [x, y] = src[k]!;
    const [u, v] = dst[k]!;
    A.push([x, y, 1, 0, 0, 0, -u * x, -u * y]);
    bv.push(u);
    A.push([0, 0, 0, x, y, 1, -v * x, -v * y]);
    bv.push(v);
  }
  // Gaussian elimination with partial pivoting.
  const n = 8;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(A[r]![col]!) > Math.abs(A[pivot]![col]!)) pivot = r;
    [A[col], A[pivot]] = [A[pivot]!, A[col]!];
    [bv[col], bv[pivot]] = [bv[pivot]!, bv[col]!];
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = A[r]![col]! / A[col]![col]!;
      for (let c = col; c < n; c++) A[r]![c]! -= f * A[col]![c]!;
      bv[r]! -= f * bv[col]!;
    }
  }
  const h = bv.map((v, r) => v / A[r]![r]!);
  return [h[0]!, h[1]!, h[2]!, h[3]!, h[4]!, h[5]!, h[6]!, h[7]!, 1];
}

/**
 * fastai's perspective warp (_WarpCoord): the four corners, in (x, y) order, move to target corners where the x
 * magnitude moves their y coordinate and the y magnitude their x coordinate (as fastai's draw_x and draw_y do), and the
 * warp is the homography H with H(target corner) = corner (find_coeffs(orig, targ) solves for exactly that map).
 */
export function warpMat(magX: number, magY: number): Mat3 {
  const corners: [number, number][] = [
    [-1, -1],
    [-1, 1],
    [1, -1],
    [1, 1],
  ];
  const targets: [number, number][] = [
    [-1 - magY, -1 - magX],
    [-1 + magY, 1 + magX],
    [1 + magY, -1 + magX],
    [1 - magY, 1 - magX],
  ];
  return homography(targets, corners);
}

/** fastai's aug_transforms defaults (with RandomResizedCrop's min_scale for presizing). */
export interface AugOptions {
  flip: boolean;
  maxRotate: number;
  minZoom: number;
  maxZoom: number;
  maxWarp: number;
  pAffine: number;
  maxLighting: number;
  pLighting: number;
  /** Smallest share of the image's area a random crop keeps; 1 means no RandomResizedCrop. */
  minScale: number;
  /** The random crop's range of aspect ratios (width / height). */
  cropRatio: [number, number];
}

export const AUG_DEFAULTS: AugOptions = {
  flip: true,
  maxRotate: 10,
  minZoom: 1,
  maxZoom: 1.1,
  maxWarp: 0.2,
  pAffine: 0.75,
  maxLighting: 0.2,
  pLighting: 0.75,
  minScale: 1,
  cropRatio: [1, 1],
};

/** fastai's defaults with a RandomResizedCrop of `minScale`; `augment` false keeps only the crop. */
export function augOptions(minScale: number, augment: boolean): AugOptions {
  return { ...AUG_DEFAULTS, minScale, ...(augment ? {} : { flip: false, pAffine: 0, pLighting: 0 }) };
}

/** The random choices for one image, kept so a demo can show them. */
export interface AugDraw {
  crop: [number, number, number, number];
  flip: boolean;
  rotate: number;
  zoom: number;
  zoomCentre: [number, number];
  warp: [number, number];
  /** Lighting in logit space: added brightness and multiplied contrast (0 and 1 leave the image unchanged). */
  brightness: number;
  contrast: number;
}

export const NO_AUG: AugDraw = {
  crop: [-1, -1, 1, 1],
  flip: false,
  rotate: 0,
  zoom: 1,
  zoomCentre: [0.5, 0.5],
  warp: [0, 0],
  brightness: 0,
  contrast: 1,
};

const logit = (p: number) => Math.log(p / (1 - p));

/** Draws one image's augmentation from `rng` (validation images get NO_AUG instead). */
export function drawAug(rng: Rng, o: AugOptions = AUG_DEFAULTS): AugDraw {
  let crop: AugDraw['crop'] = [-1, -1, 1, 1];
  if (o.minScale < 1) {
    // RandomResizedCrop: area share in [minScale, 1]; aspect ratio log-uniform in `cropRatio` (aug_transforms asks
    // RandomResizedCropGPU for ratio=(1, 1): square crops), clipped to the image. The ratio is drawn even when the
    // range is one value, so every later draw of a seed stays where it was.
    const area = rng.uniform(o.minScale, 1);
    const ratio = Math.exp(rng.uniform(Math.log(o.cropRatio[0]), Math.log(o.cropRatio[1])));
    const w = Math.min(1, Math.sqrt(area * ratio));
    const h = Math.min(1, Math.sqrt(area / ratio));
    const x0 = rng.uniform(0, 1 - w) * 2 - 1;
    const y0 = rng.uniform(0, 1 - h) * 2 - 1;
    crop = [x0, y0, x0 + 2 * w, y0 + 2 * h];
  }
  const flip = o.flip && rng.bernoulli(0.5);
  const rotate = rng.bernoulli(o.pAffine) ? rng.uniform(-o.maxRotate, o.maxRotate) : 0;
  const zoomOn = rng.bernoulli(o.pAffine);
  const zoom = zoomOn ? rng.uniform(o.minZoom, o.maxZoom) : 1;
  const zoomCentre: [number, number] = zoomOn ? [rng.next(), rng.next()] : [0.5, 0.5];
  const warp: [number, number] = rng.bernoulli(o.pAffine)
    ? [rng.uniform(-o.maxWarp, o.maxWarp), rng.uniform(-o.maxWarp, o.maxWarp)]
    : [0, 0];
  const brightness = rng.bernoulli(o.pLighting)
    ? logit(rng.uniform(0.5 * (1 - o.maxLighting), 0.5 * (1 + o.maxLighting)))
    : 0;
  const contrast = rng.bernoulli(o.pLighting)
    ? Math.exp(rng.uniform(Math.log(1 - o.maxLighting), -Math.log(1 - o.maxLighting)))
    : 1;
  return { crop, flip, rotate, zoom, zoomCentre, warp, brightness, contrast };
}

/** One matrix for all the geometry of a draw: output position -> input position, normalised coordinates. */
export function drawMatrix(d: AugDraw): Mat3 {
  // fastai multiplies flip @ rotate @ zoom into one affine matrix, so a point meets the zoom first; its warp then
  // moves the affine grid; the crop finally places the result in the item.
  return compose(
    zoomMat(d.zoom, ...d.zoomCentre),
    rotateMat(d.rotate),
    d.flip ? flipMat() : identity(),
    warpMat(...d.warp),
    cropMat(...d.crop),
  );
}

/** Normalised -> pixel coordinates (pixel centres, align_corners=false), for an image `size` pixels wide. */
const toPixel = (size: number): [number, number] => [size / 2, (size - 1) / 2];

/**
 * The matrix in pixel coordinates: output pixel (x, y) -> input pixel, for an input of inW x inH and an output of
 * outW x outH, scaled so its last entry is 1 (the form tf.image.transform takes, as its first 8 entries).
 */
export function pixelMatrix(m: Mat3, inW: number, inH: number, outW: number, outH: number): Mat3 {
  const [ax, bx] = toPixel(inW);
  const [ay, by] = toPixel(inH);
  const [cx, dx] = toPixel(outW);
  const [cy, dy] = toPixel(outH);
  const denormIn: Mat3 = [ax, 0, bx, 0, ay, by, 0, 0, 1];
  const normOut: Mat3 = [1 / cx, 0, -dx / cx, 0, 1 / cy, -dy / cy, 0, 0, 1];
  const p = matMul(denormIn, matMul(m, normOut));
  return p.map((v) => v / p[8]) as Mat3;
}

/** Reflection padding of a coordinate, as PyTorch's grid_sample(padding_mode='reflection', align_corners=False). */
export function reflect(x: number, size: number): number {
  // Reflect about the image borders at -0.5 and size - 0.5.
  const lo = -0.5;
  const span = size;
  let t = Math.abs(x - lo) % (2 * span);
  if (t > span) t = 2 * span - t;
  return Math.min(size - 1, Math.max(0, t + lo));
}

export interface RgbImage {
  width: number;
  height: number;
  /** Row-major RGB, floats. */
  data: Float32Array;
}

/**
 * Reference resampler (CPU): bilinear, one output per pixel through the pixel matrix. Reflection padding as fastai
 * uses; 'zeros' (black outside the image) is what resampling step by step without presizing does.
 */
export function sampleImage(
  src: RgbImage,
  m: Mat3,
  outW: number,
  outH: number,
  padding: 'reflection' | 'zeros' = 'reflection',
): RgbImage {
  const p = pixelMatrix(m, src.width, src.height, outW, outH);
  const out = new Float32Array(outW * outH * 3);
  const at = (x: number, y: number, c: number) => src.data[(y * src.width + x) * 3 + c]!;
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      const [sx0, sy0] = applyMat(p, x, y);
      if (padding === 'zeros' && (sx0 < -0.5 || sy0 < -0.5 || sx0 > src.width - 0.5 || sy0 > src.height - 0.5))
        continue;
      const sx = reflect(sx0, src.width);
      const sy = reflect(sy0, src.height);
      const x0 = Math.floor(sx),
        y0 = Math.floor(sy);
      const x1 = Math.min(x0 + 1, src.width - 1),
        y1 = Math.min(y0 + 1, src.height - 1);
      const fx = sx - x0,
        fy = sy - y0;
      for (let c = 0; c < 3; c++) {
        const top = at(x0, y0, c) * (1 - fx) + at(x1, y0, c) * fx;
        const bottom = at(x0, y1, c) * (1 - fx) + at(x1, y1, c) * fx;
        out[(y * outW + x) * 3 + c] = top * (1 - fy) + bottom * fy;
      }
    }
  }
  return { width: outW, height: outH, data: out };
}

/** fastai's lighting on pixel values in (0, 1): brightness and contrast applied in logit space. */
export function applyLighting(v: number, brightness: number, contrast: number): number {
  const eps = 1e-6;
  const p = Math.min(1 - eps, Math.max(eps, v));
  const l = logit(p) * contrast + brightness;
  return 1 / (1 + Math.exp(-l));
}
