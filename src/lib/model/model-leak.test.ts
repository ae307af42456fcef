// Building and disposing models leaves nothing behind: the initial weights are not kept alive beside the variables.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { buildResNet, disposeModel, RESNET_S, type ResNetConfig } from './resnet-s';

const TINY: ResNetConfig = { widths: [4, 8, 8, 8], blocks: [1, 1, 1, 1], classes: 3 };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Live tensors, their bytes, and the data the backend itself holds (a leaked data id keeps its buffer). */
const snapshot = () => ({
  tensors: tf.memory().numTensors,
  bytes: tf.memory().numBytes,
  dataIds: (tf.backend() as unknown as { numDataIds(): number }).numDataIds(),
});

describe('buildResNet / disposeModel', () => {
  it('five models built and disposed in a loop leave the tensor count and the backend bytes flat', () => {
    // The first build warms up whatever TF.js keeps once per process.
    disposeModel(buildResNet(TINY, 1));
    const before = snapshot();
    const during: ReturnType<typeof snapshot>[] = [];
    for (let i = 0; i < 5; i++) {
      const model = buildResNet(TINY, i);
      during.push(snapshot());
      disposeModel(model);
      expect(snapshot()).toEqual(before);
    }
    // While a model lives it holds exactly its parameters: one tensor each, 4 bytes per float.
    const model = buildResNet(TINY, 9);
    const floats = model.params.reduce((n, p) => n + p.variable.size, 0);
    expect(snapshot()).toEqual({
      tensors: before.tensors + model.params.length,
      bytes: before.bytes + 4 * floats,
      dataIds: before.dataIds + model.params.length,
    });
    disposeModel(model);
    expect(during.every((d) => d.tensors === during[0]!.tensors && d.bytes === during[0]!.bytes)).toBe(true);
  });
  it('the full ResNet-S too: 62 parameters, nothing left after dispose', () => {
    const before = snapshot();
    const model = buildResNet(RESNET_S);
    expect(tf.memory().numTensors - before.tensors).toBe(model.params.length);
    disposeModel(model);
    expect(snapshot()).toEqual(before);
  });
});
