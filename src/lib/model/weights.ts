// Saving and loading weights: a small binary format (magic, JSON header with names, shapes and the config, then
// float32 data), usable from files, IndexedDB and Node alike. Loading a body keeps the model's own new head.
import * as tf from '@tensorflow/tfjs-core';
import type { ResNet, ResNetConfig } from './resnet-s';

const MAGIC = 'PETW1';

export interface WeightsHeader {
  config: ResNetConfig;
  tensors: { name: string; shape: number[] }[];
  /** Free-form facts: where the weights came from, what they were trained on. */
  meta: Record<string, string | number>;
}

export async function saveWeights(model: ResNet, meta: WeightsHeader['meta'] = {}): Promise<Uint8Array> {
  const header: WeightsHeader = { config: model.config, tensors: model.params.map((p) => ({ name: p.name, shape: p.variable.shape })), meta };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const datas = await Promise.all(model.params.map((p) => p.variable.data() as Promise<Float32Array>));
  const total = datas.reduce((n, d) => n + d.length, 0);
  const headerLen = MAGIC.length + 4 + json.length;
  const pad = (4 - (headerLen % 4)) % 4;
  const out = new Uint8Array(headerLen + pad + total * 4);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(MAGIC.length, json.length, true);
  out.set(json, MAGIC.length + 4);
  const floats = new Float32Array(out.buffer, headerLen + pad, total);
  let at = 0;
  for (const d of datas) {
    floats.set(d, at);
    at += d.length;
  }
  return out;
}

export interface ParsedWeights {
  header: WeightsHeader;
  values: Map<string, { shape: number[]; data: Float32Array }>;
}

export function parseWeights(bytes: Uint8Array): ParsedWeights {
  const fail = (why: string): never => {
    throw new Error(`Not a weights file this site can read: ${why}.`);
  };
  if (bytes.length < MAGIC.length + 4 || new TextDecoder().decode(bytes.subarray(0, MAGIC.length)) !== MAGIC) fail('it does not start with the expected signature');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const len = view.getUint32(MAGIC.length, true);
  const headerLen = MAGIC.length + 4 + len;
  if (headerLen > bytes.length) fail('the header is cut short');
  let header: WeightsHeader;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(MAGIC.length + 4, headerLen))) as WeightsHeader;
  } catch {
    return fail('the header is not valid JSON');
  }
  const pad = (4 - (headerLen % 4)) % 4;
  const total = header.tensors.reduce((n, t) => n + t.shape.reduce((a, b) => a * b, 1), 0);
  if (headerLen + pad + total * 4 !== bytes.length) fail(`expected ${headerLen + pad + total * 4} bytes, found ${bytes.length}`);
  const copy = bytes.slice(headerLen + pad).buffer;
  const floats = new Float32Array(copy);
  const values = new Map<string, { shape: number[]; data: Float32Array }>();
  let at = 0;
  for (const t of header.tensors) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    values.set(t.name, { shape: t.shape, data: floats.subarray(at, at + n) });
    at += n;
  }
  return { header, values };
}

/**
 * Copies weights into the model. With `body: true` the head is left as it is (a pretrained body with a new head);
 * every other parameter must be present with the same shape, or nothing is changed.
 */
export function loadWeights(model: ResNet, parsed: ParsedWeights, opts: { body?: boolean } = {}): { loaded: number; kept: string[] } {
  const targets = model.params.filter((p) => !(opts.body && p.name.startsWith('head.')));
  const problems: string[] = [];
  for (const p of targets) {
    const v = parsed.values.get(p.name);
    if (!v) problems.push(`${p.name} is missing`);
    else if (v.shape.join('x') !== p.variable.shape.join('x')) problems.push(`${p.name} is ${v.shape.join('x')}, the model needs ${p.variable.shape.join('x')}`);
  }
  if (problems.length > 0) throw new Error(`These weights do not fit the model: ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? ` (and ${problems.length - 3} more)` : ''}.`);
  tf.tidy(() => {
    for (const p of targets) {
      const v = parsed.values.get(p.name)!;
      p.variable.assign(tf.tensor(v.data, v.shape, 'float32'));
    }
  });
  return { loaded: targets.length, kept: model.params.filter((p) => !targets.includes(p)).map((p) => p.name) };
}
