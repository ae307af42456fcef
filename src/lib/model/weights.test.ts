// The .petw reader against malformed input: each problem is named in words and nothing is half-loaded.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { buildResNet, disposeModel, RESNET_S, type ResNetConfig } from './resnet-s';
import { ARCHS, archConfig } from './archs';
import { paramShapes } from './param-shapes';
import { loadWeights, parseWeights, saveWeights, WeightsError } from './weights';

const TINY: ResNetConfig = { widths: [4, 8, 8, 8], blocks: [1, 1, 1, 1], classes: 3 };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A .petw file from a header object (or raw header text) and its numbers, laid out as saveWeights does. */
function petw(header: unknown, floats: Float32Array = new Float32Array(0), magic = 'PETW1'): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const headerLen = magic.length + 4 + json.length;
  const pad = (4 - (headerLen % 4)) % 4;
  const out = new Uint8Array(headerLen + pad + floats.length * 4);
  out.set(new TextEncoder().encode(magic), 0);
  new DataView(out.buffer).setUint32(magic.length, json.length, true);
  out.set(json, magic.length + 4);
  new Uint8Array(out.buffer, headerLen + pad).set(new Uint8Array(floats.buffer, floats.byteOffset, floats.byteLength));
  return out;
}

const tinyHeader = (meta: Record<string, string | number> = {}) => ({ config: TINY, tensors: paramShapes(TINY), meta });
const tinyFloats = () =>
  new Float32Array(paramShapes(TINY).reduce((n, t) => n + t.shape.reduce((a, b) => a * b, 1), 0)).fill(0.5);
const saved = (bytes: unknown) => () => parseWeights(bytes, 'the saved model');

describe('paramShapes', () => {
  it('lists exactly the parameters buildResNet makes, for every architecture', () => {
    for (const arch of Object.keys(ARCHS)) {
      const config = archConfig(arch, 37);
      const model = buildResNet(config, 1);
      expect(paramShapes(config)).toEqual(model.params.map((p) => ({ name: p.name, shape: p.variable.shape })));
      disposeModel(model);
    }
  });
});

