// Adam's update on WebGPU: the parameters and both their averages updated in place, two parameters per dispatch
// (one shader binds 8 storage buffers, WebGPU's default limit: each parameter's value, two averages and gradient),
// instead of about fourteen dispatches per parameter (one per TF.js op). Three TF.js programs for a parameter whose
// buffers are shared, which cannot be written in place.
import * as tf from '@tensorflow/tfjs-core';
import { ElementwiseProgram, f32, i32, runProgram, type Uniform } from './flat-program';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { ownsBuffer, runInPlace, type InPlaceShader } from './in-place';
import type { AdamHyper, AdamUpdate } from '../../train/optimizer';

const FIELDS = ['mom', 'oneMinusMom', 'sqrMom', 'oneMinusSqrMom', 'decay', 'stepSize', 'debias2', 'eps'];

/** The in-place update of `count` parameters, each where its own index is in range; one thread per element. */
function adamShader(count: number): InPlaceShader {
  const ks = Array.from({ length: count }, (_, k) => k);
  const field = (k: number) => FIELDS.map((f) => `${f}${k} : f32,`).join(' ') + ` size${k} : i32,`;
  const update = (k: number) => `
    if (i < u.size${k}) {
      let g = g${k}[i];
      let m = u.mom${k} * m${k}[i] + u.oneMinusMom${k} * g;
      let v = u.sqrMom${k} * v${k}[i] + u.oneMinusSqrMom${k} * g * g;
      m${k}[i] = m;
      v${k}[i] = v;
      p${k}[i] = p${k}[i] * u.decay${k} - u.stepSize${k} * m / (sqrt(v / u.debias2${k}) + u.eps${k});
    }`;
  return {
    key: count === 1 ? 'ownAdamInPlace' : `ownAdamInPlace${count}`,
    code: `
  struct Uniforms { ${ks.map(field).join(' ')} };
  ${ks.map((k) => ['p', 'm', 'v'].map((t, j) => `@group(0) @binding(${3 * k + j}) var<storage, read_write> ${t}${k} : array<f32>;`).join('\n  ')).join('\n  ')}
  ${ks.map((k) => `@group(0) @binding(${3 * count + k}) var<storage, read> g${k} : array<f32>;`).join('\n  ')}
  @group(0) @binding(${4 * count}) var<uniform> u : Uniforms;
  @compute @workgroup_size(64)
  fn main(@builtin(global_invocation_id) id : vec3<u32>) {
    let i = i32(id.x);
    ${ks.map(update).join('')}
  }`,
  };
}

const SHADERS = [adamShader(1), adamShader(2)];

/** Most elements one dispatch of 64-thread workgroups covers in one dimension. */
const MAX_IN_PLACE = 65535 * 64;

/** The bias corrections folded into the step: the rate over the first one, and the second one. */
function debiased(h: AdamHyper): { stepSize: number; debias2: number } {
  return { stepSize: h.lr / (1 - h.mom ** h.step), debias2: 1 - h.sqrMom ** h.step };
}

function uniformsOf({ h, p }: AdamUpdate): Uniform[] {
  const { stepSize, debias2 } = debiased(h);
  return [
    f32(h.mom),
    f32(1 - h.mom),
    f32(h.sqrMom),
    f32(1 - h.sqrMom),
    f32(h.decay),
    f32(stepSize),
    f32(debias2),
    f32(h.eps),
    i32(p.size),
  ];
}

/**
 * Applies every update: in place, two parameters per dispatch (paired by size, so a dispatch's threads are mostly
 * busy), where each parameter and its averages own their buffers; the others by assignment from three TF.js programs
 * each (after which they do).
 */
export function adamStepsWebGPU(backend: WebGPUBackend, updates: readonly AdamUpdate[]): void {
  const inPlace = updates.filter(
    (u) => u.p.size <= MAX_IN_PLACE && [u.p, u.gradAvg, u.sqrAvg].every((t) => ownsBuffer(backend, t)),
  );
  for (const u of updates) if (!inPlace.includes(u)) adamByAssignment(backend, u);
  const bySize = [...inPlace].sort((a, b) => b.p.size - a.p.size);
  for (let i = 0; i < bySize.length; i += 2) {
    const batch = bySize.slice(i, i + 2);
    runInPlace(
      backend,
      SHADERS[batch.length - 1]!,
      batch.flatMap((u) => [u.p, u.gradAvg, u.sqrAvg]),
      batch.map((u) => u.g),
      batch.flatMap(uniformsOf),
      batch[0]!.p.size,
    );
  }
}

/** One update from three TF.js programs (averages, then the parameter), assigned to the variables. */
function adamByAssignment(backend: WebGPUBackend, { p, gradAvg, sqrAvg, g, h }: AdamUpdate): void {
  const { stepSize, debias2 } = debiased(h);
  const shape = p.shape;
  const run = (program: ElementwiseProgram, inputs: tf.Tensor[], values: number[]) =>
    runProgram(backend, program, inputs, values.map(f32));
  const m = run(
    new ElementwiseProgram(
      ['m', 'g'],
      'a : f32, b : f32,',
      'uniforms.a * m[index] + uniforms.b * g[index]',
      'ownAdamAvg',
      shape,
    ),
    [gradAvg, g],
    [h.mom, 1 - h.mom],
  );
  const v = run(
    new ElementwiseProgram(
      ['v', 'g'],
      'a : f32, b : f32,',
      'uniforms.a * v[index] + uniforms.b * g[index] * g[index]',
      'ownAdamSqr',
      shape,
    ),
    [sqrAvg, g],
    [h.sqrMom, 1 - h.sqrMom],
  );
  const next = run(
    new ElementwiseProgram(
      ['p', 'm', 'v'],
      'decay : f32, stepSize : f32, debias2 : f32, eps : f32,',
      'p[index] * uniforms.decay - uniforms.stepSize * m[index] / (sqrt(v[index] / uniforms.debias2) + uniforms.eps)',
      'ownAdamParam',
      shape,
    ),
    [p, m, v],
    [h.decay, stepSize, debias2, h.eps],
  );
  gradAvg.assign(m);
  sqrAvg.assign(v);
  p.assign(next);
  tf.dispose([m, v, next]);
}
