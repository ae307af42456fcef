import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { buildResNet, disposeModel, forward } from './resnet-s';
import { archConfig } from './archs';
import { convFlops, convLayers } from './conv-layers';

/** The Conv2D calls a forward pass really makes, as [input shape, filter shape, output shape]. */
async function tracedConvs(arch: string, batch: number, size: number): Promise<number[][][]> {
  await tf.setBackend('cpu');
  const model = buildResNet(archConfig(arch, 37), 1);
  const x = tf.zeros([batch, size, size, 3]) as tf.Tensor4D;
  const info = await tf.profile(() => tf.tidy(() => void forward(model, x, false)));
  x.dispose();
  disposeModel(model);
  return info.kernels
    .filter((k) => k.name === 'Conv2D')
    .map((k) => [...k.inputShapes, k.outputShapes[0]!] as number[][]);
}

describe('convLayers', () => {
  for (const [arch, size] of [
    ['resnet-s', 96],
    ['resnet-s-deep', 37],
  ] as const) {
    it(`lists the convolutions ${arch}'s forward pass makes, in order, at ${size} px`, async () => {
      const want = await tracedConvs(arch, 2, size);
      const got = convLayers(archConfig(arch, 37), 2, size);
      expect(got.map((l) => [l.x, [l.k, l.k, l.x[3], l.cout]])).toEqual(want.map(([x, f]) => [x, f]));
      // The output shapes agree too: the FLOP count uses them.
      for (const [i, l] of got.entries()) {
        const [, oh, ow] = want[i]![2]!;
        expect(convFlops(l)).toBe(2 * 2 * oh! * ow! * l.k * l.k * l.x[3] * l.cout);
      }
    });
  }
  it('names the 12 layers of ResNet-S, the shortcuts included', () => {
    const names = convLayers(archConfig('resnet-s', 37), 64, 96).map((l) => l.name);
    expect(names).toHaveLength(12);
    expect(names.filter((n) => n.endsWith('shortcut'))).toEqual([
      'stages.1.0.shortcut',
      'stages.2.0.shortcut',
      'stages.3.0.shortcut',
    ]);
  });
});