describe('parseWeights names what is wrong', () => {
  it('reads back what saveWeights writes', async () => {
    const model = buildResNet(TINY, 1);
    const parsed = parseWeights(await saveWeights(model, { arch: '', size: 64 }));
    expect(parsed.values.get('head.bias')!.data).toEqual(model.headB.variable.dataSync());
    disposeModel(model);
    expect(parseWeights(petw(tinyHeader(), tinyFloats())).values.size).toBe(paramShapes(TINY).length);
  });
  it('an IndexedDB entry that is not bytes (a string, an object, nothing)', () => {
    expect(saved('PETW1{}')).toThrow('The saved model cannot be used: it is text, not binary weights data.');
    expect(saved({ 0: 80, 1: 69 })).toThrow(
      'The saved model cannot be used: it is an object, not binary weights data.',
    );
    expect(saved(undefined)).toThrow(WeightsError);
  });
  it('a wrong signature or a header cut short', () => {
    expect(saved(petw(tinyHeader(), tinyFloats(), 'PNG01'))).toThrow(
      /does not start with the expected signature \(PETW1\)/,
    );
    expect(saved(new Uint8Array([1, 2, 3]))).toThrow(/expected signature/);
    expect(saved(petw(tinyHeader()).subarray(0, 30))).toThrow(/its header is cut short/);
  });
  it('a header that is not JSON, or not the shape this site writes', () => {
    expect(saved(petw('{"config": '))).toThrow('The saved model cannot be used: its header is not valid JSON.');
    expect(saved(petw('[1, 2]'))).toThrow('its header is not an object');
    expect(saved(petw({ ...tinyHeader(), tensors: { a: 1 } }))).toThrow("its header's tensor list is missing or empty");
    expect(saved(petw({ tensors: paramShapes(TINY), meta: {} }))).toThrow('its header has no valid model config');
    expect(saved(petw({ ...tinyHeader(), config: { widths: [4, 8], blocks: [1], classes: 3 } }))).toThrow(
      'no valid model config',
    );
    expect(saved(petw({ ...tinyHeader(), tensors: [{ name: 'stem.conv', shape: [3, -1] }] }))).toThrow(
      "its header's tensor 1 has no valid name and shape",
    );
    expect(saved(petw({ ...tinyHeader(), meta: { arch: { nested: true } } }))).toThrow(
      'meta is not a list of plain facts',
    );
  });
  it('an unknown architecture, or a config that is not the architecture it names', () => {
    expect(saved(petw(tinyHeader({ arch: 'constructor' }), tinyFloats()))).toThrow(
      'it names an unknown architecture "constructor" (this site knows resnet-s, resnet-s-deep, resnet-s-wide, resnet-tiny)',
    );
    expect(saved(petw(tinyHeader({ arch: 'resnet-s' }), tinyFloats()))).toThrow(
      'its config (widths [4, 8, 8, 8], blocks [1, 1, 1, 1]) is not that of resnet-s',
    );
  });
  it('a layer of the wrong shape, a missing, extra or repeated layer', () => {
    const tensors = paramShapes(RESNET_S).map((t) =>
      t.name === 'stages.1.0.a.conv' ? { ...t, shape: [3, 3, 64, 64] } : t,
    );
    expect(saved(petw({ config: RESNET_S, tensors, meta: { arch: 'resnet-s' } }))).toThrow(
      'The saved model cannot be used: layer stages.1.0.a.conv has shape [3, 3, 64, 64] where ResNet-S has [3, 3, 32, 64].',
    );
    const shapes = paramShapes(TINY);
    expect(saved(petw({ ...tinyHeader(), tensors: shapes.slice(1) }))).toThrow(
      'it has no layer stem.conv, which the model its header describes needs',
    );
    expect(saved(petw({ ...tinyHeader(), tensors: [...shapes, { name: 'extra', shape: [1] }] }))).toThrow(
      'it holds a layer extra that the model its header describes does not have',
    );
    expect(saved(petw({ ...tinyHeader(), tensors: [...shapes, shapes[0]] }))).toThrow('it lists layer stem.conv twice');
  });
  it('data of the wrong length', () => {
    const floats = tinyFloats();
    expect(saved(petw(tinyHeader(), floats.subarray(0, floats.length - 1)))).toThrow(
      /but it holds \d+ bytes: it is cut short\.$/,
    );
    const longer = new Float32Array(floats.length + 1);
    expect(saved(petw(tinyHeader(), longer))).toThrow(/its header lists \d+ numbers/);
  });
  it('NaN or infinite weights, naming the first layer that holds one', () => {
    const floats = tinyFloats();
    floats[floats.length - 1] = Number.NaN;
    expect(() => parseWeights(petw(tinyHeader(), floats), 'the file')).toThrow(
      'The file cannot be used: it holds NaN weights (first in layer head.bias), from a training run that diverged.',
    );
    floats[0] = Number.POSITIVE_INFINITY;
    expect(saved(petw(tinyHeader(), floats))).toThrow('it holds infinite weights (first in layer stem.conv)');
  });
});

describe('saving and loading never half-done', () => {
  it('a model with NaN weights is not saved', async () => {
    const model = buildResNet(TINY, 1);
    model.stages[2]![0]!.b.conv.variable.assign(tf.fill(model.stages[2]![0]!.b.conv.variable.shape, Number.NaN));
    await expect(saveWeights(model)).rejects.toThrow(
      'The model holds NaN weights (first in layer stages.2.0.b.conv), so it was not saved',
    );
    disposeModel(model);
  });
  it('weights that do not fit change nothing in the model', async () => {
    const source = buildResNet({ ...TINY, classes: 5 }, 1);
    const parsed = parseWeights(await saveWeights(source));
    const target = buildResNet(TINY, 2);
    const before = target.params.map((p) => p.variable.dataSync().slice());
    expect(() => loadWeights(target, parsed)).toThrow(
      'These weights do not fit the model: layer head.weight has shape [8, 5] where the model has [8, 3]; layer head.bias has shape [5] where the model has [3].',
    );
    target.params.forEach((p, i) => expect(p.variable.dataSync()).toEqual(before[i]));
    // The body alone fits: loaded under the model's own head.
    expect(loadWeights(target, parsed, { body: true }).kept).toEqual(['head.weight', 'head.bias']);
    disposeModel(source);
    disposeModel(target);
  });
});
