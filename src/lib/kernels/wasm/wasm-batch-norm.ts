// Training-mode BatchNorm on TF.js's wasm backend in five passes over the activation (three forward, two backward),
// our SIMD module's (./batch-norm-simd.ts), instead of about twenty TF.js kernel calls, each a pass on one thread.
// The maths and the gradient are ../../model/batch-norm-ops.ts's; the per-channel arithmetic (C values) is done
// here, in float64. Where the module cannot run (no SIMD, channels not a multiple of 4) that file's ops run instead.
import * as tf from '@tensorflow/tfjs-core';
import { trainBatchNormOps, type TrainBatchNorm } from '../../model/batch-norm-ops';
import { batchNormPassesOn } from './batch-norm-simd';
import { heapAddress, wasmMemoryOf } from './wasm-memory';

/** The parts of TF.js's wasm backend (4.x) this uses. */
interface WasmHeap {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
  disposeData(dataId: object): boolean;
}

export const trainBatchNormWasm: TrainBatchNorm = (x, gamma, beta, skip, relu, eps) => {
  const backend = tf.backend();
  const memory = wasmMemoryOf(backend);
  const passes = memory && batchNormPassesOn(memory);
  const C = x.shape[3];
  const floats = [x, gamma, beta, ...(skip ? [skip] : [])].every((t) => t.dtype === 'float32');
  if (!passes || C % 4 !== 0 || !floats) return trainBatchNormOps(x, gamma, beta, skip, relu, eps);
  const heap = backend as unknown as WasmHeap;
  const at = (t: tf.TensorInfo) => heapAddress(backend, t);
  const rows = x.size / C;
  const total = x.size * 4;
  const cEnd = C * 4;
  const tensor = (t: tf.TensorInfo) => tf.engine().makeTensorFromTensorInfo(t);
  const free = (ts: tf.TensorInfo[]) => ts.forEach((t) => heap.disposeData(t.dataId));
  let moments: tf.Tensor2D | null = null;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    const hasSkip = args.length === 4;
    // Everything allocated first: a growing wasm memory would detach the views taken after.
    const [sum, dev, mean, invStd, scale, shift, stats] = [C, C, C, C, C, C, 2 * C].map((n) =>
      heap.makeOutput([n], 'float32'),
    ) as [tf.TensorInfo, tf.TensorInfo, tf.TensorInfo, tf.TensorInfo, tf.TensorInfo, tf.TensorInfo, tf.TensorInfo];
    const out = heap.makeOutput([...x.shape], 'float32');
    const view = (t: tf.TensorInfo) => heap.typedArrayFromHeap(t);
    passes.sums(at(x), total, cEnd, at(sum));
    const [s, m, st] = [view(sum), view(mean), view(stats)];
    for (let c = 0; c < C; c++) m[c] = st[c] = s[c]! / rows;
    passes.squaredDeviations(at(x), total, cEnd, at(mean), at(dev));
    const [d, inv, sc, sh, g, b] = [view(dev), view(invStd), view(scale), view(shift), view(gamma), view(beta)];
    for (let c = 0; c < C; c++) {
      const variance = d[c]! / rows;
      st[C + c] = variance;
      inv[c] = 1 / Math.sqrt(variance + eps);
      sc[c] = g[c]! * inv[c]!;
      sh[c] = b[c]! - m[c]! * sc[c]!;
    }
    passes.normalize(at(x), total, cEnd, at(scale), at(shift), skip ? at(skip) : 0, relu ? 1 : 0, at(out));
    free([sum, dev, scale, shift]);
    moments = tf.keep(tf.reshape(tensor(stats), [2, C]) as tf.Tensor2D);
    const value = tensor(out) as tf.Tensor4D;
    save([x, value, tensor(mean), tensor(invStd), gamma]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const [xs, y, meanT, invT, gammaT] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
      const [dbeta, dxc, dgamma, a, bb, dd] = [C, C, C, C, C, C].map((n) => heap.makeOutput([n], 'float32')) as [
        tf.TensorInfo,
        tf.TensorInfo,
        tf.TensorInfo,
        tf.TensorInfo,
        tf.TensorInfo,
        tf.TensorInfo,
      ];
      const dz = heap.makeOutput([...x.shape], 'float32');
      const dx = heap.makeOutput([...x.shape], 'float32');
      passes.gradientSums(at(dy), at(y), at(xs), total, cEnd, at(meanT), relu ? 1 : 0, at(dz), at(dbeta), at(dxc));
      const [db, dc, dg, va, vb, vd] = [dbeta, dxc, dgamma, a, bb, dd].map(view) as Float32Array[];
      const [mv, iv, gv] = [view(meanT), view(invT), view(gammaT)];
      for (let c = 0; c < C; c++) {
        dg![c] = dc![c]! * iv[c]!;
        const k = gv[c]! * iv[c]!;
        va![c] = k;
        vb![c] = (-k * iv[c]! * dg![c]!) / rows;
        vd![c] = (-k * db![c]!) / rows - vb![c]! * mv[c]!;
      }
      passes.inputGradient(at(dz), at(xs), total, cEnd, at(a), at(bb), at(dd), at(dx));
      free([dxc, a, bb, dd]);
      const grads = [tensor(dx), tensor(dgamma), tensor(dbeta)];
      if (hasSkip) return [...grads, tensor(dz)];
      free([dz]);
      return grads;
    };
    return { value, gradFunc };
  });
  const out = (skip ? op(x, gamma, beta, skip) : op(x, gamma, beta)) as tf.Tensor4D;
  return { out, moments: moments! };
};
