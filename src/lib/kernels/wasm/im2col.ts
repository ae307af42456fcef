// The layouts that make a convolution's filter gradient one matrix multiply (plain arrays, no backend).
//
// dW[i, j, c, :] = sum over output positions p of columns[(i, j, c), p] * dy[p, :]: an im2col matrix of the input,
// [taps * C, n * oh * ow], times the output gradient seen as [n * oh * ow, Cout], one XNNPACK multiply. The padded
// input is first split into its stride x stride phases (rows and columns s * q + phase), each channel of each phase
// an image of Hq x Wq cells; tap (i, j) then reads, for output (oy, ox), cell (oy + i div s, ox + j div s) of phase
// (i mod s, j mod s): each row of outputs is a run of consecutive cells, copied in one piece.

export interface TapGrid {
  /** Stride. */
  s: number;
  /** Cells of a phase image, down and across: the output plus the taps' reach past it. */
  hq: number;
  wq: number;
  /** Cells of one channel of one phase, all images: n * hq * wq. */
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

/**
 * Copies one input row's pixels of one column phase into the phase layout: `count` pixels `ps` bytes apart from byte
 * `src`, each pixel's channels (a multiple of 4, `cBytes` bytes) to runs of cells `cs` bytes apart from byte `dst`.
 * Both are addresses in the memory `x` and `out` are views on (./im2col-simd.ts).
 */
export type PhaseGather = (src: number, ps: number, dst: number, cs: number, count: number, cBytes: number) => void;

/**
 * x [n, h, w, c] (NHWC) into `out` as [s * s phases][c][n][hq][wq], zero where the padded input is padding. `out`
 * must be zero on entry and s * s * c * cells long. With `gather`, where c is a multiple of 4, each run is its copy.
 */
export function writePhases(
  x: Float32Array,
  shape: readonly number[],
  g: TapGrid,
  out: Float32Array,
  gather?: PhaseGather,
): void {
  const [n, h, w, c] = shape as [number, number, number, number];
  const { s, hq, wq, cells, top, left } = g;
  const simd = gather && c % 4 === 0 && x.buffer === out.buffer ? gather : null;
  // One input row at a time (it stays in cache), written channel by channel as runs of consecutive cells.
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < h; y++) {
      const r = y + top;
      const py = r % s;
      const qy = (r - py) / s;
      if (qy >= hq) continue;
      const row = (b * h + y) * w * c;
      for (let px = 0; px < s; px++) {
        // The row's pixels of column phase px: xx = x0, x0 + s, ..., at cells qx0, qx0 + 1, ...
        const x0 = (((px - left) % s) + s) % s;
        const qx0 = (x0 + left - px) / s;
        const count = Math.min(Math.ceil((w - x0) / s), wq - qx0);
        if (count <= 0) continue;
        let to = (py * s + px) * c * cells + (b * hq + qy) * wq + qx0;
        const step = s * c;
        if (simd) {
          simd(x.byteOffset + 4 * (row + x0 * c), 4 * step, out.byteOffset + 4 * to, 4 * cells, count, 4 * c);
          continue;
        }
        for (let k = 0; k < c; k++, to += cells) {
          let from = row + x0 * c + k;
          for (let t = 0; t < count; t++, from += step) out[to + t] = x[from]!;
        }
      }
    }
  }
}

/** Where tap (i, j) reads channel 0, image 0, output (0, 0) in the phase layout. */
export function tapRunStart(g: TapGrid, c: number, i: number, j: number): number {
  const phase = (i % g.s) * g.s + (j % g.s);
  return phase * c * g.cells + Math.floor(i / g.s) * g.wq + Math.floor(j / g.s);
}

/** Rows at least this long are copied with one set() call, shorter ones value by value. */
const LONG_ROW = 24;

/**
 * Copies, to byte `dst` onwards, `images` images `imageStride` bytes apart from byte `src`, each `runs` runs of
 * `runBytes` bytes `runStride` bytes apart: one tap's rows of the im2col matrix (./im2col-simd.ts). Addresses in the
 * memory the phase layout and the matrix are views on.
 */
export type RunCopy = (
  src: number,
  dst: number,
  images: number,
  imageStride: number,
  runs: number,
  runStride: number,
  runBytes: number,
) => void;

/**
 * The im2col matrix of taps (i0..i0 + rows - 1, every j): [rows * kw * c, n * oh * ow], row (i, j, ch), column
 * (b, oy, ox), copied output row by output row from the phase layout; with `copy`, one call a tap.
 */
export function writeColumns(
  phases: Float32Array,
  g: TapGrid,
  dims: { n: number; oh: number; ow: number; c: number; kw: number },
  i0: number,
  rows: number,
  out: Float32Array,
  copy?: RunCopy,
): void {
  const { n, oh, ow, c, kw } = dims;
  const { hq, wq } = g;
  let to = 0;
  for (let i = i0; i < i0 + rows; i++) {
    for (let j = 0; j < kw; j++) {
      const start = tapRunStart(g, c, i, j);
      if (copy && phases.buffer === out.buffer) {
        // Channel ch of image b starts at start + (ch n + b) hq wq: c n images, hq wq apart.
        const at = phases.byteOffset + 4 * start;
        copy(at, out.byteOffset + 4 * to, c * n, 4 * hq * wq, oh, 4 * wq, 4 * ow);
        to += c * n * oh * ow;
        continue;
      }
      for (let ch = 0; ch < c; ch++) {
        for (let b = 0; b < n; b++) {
          const image = start + ch * g.cells + b * hq * wq;
          for (let y = 0; y < oh; y++) {
            let from = image + y * wq;
            if (ow >= LONG_ROW) {
              out.set(phases.subarray(from, from + ow), to);
              to += ow;
            } else {
              const end = to + ow;
              while (to < end) out[to++] = phases[from++]!;
            }
          }
        }
      }
    }
  }
}

/**
 * The im2col matrix by pixels, for the forward convolution: row (b, y, x) of `out` [n * oh * ow, kh * kw * c] holds,
 * tap (i, j) after tap, the c channels of input pixel (b, s y + i - top, s x + j - left), zeros where that falls in
 * the padding. NHWC keeps a pixel's channels together, so each tap is one contiguous copy.
 */
export function writePixelRows(
  x: Float32Array,
  [n, h, w, c]: readonly number[],
  g: { oh: number; ow: number; kh: number; kw: number; s: number; top: number; left: number },
  out: Float32Array,
): void {
  const { oh, ow, kh, kw, s, top, left } = g;
  let to = 0;
  for (let b = 0; b < n!; b++)
    for (let y = 0; y < oh; y++)
      for (let xo = 0; xo < ow; xo++)
        for (let i = 0; i < kh; i++) {
          const yi = s * y + i - top;
          for (let j = 0; j < kw; j++, to += c!) {
            const xi = s * xo + j - left;
            if (yi < 0 || yi >= h! || xi < 0 || xi >= w!) out.fill(0, to, to + c!);
            else {
              const from = ((b * h! + yi) * w! + xi) * c!;
              out.set(x.subarray(from, from + c!), to);
            }
          }
        }
}
