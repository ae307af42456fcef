// Our augmentation matrices give fastai's sampling grids for the same drawn parameters. The expected grids were
// computed from fastai 2.7's own formulas (rotate_mat, flip_mat, zoom_mat, _WarpCoord with find_coeffs and
// apply_perspective, composed as AffineCoordTfm does: flip @ rotate @ zoom, then the warp on the grid) in numpy, on a
// 3 x 2 output grid of F.affine_grid (align_corners=False), written out below as numbers.
import { describe, expect, it } from 'vitest';
import { applyMat, compose, drawMatrix, flipMat, NO_AUG, rotateMat, warpMat, zoomMat, type Mat3 } from './augment';

/** F.affine_grid's base points for a W x H output (align_corners=False): (x, y) per pixel, row-major. */
const baseGrid = (w: number, h: number): [number, number][] =>
  Array.from({ length: w * h }, (_, k) => [(2 * (k % w) + 1) / w - 1, (2 * Math.floor(k / w) + 1) / h - 1]);

const grid = (m: Mat3) => baseGrid(3, 2).map(([x, y]) => applyMat(m, x, y));

const FASTAI = {
  rotate30: [
    [-0.82735, -0.099679],
    [-0.25, -0.433013],
    [0.32735, -0.766346],
    [-0.32735, 0.766346],
    [0.25, 0.433013],
    [0.82735, 0.099679],
  ],
  flip: [
    [0.666667, -0.5],
    [0.0, -0.5],
    [-0.666667, -0.5],
    [0.666667, 0.5],
    [0.0, 0.5],
    [-0.666667, 0.5],
  ],
  zoom: [
    [-0.653333, -0.32],
    [-0.12, -0.32],
    [0.413333, -0.32],
    [-0.653333, 0.48],
    [-0.12, 0.48],
    [0.413333, 0.48],
  ],
  warp: [
    [-0.766154, -0.356923],
    [-0.145194, -0.417178],
    [0.625668, -0.491979],
    [-0.723559, 0.54169],
    [-0.160221, 0.574586],
    [0.524133, 0.614548],
  ],
  all: [
    [0.377221, -0.61299],
    [-0.244975, -0.474469],
    [-0.741359, -0.363958],
    [0.583101, 0.405491],
    [-0.112246, 0.431315],
    [-0.657274, 0.451557],
  ],
};

const expectGrid = (got: [number, number][], want: number[][]) =>
  got.forEach(([x, y], i) => {
    expect(x).toBeCloseTo(want[i]![0]!, 5);
    expect(y).toBeCloseTo(want[i]![1]!, 5);
  });

describe("augmentation grids equal fastai's", () => {
  it('rotate 30 degrees (rotate_mat: [[cos, sin], [-sin, cos]])', () =>
    expectGrid(grid(rotateMat(30)), FASTAI.rotate30));
  it('flip (flip_mat)', () => expectGrid(grid(flipMat()), FASTAI.flip));
  it('zoom 1.25 about col_pct 0.2, row_pct 0.7 (zoom_mat)', () =>
    expectGrid(grid(zoomMat(1.25, 0.2, 0.7)), FASTAI.zoom));
  it('warp with draw_x 0.15, draw_y -0.1 (_WarpCoord)', () => expectGrid(grid(warpMat(0.15, -0.1)), FASTAI.warp));
  it('flip, rotate -8, zoom 1.1 at (0.4, 0.6) and warp (0.2, 0.05) in one draw, as drawMatrix composes them', () => {
    const d = {
      ...NO_AUG,
      flip: true,
      rotate: -8,
      zoom: 1.1,
      zoomCentre: [0.4, 0.6] as [number, number],
      warp: [0.2, 0.05] as [number, number],
    };
    expectGrid(grid(drawMatrix(d)), FASTAI.all);
    expectGrid(grid(compose(zoomMat(1.1, 0.4, 0.6), rotateMat(-8), flipMat(), warpMat(0.2, 0.05))), FASTAI.all);
  });
});
