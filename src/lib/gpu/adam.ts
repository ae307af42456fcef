// Adam's update for one parameter in three WebGPU dispatches instead of about fourteen (one per TF.js op):
// the gradient average, the squared-gradient average, then the parameter itself. The per-dispatch overhead, not the
// arithmetic, is what a ResNet-S step spends its time on (1,564 kernel calls per step with TF.js ops).
import * as tf from '@tensorflow/tfjs-core';
import { getMainHeaderString as main } from '@tensorflow/tfjs-backend-webgpu/dist/webgpu_program';
import { FlatProgram } from './flat-program';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';

class ElementwiseProgram extends FlatProgram {
  constructor(readonly variableNames: string[], readonly uniforms: string, private readonly expr: string, readonly shaderKey: string, shape: number[]) {
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

export interface AdamHyper {
  lr: number;
  mom: number;
  sqrMom: number;
  eps: number;
  /** 1 - lr * wd for decayed parameters, 1 otherwise. */
  decay: number;
  step: number;
}

/** a * x + b * y in one dispatch (a moving average, say). */
export function axpbyWebGPU(backend: WebGPUBackend, x: tf.Tensor, y: tf.Tensor, a: number, b: number): tf.Tensor {
  const program = new ElementwiseProgram(['x', 'y'], 'a : f32, b : f32,', 'uniforms.a * x[index] + uniforms.b * y[index]', 'ownAxpby', x.shape);
  return tf.engine().makeTensorFromTensorInfo(backend.runWebGPUProgram(program, [x, y], 'float32', [{ type: 'float32', data: [a] }, { type: 'float32', data: [b] }]));
}

/** Updates p, gradAvg and sqrAvg in place (by assignment) from gradient g. */
export function adamStepWebGPU(backend: WebGPUBackend, p: tf.Variable, gradAvg: tf.Variable, sqrAvg: tf.Variable, g: tf.Tensor, h: AdamHyper): void {
  const shape = p.shape;
  const run = (program: ElementwiseProgram, inputs: tf.Tensor[], values: number[]) =>
    tf.engine().makeTensorFromTensorInfo(backend.runWebGPUProgram(program, inputs, 'float32', values.map((v) => ({ type: 'float32', data: [v] }))));
  const m = axpbyWebGPU(backend, gradAvg, g, h.mom, 1 - h.mom);
  const v = run(new ElementwiseProgram(['v', 'g'], 'a : f32, b : f32,', 'uniforms.a * v[index] + uniforms.b * g[index] * g[index]', 'ownAdamSqr', shape), [sqrAvg, g], [h.sqrMom, 1 - h.sqrMom]);
  const stepSize = h.lr / (1 - h.mom ** h.step);
  const debias2 = 1 - h.sqrMom ** h.step;
  const next = run(
    new ElementwiseProgram(['p', 'm', 'v'], 'decay : f32, stepSize : f32, debias2 : f32, eps : f32,', 'p[index] * uniforms.decay - uniforms.stepSize * m[index] / (sqrt(v[index] / uniforms.debias2) + uniforms.eps)', 'ownAdamParam', shape),
    [p, m, v],
    [h.decay, stepSize, debias2, h.eps],
  );
  gradAvg.assign(m);
  sqrAvg.assign(v);
  p.assign(next);
  tf.dispose([m, v, next]);
}
