// The convolutions of a ResNet-S-style model as plain data: each layer's input shape, kernel, stride and padding, in
// the order the forward pass runs them. The per-layer kernel benchmark (npm run bench:conv) times these shapes.
import type { ResNetConfig } from './config';

export interface ConvLayer {
  name: string;
  /** Input [batch, height, width, channels]. */
  x: [number, number, number, number];
  k: number;
  cout: number;
  stride: number;
  /** Zero padding on each side (1 for 3x3, 0 for 1x1, as the model builds them). */
  pad: number;
}

const outSize = (n: number, k: number, stride: number, pad: number) => Math.floor((n + 2 * pad - k) / stride) + 1;

export function convLayers(config: Pick<ResNetConfig, 'widths' | 'blocks'>, batch: number, size: number): ConvLayer[] {
  const layers: ConvLayer[] = [];
  /** Adds a layer reading an h x h x c activation; returns its output size. */
  const conv = (name: string, h: number, c: number, k: number, cout: number, stride: number) => {
    const pad = k === 3 ? 1 : 0;
    layers.push({ name, x: [batch, h, h, c], k, cout, stride, pad });
    return outSize(h, k, stride, pad);
  };
  let h = conv('stem', size, 3, 3, config.widths[0]!, 2);
  let c = config.widths[0]!;
  config.widths.forEach((cout, s) => {
    for (let i = 0; i < (config.blocks[s] ?? 1); i++) {
      const stride = i === 0 && s > 0 ? 2 : 1;
      const name = `stages.${s}.${i}`;
      const hOut = conv(`${name}.a`, h, c, 3, cout, stride);
      if (stride !== 1 || c !== cout) conv(`${name}.shortcut`, h, c, 1, cout, stride);
      conv(`${name}.b`, hOut, cout, 3, cout, 1);
      [h, c] = [hOut, cout];
    }
  });
  return layers;
}

/** Multiply-adds of one layer's forward pass, times two: its floating-point operations (each gradient costs the same). */
export function convFlops(l: ConvLayer): number {
  const o = outSize(l.x[1], l.k, l.stride, l.pad) * outSize(l.x[2], l.k, l.stride, l.pad);
  return 2 * l.x[0] * o * l.k * l.k * l.x[3] * l.cout;
}
