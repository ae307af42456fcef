// The layouts that make a convolution's filter gradient one matrix multiply per row of taps (plain arrays, no backend).
//
// Every output position (n, oy, ox) is placed on a grid of Hq x Wq cells per image, at cell (oy, ox); the cells past
// the output (oy >= oh or ox >= ow) hold a zero output gradient. The padded input is split into its stride x stride
// phases (rows and columns s * q + phase), each channel of each phase laid out over the same grid. Tap (i, j) then
// reads, for the output at cell q, the input at cell q + (i div s) * Wq + (j div s) of phase (i mod s, j mod s): the
// same shift for every cell, so the tap's rows of an im2col matrix (channel-major, [C, cells]) are one contiguous
// run of the phase layout, copied in one piece. Where the shift runs past an image's or a channel's end it reads some
// other input value, but only into cells whose output gradient is zero.
//
// dW[i, j, c, :] = sum over cells of columns[(i, j, c), cell] * dyGrid[cell, :], a [taps * C, cells] x [cells, Cout]
// multiply. The grid's extra cells cost (Hq * Wq) / (oh * ow) - 1 more multiply-adds: 8% at 48x48, 36% at 12x12.

export interface TapGrid {
  /** Stride. */
  s: number;
  /** Grid cells per image, down and across: the output plus the taps' reach past it in phase cells. */
  hq: number;
  wq: number;
  /** All cells: n * hq * wq. */
  cells: number;
  /** Input rows (columns) of padding before the first. */
  top: number;
  left: number;
}

export function tapGrid(
  n: number,
  oh: number,
  ow: number,
  kh: number,
  kw: number,
  s: number,
  top: number,
  left: number,
): TapGrid {
  const hq = oh + Math.floor((kh - 1) / s);
  const wq = ow + Math.floor((kw - 1) / s);
  return { s, hq, wq, cells: n * hq * wq, top, left };
}

/** How many values past the phase layout a tap's run may read: the largest shift. */
export const gridTail = (g: TapGrid, kh: number, kw: number): number =>
  Math.floor((kh - 1) / g.s) * g.wq + Math.floor((kw - 1) / g.s);

/** How much larger the grid is than the output: the multiply's wasted share plus one. */
export const gridWaste = (g: TapGrid, oh: number, ow: number): number => (g.hq * g.wq) / (oh * ow);

/**
 * x [n, h, w, c] (NHWC) into `out` as [s * s phases][c][n][hq][wq], zero where the padded input is padding, plus a
 * zero tail. `out` must be zero on entry and at least s * s * c * cells + tail long.
 */
export function writePhases(x: Float32Array, shape: readonly number[], g: TapGrid, out: Float32Array): void {
  const [n, h, w, c] = shape as [number, number, number, number];
  const { s, hq, wq, cells, top, left } = g;
  const channelStride = cells;
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < h; y++) {
      const r = y + top;
      const py = r % s;
      const qy = (r - py) / s;
      if (qy >= hq) continue;
      for (let xx = 0; xx < w; xx++) {
        const col = xx + left;
        const px = col % s;
        const qx = (col - px) / s;
        if (qx >= wq) continue;
        let to = (py * s + px) * c * channelStride + (b * hq + qy) * wq + qx;
        const from = ((b * h + y) * w + xx) * c;
        for (let k = 0; k < c; k++, to += channelStride) out[to] = x[from + k]!;
      }
    }
  }
}

/** dy [n, oh, ow, cout] into `out` as [n, hq, wq, cout], its cells past the output left as they are (zero). */
export function writeGradientGrid(dy: Float32Array, shape: readonly number[], g: TapGrid, out: Float32Array): void {
  const [n, oh, ow, cout] = shape as [number, number, number, number];
  const row = ow * cout;
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < oh; y++) {
      const from = (b * oh + y) * row;
      out.set(dy.subarray(from, from + row), (b * g.hq + y) * g.wq * cout);
    }
  }
}

/** Tap (i, j)'s rows of the im2col matrix, [c, cells]: where its run starts in the phase layout. */
export function tapRunStart(g: TapGrid, c: number, i: number, j: number): number {
  const phase = (i % g.s) * g.s + (j % g.s);
  return phase * c * g.cells + Math.floor(i / g.s) * g.wq + Math.floor(j / g.s);
}

/**
 * The im2col matrix of taps (i0..i0 + rows - 1, every j) without the grid's extra cells: [rows * kw * c, n * oh * ow],
 * row (i, j, ch), column (b, oy, ox), copied row by output row from the phase layout.
 */
export function writeExactColumns(
  phases: Float32Array,
  g: TapGrid,
  dims: { n: number; oh: number; ow: number; c: number; kw: number },
  i0: number,
  rows: number,
  out: Float32Array,
): void {
  const { n, oh, ow, c, kw } = dims;
  const { hq, wq } = g;
  let to = 0;
  for (let i = i0; i < i0 + rows; i++) {
    for (let j = 0; j < kw; j++) {
      const start = tapRunStart(g, c, i, j);
      for (let ch = 0; ch < c; ch++) {
        for (let b = 0; b < n; b++) {
          const image = start + ch * g.cells + b * hq * wq;
          for (let y = 0; y < oh; y++) {
            let from = image + y * wq;
            const end = to + ow;
            while (to < end) out[to++] = phases[from++]!;
          }
        }
      }
    }
  }
}
