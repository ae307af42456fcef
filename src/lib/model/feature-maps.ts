// What the body computes: one image through ResNet-S in inference mode, keeping the activations at the end of the
// stem and of every stage (the reference table's rows), each channel's map scaled to 0-255 for drawing, strongest
// channels (by mean activation) first. Plain arrays out; every tensor made here is freed before it returns.
import * as tf from '@tensorflow/tfjs-core';
import { forwardStages, type ResNet } from './resnet-s';
import { STAGE_NAMES } from './stage-shapes';

export interface ChannelMap {
  channel: number;
  /** Mean activation over the map (after ReLU, so >= 0): the order strongest first. */
  mean: number;
  /** Largest activation in the map. */
  max: number;
  /** height * width values, row-major, scaled so the map's own largest is 255 (all 0 where the map is all 0). */
  pixels: Uint8ClampedArray;
}

export interface StageMaps {
  name: string;
  height: number;
  width: number;
  channels: number;
  /** Mean over every channel and position: how strongly the stage responds at all. */
  mean: number;
  /** The `top` strongest channels, strongest first. */
  maps: ChannelMap[];
}

export interface FeatureMaps {
  stages: StageMaps[];
  logits: number[];
}

/** The channels of one [h, w, c] activation, strongest first, `top` of them. */
export function strongestChannels(values: Float32Array, h: number, w: number, c: number, top: number): ChannelMap[] {
  const means = new Float64Array(c);
  const maxes = new Float64Array(c);
  for (let i = 0; i < h * w; i++) {
    for (let k = 0; k < c; k++) {
      const v = values[i * c + k]!;
      means[k]! += v;
      if (v > maxes[k]!) maxes[k] = v;
    }
  }
  const order = Array.from({ length: c }, (_, k) => k).sort((a, b) => means[b]! - means[a]! || a - b);
  return order.slice(0, Math.min(top, c)).map((k) => {
    const pixels = new Uint8ClampedArray(h * w);
    const m = maxes[k]!;
    if (m > 0) for (let i = 0; i < h * w; i++) pixels[i] = Math.round((Math.max(0, values[i * c + k]!) / m) * 255);
    return { channel: k, mean: means[k]! / (h * w), max: m, pixels };
  });
}

/**
 * The activations of `x` (one normalised image, [1, size, size, 3]) after the stem and each stage, and the logits.
 * Inference mode: BatchNorm uses its running averages, as get_preds does.
 */
export async function featureMaps(model: ResNet, x: tf.Tensor4D, top = 8): Promise<FeatureMaps> {
  if (x.shape[0] !== 1) throw new RangeError(`feature maps are for one image; got a batch of ${x.shape[0]}`);
  const { stages, logits } = tf.tidy(() => {
    const r = forwardStages(model, x);
    return { stages: r.stages.map((s) => tf.keep(s)), logits: tf.keep(r.logits) };
  });
  try {
    const out: StageMaps[] = [];
    for (const [i, s] of stages.entries()) {
      const [, h, w, c] = s.shape;
      const values = (await s.data()) as Float32Array;
      let total = 0;
      for (const v of values) total += v;
      out.push({
        name: STAGE_NAMES[i] ?? `stage ${i}`,
        height: h,
        width: w,
        channels: c,
        mean: total / values.length,
        maps: strongestChannels(values, h, w, c, top),
      });
    }
    return { stages: out, logits: Array.from(await logits.data()) };
  } finally {
    tf.dispose([...stages, logits]);
  }
}
