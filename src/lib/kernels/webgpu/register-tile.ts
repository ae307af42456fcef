// What our two tiled WebGPU shaders (the filter gradient, and the implicit GEMM of the forward pass and the input
// gradient) write alike: the staged values' WGSL type, and the multiply-adds of a thread's tile of sums.

/** The WGSL type of a staged value, its zero, and the divisor that turns a count of floats into one of values. */
export const stagedValue = (vec4: boolean): [string, string, string] =>
  vec4 ? ['vec4<f32>', 'vec4<f32>(0.0)', ' / 4'] : ['f32', '0.0', ''];

/**
 * The multiply-adds of one term k into a thread's `rows` sums (acc[0 .. rows-1], each a vec4 of output channels):
 * A's values for those rows come 4 at a time from tileA[k][ty * rows/4 + q], times `b`, B's vec4 for term k. Every
 * index into acc is a constant, so a GPU compiler keeps the sums in registers.
 */
export function tileMultiplyAdds(rows: number): string {
  const quads = rows / 4;
  return Array.from({ length: quads }, (_, q) => {
    const a = `tileA[k][ty * ${quads} + ${q}]`;
    return ['x', 'y', 'z', 'w']
      .map((c, i) => `acc[${q * 4 + i}] = acc[${q * 4 + i}] + ${a}.${c} * b;`)
      .join('\n          ');
  }).join('\n          ');
}
