// Our WebGPU kernels, registered over TF.js's stock ones for the 'webgpu' backend (../register.ts calls this). One
// switch (../switches.ts) turns them off at run time (the stock kernel then runs), so the two can be compared in one
// process: ?kernels=stock on a page, --kernels stock for npm run bench.
import * as tf from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { conv2DBackpropFilterWebGPU } from './conv2d-backprop-filter';
import { conv2DBackpropInputWebGPU } from './conv2d-backprop-input';
import { conv2DWebGPU } from './conv2d';
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
          infer: (x, mean, variance, gamma, beta, skip, relu) =>
            inferBatchNormWebGPU(gpu(), x, mean, variance, gamma, beta, skip, relu, BN_EPS),
          apply: (x, gamma, beta, skip, relu, running) =>
            trainBatchNormWebGPU(gpu(), x, gamma, beta, skip, relu, BN_EPS, running),
          updateRunning: (running, moments) => updateRunningWebGPU(gpu(), running, moments),
        }
      : null,
  );
  // The training loss and its gradient, one dispatch each.
  setFusedCrossEntropy(() => (ours() ? (logits, targets) => crossEntropyWebGPU(gpu(), logits, targets) : null));
  // The three convolutions: forward (training and inference), input gradient, filter gradient. Each falls back to
  // the stock kernel for what it does not handle (NCHW; dilations in the forward pass; ResNet-S has neither).
  // FusedConv2D stays stock: the model's convolutions are plain tf.conv2d, their bias and activation done apart.
  type Run = (inputs: tf.NamedTensorInfoMap, attrs: never, backend: WebGPUBackend) => tf.TensorInfo | null;
  const convolutions: [string, Run][] = [
    ['Conv2D', (i, a, b) => conv2DWebGPU(i.x!, i.filter!, a, b)],
    ['Conv2DBackpropInput', (i, a, b) => conv2DBackpropInputWebGPU(i.dy!, i.filter!, a, b)],
    [name, (i, a, b) => conv2DBackpropFilterWebGPU(i.x!, i.dy!, a, b)],
  ];
  for (const [kernelName, run] of convolutions) {
    const original = tf.getKernel(kernelName, 'webgpu');
    if (!original) continue;
    stock.set(kernelName, original);
    tf.unregisterKernel(kernelName, 'webgpu');
    tf.registerKernel({
      kernelName,
      backendName: 'webgpu',
      kernelFunc: ((args: { inputs: tf.NamedTensorInfoMap; attrs: tf.NamedAttrMap; backend: tf.KernelBackend }) => {
        if (kernelSet() === 'ours') {
          const out = run(args.inputs, args.attrs as never, args.backend as unknown as WebGPUBackend);
          if (out) return out;
        }
        return original.kernelFunc(args as never);
      }) as unknown as tf.KernelFunc,
    });
  }
}
