// What our WebGPU programs share: one thread per output element, 64 to a workgroup, dispatched over the flat output.
import { computeDispatch, flatDispatchLayout } from '@tensorflow/tfjs-backend-webgpu/dist/webgpu_util';
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu/dist/webgpu_program';

export abstract class FlatProgram implements WebGPUProgram {
  abstract variableNames: string[];
  abstract uniforms: string;
  abstract shaderKey: string;
  workgroupSize: [number, number, number] = [64, 1, 1];
  size = true;
  outputShape: number[];
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];

  constructor(outputShape: number[]) {
    this.outputShape = outputShape;
    this.dispatchLayout = flatDispatchLayout(outputShape);
    this.dispatch = computeDispatch(this.dispatchLayout, outputShape, this.workgroupSize);
  }

  abstract getUserCode(): string;
}
