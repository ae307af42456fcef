// Saving and loading weights: a small binary format (magic, JSON header with names, shapes and the config, then
// float32 data), usable from files, IndexedDB and Node alike. Loading a body keeps the model's own new head.
// Everything read is checked before any variable is assigned (signature, header JSON and its shape, a known
// architecture, every tensor's shape and byte length, finite values), and a problem is named in words
// (WeightsError), so a corrupt saved model or a bad file never leaves a half-loaded model.
import * as tf from '@tensorflow/tfjs-core';
import type { ResNet, ResNetConfig } from './resnet-s';
import { ARCHS } from './archs';
import { paramShapes } from './param-shapes';

const MAGIC = 'PETW1';

export interface WeightsHeader {
  config: ResNetConfig;
  tensors: { name: string; shape: number[] }[];
  /** Free-form facts: where the weights came from, what they were trained on. */
  meta: Record<string, string | number>;
}

/** A weights file or saved model that cannot be used, with the reason in words. */
export class WeightsError extends Error {
  override name = 'WeightsError';
}

const shapeText = (s: readonly number[]) => `[${s.join(', ')}]`;
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The first parameter holding NaN or an infinity, and which. */
function firstNonFinite(named: Iterable<[string, Float32Array]>): { name: string; what: string } | null {
  for (const [name, data] of named) {
    for (let i = 0; i < data.length; i++) {
      const x = data[i]!;
      if (!Number.isFinite(x)) return { name, what: Number.isNaN(x) ? 'NaN' : 'infinite' };
    }
  }
  return null;
}

export async function saveWeights(model: ResNet, meta: WeightsHeader['meta'] = {}): Promise<Uint8Array> {
  const header: WeightsHeader = {
    config: model.config,
    tensors: model.params.map((p) => ({ name: p.name, shape: p.variable.shape })),
    meta,
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const datas = await Promise.all(model.params.map((p) => p.variable.data() as Promise<Float32Array>));
  const bad = firstNonFinite(model.params.map((p, i) => [p.name, datas[i]!] as [string, Float32Array]));
  if (bad)
    throw new WeightsError(
      `The model holds ${bad.what} weights (first in layer ${bad.name}), so it was not saved: training diverged; train again with a lower learning rate.`,
    );
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

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isCount = (x: unknown, min: number): x is number => Number.isSafeInteger(x) && (x as number) >= min;
const isCountList = (x: unknown, min: number, maxLen: number): x is number[] =>
  Array.isArray(x) && x.length >= 1 && x.length <= maxLen && x.every((v) => isCount(v, min));

function describe(x: unknown): string {
  if (x === null || x === undefined) return 'nothing';
  if (typeof x === 'string') return 'text';
  if (Array.isArray(x)) return 'a list';
  if (ArrayBuffer.isView(x)) return x.constructor.name;
  return typeof x === 'object' ? 'an object' : `a ${typeof x}`;
}

/** The header's problem in words, or null when it has the shape this site writes. */
function headerProblem(h: unknown): string | null {
  if (!isObject(h)) return 'its header is not an object';
  const c = h['config'];
  if (
    !isObject(c) ||
    !isCountList(c['widths'], 1, 8) ||
    !isCountList(c['blocks'], 1, 8) ||
    (c['blocks'] as number[]).length !== (c['widths'] as number[]).length ||
    !isCount(c['classes'], 1)
  )
    return 'its header has no valid model config (widths, blocks and classes, whole numbers)';
  const t = h['tensors'];
  if (!Array.isArray(t) || t.length === 0) return "its header's tensor list is missing or empty";
  for (let i = 0; i < t.length; i++) {
    const e: unknown = t[i];
    if (
      !isObject(e) ||
      typeof e['name'] !== 'string' ||
      e['name'] === '' ||
      !Array.isArray(e['shape']) ||
      e['shape'].length > 4 ||
      !e['shape'].every((d) => isCount(d, 0))
    )
      return `its header's tensor ${i + 1} has no valid name and shape`;
  }
  const m = h['meta'];
  if (
    m !== undefined &&
    (!isObject(m) ||
      !Object.values(m).every((v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))))
  )
    return "its header's meta is not a list of plain facts";
  return null;
}

/** Whether the tensors the header lists are exactly the parameters of the model its config (and arch) describes. */
function architectureProblem(header: WeightsHeader): string | null {
  const arch = header.meta['arch'];
  let modelName = 'the model its header describes';
  if (typeof arch === 'string' && arch !== '') {
    const known = Object.hasOwn(ARCHS, arch) ? ARCHS[arch] : undefined;
    if (!known) return `it names an unknown architecture "${arch}" (this site knows ${Object.keys(ARCHS).join(', ')})`;
    const { widths, blocks } = header.config;
    if (widths.join() !== known.widths.join() || blocks.join() !== known.blocks.join())
      return `its config (widths ${shapeText(widths)}, blocks ${shapeText(blocks)}) is not that of ${arch} (widths ${shapeText(known.widths)}, blocks ${shapeText(known.blocks)})`;
    modelName = arch === 'resnet-s' ? 'ResNet-S' : arch;
  }
  const expected = new Map(paramShapes(header.config).map((p) => [p.name, p.shape]));
  const seen = new Set<string>();
  for (const t of header.tensors) {
    if (seen.has(t.name)) return `it lists layer ${t.name} twice`;
    seen.add(t.name);
    const want = expected.get(t.name);
    if (!want) return `it holds a layer ${t.name} that ${modelName} does not have`;
    if (want.join() !== t.shape.join())
      return `layer ${t.name} has shape ${shapeText(t.shape)} where ${modelName} has ${shapeText(want)}`;
  }
  const missing = [...expected.keys()].filter((n) => !seen.has(n));
  if (missing.length > 0)
    return `it has no layer ${missing[0]}${missing.length > 1 ? ` (and ${missing.length - 1} more)` : ''}, which ${modelName} needs`;
  return null;
}

/**
 * Reads and checks weights. `subject` names them in messages: "the file", "the saved model", "the pretrained body".
 * Throws a WeightsError saying what is wrong; never returns weights a model could not take whole.
 */
export function parseWeights(input: unknown, subject = 'the weights file'): ParsedWeights {
  const fail = (why: string): never => {
    throw new WeightsError(`${capital(subject)} cannot be used: ${why}.`);
  };
  const bytes =
    input instanceof Uint8Array
      ? input
      : input instanceof ArrayBuffer
        ? new Uint8Array(input)
        : fail(`it is ${describe(input)}, not binary weights data`);
  if (bytes.length < MAGIC.length + 4 || new TextDecoder().decode(bytes.subarray(0, MAGIC.length)) !== MAGIC)
    fail(`it does not start with the expected signature (${MAGIC}), so it is not a weights file of this site`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const len = view.getUint32(MAGIC.length, true);
  const headerLen = MAGIC.length + 4 + len;
  if (headerLen > bytes.length)
    fail(`its header is cut short (${len} bytes announced, ${bytes.length - MAGIC.length - 4} present)`);
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(MAGIC.length + 4, headerLen)));
  } catch {
    return fail('its header is not valid JSON');
  }
  const shapeWhy = headerProblem(raw);
  if (shapeWhy) fail(shapeWhy);
  const header = raw as WeightsHeader;
  header.meta ??= {};
  const archWhy = architectureProblem(header);
  if (archWhy) fail(archWhy);
  const pad = (4 - (headerLen % 4)) % 4;
  const total = header.tensors.reduce((n, t) => n + t.shape.reduce((a, b) => a * b, 1), 0);
  const want = headerLen + pad + total * 4;
  if (want !== bytes.length)
    fail(
      `its header lists ${total} numbers (${want} bytes in all) but it holds ${bytes.length} bytes${bytes.length < want ? ': it is cut short' : ''}`,
    );
  const floats = new Float32Array(bytes.slice(headerLen + pad).buffer);
  const values = new Map<string, { shape: number[]; data: Float32Array }>();
  let at = 0;
  for (const t of header.tensors) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    values.set(t.name, { shape: t.shape, data: floats.subarray(at, at + n) });
    at += n;
  }
  const bad = firstNonFinite([...values].map(([name, v]) => [name, v.data] as [string, Float32Array]));
  if (bad) fail(`it holds ${bad.what} weights (first in layer ${bad.name}), from a training run that diverged`);
  return { header, values };
}

