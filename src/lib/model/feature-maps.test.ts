// Feature maps: the reference table's shapes per stage, channels strongest first, the same logits as forward(), and
// no tensor left behind.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { buildResNet, disposeModel, forward, RESNET_S } from './resnet-s';
import { featureMaps, strongestChannels } from './feature-maps';
import { stageShapes } from './stage-shapes';

describe('feature maps', () => {
  it("stage sizes at 96 px are the reference table's: 48x48x32, 48x48x32, 24x24x64, 12x12x128, 6x6x256", async () => {
    const shapes = [
      [48, 32],
      [48, 32],
      [24, 64],
      [12, 128],
      [6, 256],
    ];
    expect(stageShapes(RESNET_S.widths, 96).map((s) => [s.height, s.channels])).toEqual(shapes);
    const model = buildResNet(RESNET_S, 3);
    const x = tf.randomNormal([1, 96, 96, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const fm = await featureMaps(model, x, 6);
    expect(tf.memory().numTensors).toBe(before);
    expect(fm.stages.map((s) => [s.height, s.channels])).toEqual(shapes);
    expect(fm.stages.map((s) => s.name)).toEqual(['stem', 'stage 1', 'stage 2', 'stage 3', 'stage 4']);
    for (const s of fm.stages) {
      expect(s.maps).toHaveLength(6);
      expect(s.maps[0]!.pixels).toHaveLength(s.height * s.width);
      for (let i = 1; i < s.maps.length; i++) expect(s.maps[i - 1]!.mean).toBeGreaterThanOrEqual(s.maps[i]!.mean);
    }
    const logits = forward(model, x, false);
    const ref = Array.from(logits.dataSync());
    fm.logits.forEach((v, i) => expect(v).toBeCloseTo(ref[i]!, 4));
    tf.dispose([x, logits]);
    disposeModel(model);
  });
  it('at 64 px the stages are 32, 32, 16, 8 and 4 px across (the static layout matches the run)', () => {
    expect(stageShapes(RESNET_S.widths, 64).map((s) => s.height)).toEqual([32, 32, 16, 8, 4]);
    expect(stageShapes(RESNET_S.widths, 65).map((s) => s.height)).toEqual([33, 33, 17, 9, 5]);
  });
  it('runs many times with a flat tensor count', async () => {
    const model = buildResNet({ ...RESNET_S, widths: [8, 8, 16, 16] }, 1);
    const x = tf.randomUniform([1, 32, 32, 3]) as tf.Tensor4D;
    const counts: number[] = [];
    for (let i = 0; i < 4; i++) {
      await featureMaps(model, x, 4);
      counts.push(tf.memory().numTensors);
    }
    expect(new Set(counts).size).toBe(1);
    x.dispose();
    disposeModel(model);
    await expect(
      featureMaps(buildResNet({ ...RESNET_S, widths: [8, 8, 16, 16] }, 1), tf.zeros([2, 8, 8, 3]) as tf.Tensor4D),
    ).rejects.toThrow(/one image/);
  });
  it('strongestChannels orders by mean and scales each map to its own maximum', () => {
    // 2 x 1 positions, 3 channels: channel 2 strongest, channel 0 all zero.
    const values = Float32Array.from([0, 1, 4, 0, 3, 2]);
    const maps = strongestChannels(values, 2, 1, 3, 3);
    expect(maps.map((m) => m.channel)).toEqual([2, 1, 0]);
    expect(Array.from(maps[0]!.pixels)).toEqual([255, 128]);
    expect(Array.from(maps[1]!.pixels)).toEqual([85, 255]);
    expect(Array.from(maps[2]!.pixels)).toEqual([0, 0]);
    expect(maps[0]!.mean).toBe(3);
  });
});
