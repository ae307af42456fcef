// A whole ResNet training step with our WebGPU kernels against the stock TF.js kernels, on SwiftShader WebGPU:
// same losses, same parameters and running statistics afterwards, and the dispatch budget of issue 5.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { setKernelSet, type KernelSet } from '../switches';
import { countDispatches } from './dispatch-counter';
import { startSwiftShaderWebGpu } from '../../../testing/swiftshader-device';
import { buildResNet, forward, RESNET_S, type ResNetConfig } from '../../model/resnet-s';
import { expectClose } from '../../../testing/close';
import { Learner } from '../../train/learner';
import { syntheticData } from '../../train/synthetic-data';

beforeAll(startSwiftShaderWebGpu);

/** SwiftShader compiles every pipeline of both kernel sets here: over a minute on a busy 2-core machine. */
const STEP_TIMEOUT = 240_000;

/** Two training steps; the second one's GPU dispatches are counted. */
async function twoSteps(set: KernelSet, config: ResNetConfig, size: number) {
  await tf.setBackend('webgpu');
  setKernelSet(set);
  const dispatches = countDispatches(tf.backend())!;
  // The shader of every program run, from the hook TF.js's WebGPU backend records each through.
  const backend = tf.backend() as unknown as {
    recordAndSubmit(program: { shaderKey: string }, ...rest: unknown[]): void;
  };
  const record = backend.recordAndSubmit;
  const shaders: string[] = [];
  backend.recordAndSubmit = function (program, ...rest) {
    shaders.push(program.shaderKey);
    record.call(this, program, ...rest);
  };
  try {
    const data = syntheticData({ classes: config.classes, trainItems: 4, validItems: 2, size, batchSize: 4, seed: 1 });
    const learn = new Learner(buildResNet(config, 1), data);
    const { x, y } = (await data.trainBatches(0)[Symbol.asyncIterator]().next()).value!;
    const losses = [await learn.trainStep(x, y, [1e-2, 1e-2, 1e-2], [0.9, 0.9, 0.9])];
    dispatches.reset();
    losses.push(await learn.trainStep(x, y, [1e-2, 1e-2, 1e-2], [0.9, 0.9, 0.9]));
    const count = dispatches.count;
    dispatches.reset();
    const logits = tf.tidy(() => forward(learn.model, x, false));
    const inferenceCount = dispatches.count;
    const inference = (await logits.data()) as Float32Array;
    logits.dispose();
    const params = await Promise.all(
      learn.model.params.map(async (p) => ({ name: p.name, values: (await p.variable.data()) as Float32Array })),
    );
    tf.dispose([x, y]);
    return { losses, count, params, inference, inferenceCount, shaders };
  } finally {
    delete (backend as Partial<typeof backend>).recordAndSubmit;
    dispatches.restore();
    setKernelSet('ours');
  }
}

describe('a whole training step with our kernels', () => {
  it(
    "gives the stock kernels' losses, parameters and running statistics",
    async () => {
      const small: ResNetConfig = { widths: [4, 8, 8, 8], blocks: [1, 1, 1, 1], classes: 3 };
      const stock = await twoSteps('stock', small, 16);
      const ours = await twoSteps('ours', small, 16);
      ours.losses.forEach((l, i) => expect(l).toBeCloseTo(stock.losses[i]!, 4));
      ours.params.forEach((p, i) =>
        p.values.forEach((v, j) =>
          expect(Math.abs(v - stock.params[i]!.values[j]!), `${p.name}[${j}]`).toBeLessThan(1e-4),
        ),
      );
      // The running statistics moved away from their initial 0 and 1.
      const runningMean = ours.params.find((p) => p.name.endsWith('running_mean'))!;
      expect(runningMean.values.some((v) => Math.abs(v) > 1e-3)).toBe(true);
      // Inference with the running averages afterwards: the same logits.
      expectClose(ours.inference, stock.inference, 1e-4);
      // All three convolutions ran our kernels (forward, input gradient, filter gradient), and the stock run none.
      for (const own of ['ownConv2DGemm_', 'ownConv2DBackpropInputGemm_', 'ownConv2DBackpropFilterTiled_']) {
        expect(
          ours.shaders.some((k) => k.startsWith(own)),
          own,
        ).toBe(true);
        expect(
          stock.shaders.some((k) => k.startsWith(own)),
          own,
        ).toBe(false);
      }
    },
    STEP_TIMEOUT,
  );

  it(
    "takes at most 131 GPU dispatches for ResNet-S (its count before our own convolutions), under a third of the stock kernels' count",
    async () => {
      const stock = await twoSteps('stock', RESNET_S, 16);
      const ours = await twoSteps('ours', RESNET_S, 16);
      // 127 here, against 1,245 for the stock kernels: each of our convolutions is one dispatch (two for the filter
      // gradient when its reduction is split).
      expect(ours.count).toBeLessThanOrEqual(131);
      expect(ours.count).toBeLessThan(stock.count / 3);
      // Inference: one fused BatchNorm/skip/ReLU dispatch per layer instead of up to three, and one per convolution
      // (28 against 47 here; 34 before our forward convolution).
      expect(ours.inferenceCount).toBeLessThanOrEqual(34);
      expect(ours.inferenceCount).toBeLessThan(0.75 * stock.inferenceCount);
    },
    STEP_TIMEOUT,
  );
});
