// Adam's update for one parameter in one WebGPU dispatch instead of about fourteen (one per TF.js op), updating the
// parameter and both averages in place; three TF.js programs when that is not possible. The per-dispatch overhead,
// not the arithmetic, is what a ResNet-S step spends its time on (1,564 kernel calls per step with TF.js ops).
import * as tf from '@tensorflow/tfjs-core';
import { ElementwiseProgram } from './flat-program';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { ownsBuffer, runInPlace, type InPlaceShader } from './in-place';

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

const ADAM_IN_PLACE: InPlaceShader = {
  key: 'ownAdamInPlace',
  code: `
  struct Uniforms { mom : f32, oneMinusMom : f32, sqrMom : f32, oneMinusSqrMom : f32, decay : f32, stepSize : f32, debias2 : f32, eps : f32, size : i32, };
  @group(0) @binding(0) var<storage, read_write> p : array<f32>;
  @group(0) @binding(1) var<storage, read_write> m : array<f32>;
  @group(0) @binding(2) var<storage, read_write> v : array<f32>;
  @group(0) @binding(3) var<storage, read> g : array<f32>;
  @group(0) @binding(4) var<uniform> u : Uniforms;
  @compute @workgroup_size(64)
  fn main(@builtin(global_invocation_id) id : vec3<u32>) {
    let i = i32(id.x);
    if (i >= u.size) {
      return;
    }
    let gi = g[i];
    let mi = u.mom * m[i] + u.oneMinusMom * gi;
    let vi = u.sqrMom * v[i] + u.oneMinusSqrMom * gi * gi;
    m[i] = mi;
    v[i] = vi;
    p[i] = p[i] * u.decay - u.stepSize * mi / (sqrt(vi / u.debias2) + u.eps);
  }`,
};

/** Most elements one dispatch of 64-thread workgroups covers in one dimension. */
const MAX_IN_PLACE = 65535 * 64;

/**
 * Updates p, gradAvg and sqrAvg from gradient g: in place in one dispatch when each owns its buffer, else by
 * assignment from three TF.js programs (after which they do).
 */
export function adamStepWebGPU(backend: WebGPUBackend, p: tf.Variable, gradAvg: tf.Variable, sqrAvg: tf.Variable, g: tf.Tensor, h: AdamHyper): void {
  const stepSize = h.lr / (1 - h.mom ** h.step);
  const debias2 = 1 - h.sqrMom ** h.step;
  if (p.size <= MAX_IN_PLACE && [p, gradAvg, sqrAvg].every((t) => ownsBuffer(backend, t))) {
    const f = (v: number) => ({ type: 'float32', data: [v] });
    const uniforms = [f(h.mom), f(1 - h.mom), f(h.sqrMom), f(1 - h.sqrMom), f(h.decay), f(stepSize), f(debias2), f(h.eps), { type: 'int32', data: [p.size] }];
    runInPlace(backend, ADAM_IN_PLACE, [p, gradAvg, sqrAvg], [g], uniforms, p.size);
    return;
  }
  const shape = p.shape;
  const run = (program: ElementwiseProgram, inputs: tf.Tensor[], values: number[]) =>
    tf.engine().makeTensorFromTensorInfo(backend.runWebGPUProgram(program, inputs, 'float32', values.map((v) => ({ type: 'float32', data: [v] }))));
  const m = axpbyWebGPU(backend, gradAvg, g, h.mom, 1 - h.mom);
  const v = run(new ElementwiseProgram(['v', 'g'], 'a : f32, b : f32,', 'uniforms.a * v[index] + uniforms.b * g[index] * g[index]', 'ownAdamSqr', shape), [sqrAvg, g], [h.sqrMom, 1 - h.sqrMom]);
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
