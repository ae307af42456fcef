// Our WebGPU kernels, registered over TF.js's stock ones for the 'webgpu' backend (../register.ts calls this). One
// switch (../switches.ts) turns them off at run time (the stock kernel then runs), so the two can be compared in one
// process: ?kernels=stock on a page, --kernels stock for npm run bench.
import * as tf from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { conv2DBackpropFilterWebGPU } from './conv2d-backprop-filter';
import { adamStepsWebGPU } from './adam';
import { inferBatchNormWebGPU, trainBatchNormWebGPU, updateRunningWebGPU } from './batch-norm';
import { crossEntropyWebGPU } from './cross-entropy';
import { BN_EPS } from '../../model/resnet-s';
import { kernelSet, setFusedAdam, setFusedBatchNorm, setFusedCrossEntropy } from '../switches';

const stock = new Map<string, tf.KernelConfig>();

/** Puts our kernels in front of the stock ones (idempotent; call after the webgpu backend is imported). */
export function registerOwnWebGpuKernels(): void {
  const name = 'Conv2DBackpropFilter';
  if (stock.has(name)) return;
  // While the webgpu backend is the one in use and our kernels are on: Adam in place, two parameters per dispatch.
  const ours = () => kernelSet() === 'ours' && tf.getBackend() === 'webgpu';
  const gpu = () => tf.backend() as unknown as WebGPUBackend;
  setFusedAdam(() => (ours() ? (updates) => adamStepsWebGPU(gpu(), updates) : null));
  // BatchNorm with its skip connection and ReLU: in training 2 dispatches forward (the running averages updated in
  // the first) and 2 backward; in inference one.
  setFusedBatchNorm(() =>
    ours()
      ? {
          infer: (x, mean, variance, gamma, beta, skip, relu) => inferBatchNormWebGPU(gpu(), x, mean, variance, gamma, beta, skip, relu, BN_EPS),
          apply: (x, gamma, beta, skip, relu, running) => trainBatchNormWebGPU(gpu(), x, gamma, beta, skip, relu, BN_EPS, running),
          updateRunning: (running, moments) => updateRunningWebGPU(gpu(), running, moments),
        }
      : null,
  );
  // The training loss and its gradient, one dispatch each.
  setFusedCrossEntropy(() => (ours() ? (logits, targets) => crossEntropyWebGPU(gpu(), logits, targets) : null));
  const original = tf.getKernel(name, 'webgpu');
  if (!original) return;
  stock.set(name, original);
  tf.unregisterKernel(name, 'webgpu');
  tf.registerKernel({
    kernelName: name,
    backendName: 'webgpu',
    kernelFunc: ((args: { inputs: tf.NamedTensorInfoMap; attrs: tf.NamedAttrMap; backend: tf.KernelBackend }) => {
      if (kernelSet() === 'ours') {
        const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
        const out = conv2DBackpropFilterWebGPU(x, dy, args.attrs as never, args.backend as unknown as WebGPUBackend);
        if (out) return out;
      }
      return original.kernelFunc(args as never);
    }) as unknown as tf.KernelFunc,
  });
}
