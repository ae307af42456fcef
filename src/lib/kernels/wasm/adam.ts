// Adam's update on TF.js's wasm backend in one pass over each parameter, instead of about fourteen TF.js kernel calls
// per parameter (each a pass and a new tensor; about 1,000 small calls a ResNet-S step). The two averages are updated
// in place in the wasm heap, where they are the sole owners of their memory (a clone, such as lr_find's snapshot,
// shares it and must not change; otherwise all is assigned from TF.js ops, after which they own theirs). The
// parameter itself always gets a new tensor: XNNPACK keeps a packed copy of a convolution's filter (and a matrix
// multiply's weights) for as long as its tensor lives, so a filter changed in place would go on being used unchanged.
// The maths is the optimizer's (../../train/optimizer.ts) and our WebGPU kernel's. The pass itself is our SIMD wasm
// module (./adam-simd.ts), on TF.js's memory, writing the new parameter straight into a tensor of TF.js's; where
// WebAssembly SIMD is missing, the same loop in JavaScript.
import * as tf from '@tensorflow/tfjs-core';
import type { AdamUpdate } from '../../train/optimizer';
import { adamOn } from './adam-simd';
import { heapAddress, wasmMemoryOf } from './wasm-memory';

/** The parts of TF.js's wasm backend (4.x) this uses. */
interface WasmInternals {
  dataIdMap: { get(dataId: object): { refCount: number } | undefined };
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
}

function owns(b: WasmInternals, t: tf.Tensor): boolean {
  return t.dtype === 'float32' && b.dataIdMap.get(t.dataId)?.refCount === 1;
}

/** Applies every update: the averages in place where their memory is owned, by assignment from TF.js ops otherwise. */
export function adamStepsWasm(backend: tf.KernelBackend, updates: readonly AdamUpdate[]): void {
  const b = backend as unknown as WasmInternals;
  const memory = wasmMemoryOf(backend);
  const simd = memory && adamOn(memory);
  const at = (t: tf.TensorInfo) => heapAddress(backend, t);
  for (const u of updates) {
    const { p, gradAvg, sqrAvg, g, h } = u;
    const stepSize = h.lr / (1 - h.mom ** h.step);
    const debias2 = 1 - h.sqrMom ** h.step;
    if (![gradAvg, sqrAvg].every((t) => owns(b, t)) || p.dtype !== 'float32' || g.dtype !== 'float32') {
      byAssignment(u, stepSize, debias2);
      continue;
    }
    if (simd) {
      const out = b.makeOutput([...p.shape], 'float32');
      simd(
        { p: at(p), g: at(g), m: at(gradAvg), v: at(sqrAvg), out: at(out), n: p.size },
        { mom: h.mom, sqrMom: h.sqrMom, stepSize, debias2, eps: h.eps, decay: h.decay },
      );
      const value = tf.engine().makeTensorFromTensorInfo(out);
      p.assign(value);
      value.dispose();
      continue;
    }
    // Views taken together, with nothing allocated in between (a growing wasm memory would detach them).
    const pv = b.typedArrayFromHeap(p);
    const m = b.typedArrayFromHeap(gradAvg);
    const v = b.typedArrayFromHeap(sqrAvg);
    const gv = b.typedArrayFromHeap(g);
    const next = new Float32Array(pv.length);
    const { mom, sqrMom, eps, decay } = h;
    const a1 = 1 - mom;
    const a2 = 1 - sqrMom;
    for (let i = 0; i < pv.length; i++) {
      const gi = gv[i]!;
      const mi = mom * m[i]! + a1 * gi;
      const vi = sqrMom * v[i]! + a2 * gi * gi;
      m[i] = mi;
      v[i] = vi;
      next[i] = pv[i]! * decay - (stepSize * mi) / (Math.sqrt(vi / debias2) + eps);
    }
    const value = tf.tensor(next, p.shape, 'float32');
    p.assign(value);
    value.dispose();
  }
}

function byAssignment({ p, gradAvg, sqrAvg, g, h }: AdamUpdate, stepSize: number, debias2: number): void {
  tf.tidy(() => {
    const m = tf.add(tf.mul(gradAvg, h.mom), tf.mul(g, 1 - h.mom));
    const v = tf.add(tf.mul(sqrAvg, h.sqrMom), tf.mul(tf.square(g), 1 - h.sqrMom));
    const next = tf.sub(tf.mul(p, h.decay), tf.mul(tf.div(m, tf.add(tf.sqrt(tf.div(v, debias2)), h.eps)), stepSize));
    gradAvg.assign(m);
    sqrAvg.assign(v);
    p.assign(next);
  });
}
