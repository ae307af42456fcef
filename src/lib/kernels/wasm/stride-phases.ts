// A strided convolution's input gradient, split by phase. Along one axis, input position y = s*a + r (r the phase,
// 0..s-1) receives only the filter taps t with t = (r + pad) mod s, mod s: a stride-1 correlation of the output
// gradient with that subset of taps, turned around. So the gradient of a stride-s convolution is s x s stride-1
// convolutions, each with 1/s^2 of the taps, and no multiplies by the zeros a dilated gradient would hold.
// Pure arithmetic, one axis at a time; the wasm kernel applies it to height and width.

export interface Phase {
  /** Taps of the filter this phase uses (0: the phase gets no gradient, its positions are all zero). */
  taps: number;
  /** First of them in the filter turned 180 degrees; they follow every `stride` taps from there. */
  flippedBegin: number;
  /** Rows of the output gradient to read: [first, first + count). */
  first: number;
  count: number;
  /** Zero rows before and after them, so the correlation yields `length` positions. */
  padBefore: number;
  padAfter: number;
}

/**
 * The phases of one axis: input size `size`, output gradient size `outSize`, stride `stride`, padding `pad` before
 * the first input position, filter size `k`. Every phase yields ceil(size / stride) positions (the last of a phase
 * may fall past the input, to be cut after the phases are interleaved).
 */
export function stridePhases(
  size: number,
  outSize: number,
  stride: number,
  pad: number,
  k: number,
): { length: number; phases: Phase[] } {
  const length = Math.ceil(size / stride);
  const phases: Phase[] = [];
  for (let r = 0; r < stride; r++) {
    const t0 = (((r + pad) % stride) + stride) % stride;
    const taps = t0 < k ? Math.ceil((k - t0) / stride) : 0;
    // Input position s*a + r reads the output gradient at a + c - j for tap t0 + s*j.
    const c = (r + pad - t0) / stride;
    const start = c - (taps - 1);
    const end = length - 1 + c;
    const first = Math.max(0, start);
    const last = Math.min(end, outSize - 1);
    if (taps === 0 || last < first) {
      phases.push({ taps: 0, flippedBegin: 0, first: 0, count: 0, padBefore: 0, padAfter: 0 });
      continue;
    }
    phases.push({
      taps,
      flippedBegin: k - 1 - t0 - stride * (taps - 1),
      first,
      count: last - first + 1,
      padBefore: first - start,
      padAfter: end - last,
    });
  }
  return { length, phases };
}
