// What our WebGPU programs share: running one into a tensor, its uniforms, and the flat layout (one thread per output
// element, 64 to a workgroup, dispatched over the flat output).
import * as tf from '@tensorflow/tfjs-core';
import { computeDispatch, flatDispatchLayout } from '@tensorflow/tfjs-backend-webgpu/dist/webgpu_util';
import { getMainHeaderString as main, type WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu/dist/webgpu_program';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';

/** One uniform value, as TF.js's backend packs them (and our in-place shaders take them). */
export interface Uniform {
  type: string;
  data: number[];
}

export const f32 = (v: number): Uniform => ({ type: 'float32', data: [v] });
export const i32 = (v: number): Uniform => ({ type: 'int32', data: [v] });

/** Runs `program` on the WebGPU backend; its float32 output as a tensor the engine tracks. */
export function runProgram(
  backend: WebGPUBackend,
  program: WebGPUProgram,
  inputs: tf.Tensor[],
  uniforms: Uniform[],
): tf.Tensor {
  return tf.engine().makeTensorFromTensorInfo(backend.runWebGPUProgram(program, inputs, 'float32', uniforms));
}

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

/** out[index] = one WGSL expression of the inputs (named by variableNames, read at [index] or wherever it says). */
export class ElementwiseProgram extends FlatProgram {
  constructor(
    readonly variableNames: string[],
    readonly uniforms: string,
    private readonly expr: string,
    readonly shaderKey: string,
    shape: number[],
  ) {
    super(shape);
  }

  getUserCode(): string {
    return `
    ${main('index')} {
      if (index < uniforms.size) {
        setOutputAtIndex(index, ${this.expr});
      }
    }`;
  }
}