/**
 * Copies weights into the model. With `body: true` the head is left as it is (a pretrained body with a new head);
 * every other parameter must be present with the same shape, or nothing is changed.
 */
export function loadWeights(
  model: ResNet,
  parsed: ParsedWeights,
  opts: { body?: boolean } = {},
): { loaded: number; kept: string[] } {
  const targets = model.params.filter((p) => !(opts.body && p.name.startsWith('head.')));
  const problems: string[] = [];
  for (const p of targets) {
    const v = parsed.values.get(p.name);
    if (!v) problems.push(`layer ${p.name} is missing`);
    else if (v.shape.join('x') !== p.variable.shape.join('x'))
      problems.push(
        `layer ${p.name} has shape ${shapeText(v.shape)} where the model has ${shapeText(p.variable.shape)}`,
      );
    else if (v.data.length !== p.variable.size)
      problems.push(`layer ${p.name} holds ${v.data.length} numbers, the model needs ${p.variable.size}`);
  }
  if (problems.length > 0)
    throw new WeightsError(
      `These weights do not fit the model: ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? ` (and ${problems.length - 3} more)` : ''}.`,
    );
  // Every check is done: from here on each variable is assigned, none can fail half-way for a reason of the file's.
  tf.tidy(() => {
    for (const p of targets) {
      const v = parsed.values.get(p.name)!;
      p.variable.assign(tf.tensor(v.data, v.shape, 'float32'));
    }
  });
  return { loaded: targets.length, kept: model.params.filter((p) => !targets.includes(p)).map((p) => p.name) };
}
