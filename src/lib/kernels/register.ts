// Our own kernels, registered over (or beside) TF.js's for the backend being started: the one place that knows which
// backend gets which. Each backend's code loads only when that backend starts. Whether they run is switches.ts's
// kernelSet(); adding a kernel means a file in its backend's folder and a line here (or in webgpu/register.ts).
import type { BackendName } from '../engine/backend-names';

const REGISTER: Record<BackendName, () => Promise<void>> = {
  // Filter gradient, Adam, BatchNorm with skip and ReLU, cross-entropy.
  webgpu: async () => (await import('./webgpu/register')).registerOwnWebGpuKernels(),
  webgl: async () => {},
  // Conv2D where XNNPACK would pack a new filter for a small output, both convolution gradients (stock wasm has no
  // Conv2DBackpropFilter at all), per-channel Sum and Mean, Tile by
  // block copies, Identity as a shared reference, and Adam in one pass per parameter.
  wasm: async () => {
    const [conv, filter, input, sums, tile, identity, adam, batchNorm, model, tf, switches] = await Promise.all([
      import('./wasm/wasm-conv2d'),
      import('./wasm/wasm-conv-backprop-filter'),
      import('./wasm/wasm-conv-backprop-input'),
      import('./wasm/wasm-column-sums'),
      import('./wasm/wasm-tile'),
      import('./wasm/wasm-identity'),
      import('./wasm/adam'),
      import('./wasm/wasm-batch-norm'),
      import('../model/resnet-s'),
      import('@tensorflow/tfjs-core'),
      import('./switches'),
    ]);
    conv.registerWasmConv2D();
    filter.registerWasmConvBackpropFilter();
    input.registerWasmConvBackpropInput();
    sums.registerWasmColumnSums();
    tile.registerWasmTile();
    identity.registerWasmIdentity();
    const ours = () => switches.kernelSet() === 'ours' && tf.getBackend() === 'wasm';
    switches.setFusedAdam(() => (ours() ? (updates) => adam.adamStepsWasm(tf.backend(), updates) : null), 'wasm');
    // Training-mode BatchNorm in our SIMD passes; inference and the running averages from ops.
    const { opsBatchNorm, BN_EPS } = model;
    const wasmBatchNorm = {
      ...opsBatchNorm,
      apply: (...[x, gamma, beta, skip, relu]: Parameters<typeof opsBatchNorm.apply>) => ({
        ...batchNorm.trainBatchNormWasm(x, gamma, beta, skip, relu, BN_EPS),
        runningUpdated: false,
      }),
    };
    switches.setFusedBatchNorm(() => (ours() ? wasmBatchNorm : null), 'wasm');
  },
  // The GPU augmentation's Transform, which stock cpu lacks.
  cpu: async () => (await import('./cpu/cpu-transform')).registerCpuTransform(),
};

/** Registers our kernels for `backend` (call after its TF.js package is imported; idempotent). */
export async function registerOwnKernels(backend: BackendName): Promise<void> {
  await REGISTER[backend]();
}
