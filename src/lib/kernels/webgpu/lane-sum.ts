// What our reduction programs share: workgroups of LANES threads that each stride over part of the data, then add
// their partial sums through workgroup memory (a tree, log2(LANES) barriers).
import { flatDispatchLayout } from '@tensorflow/tfjs-backend-webgpu/dist/webgpu_util';
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu/dist/webgpu_program';

export const LANES = 256;

/**
 * Lanes for a reduction over `rows` values: enough that each thread adds about 8 of them, a power of two from 32 to
 * LANES. Fewer lanes for few rows leave fewer threads idle and take fewer barriers (log2(lanes)).
 */
export function lanesFor(rows: number): number {
  let lanes = 32;
  while (lanes < LANES && lanes * 8 < rows) lanes *= 2;
  return lanes;
}

/** WGSL: the sum of one value from each of the workgroup's `lanes` threads (a power of two), returned to every thread. */
export const sumAcrossLanes = (lanes: number) => `
  var<workgroup> lanes : array<f32, ${lanes}>;
  fn sumAcrossLanes(v : f32) -> f32 {
    lanes[localIndex] = v;
    workgroupBarrier();
    for (var s = ${lanes / 2}u; s > 0u; s = s >> 1u) {
      if (localIndex < s) {
        lanes[localIndex] = lanes[localIndex] + lanes[localIndex + s];
      }
      workgroupBarrier();
    }
    let total = lanes[0];
    workgroupBarrier();
    return total;
  }`;

export const SUM_ACROSS_LANES = sumAcrossLanes(LANES);

/** A program of `workgroups` workgroups of LANES threads (workgroupId.x says which), writing `outputShape`. */
export abstract class LaneSumProgram implements WebGPUProgram {
  abstract variableNames: string[];
  abstract shaderKey: string;
  abstract uniforms: string;
  workgroupSize: [number, number, number] = [LANES, 1, 1];
  outputShape: number[];
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];

  constructor(outputShape: number[], workgroups: number) {
    this.outputShape = outputShape;
    this.dispatchLayout = flatDispatchLayout(outputShape);
    this.dispatch = [workgroups, 1, 1];
  }

  abstract getUserCode(): string;
}
