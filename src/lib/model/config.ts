// Model shapes as plain data (no TF.js), so pages can list architectures without loading the engine.

export interface ResNetConfig {
  widths: number[];
  blocks: number[];
  classes: number;
}

/** The reference pets model (../shared/reference/README.md, section 1). */
export const RESNET_S: ResNetConfig = { widths: [32, 64, 128, 256], blocks: [1, 1, 1, 1], classes: 37 };

/** Side of a convolution's output: padding 1 for 3x3 and 0 for 1x1 keep 'same' at stride 1. */
const outSide = (side: number, stride: number) => Math.floor((side - 1) / stride) + 1;

/** Every convolution of the network in order: kernel, channels in and out, output side, at input side `size`. */
function convs(c: ResNetConfig, size: number): { k: number; cin: number; cout: number; side: number }[] {
  const out = [{ k: 3, cin: 3, cout: c.widths[0]!, side: outSide(size, 2) }];
  let cin = c.widths[0]!;
  let side = out[0]!.side;
  c.widths.forEach((cout, s) => {
    for (let i = 0; i < (c.blocks[s] ?? 1); i++) {
      const stride = i === 0 && s > 0 ? 2 : 1;
      side = outSide(side, stride);
      out.push({ k: 3, cin, cout, side }, { k: 3, cin: cout, cout, side });
      if (stride !== 1 || cin !== cout) out.push({ k: 1, cin, cout, side });
      cin = cout;
    }
  });
  return out;
}

/** Learnable parameters: convolution weights, each BatchNorm's scale and shift, the head's weights and biases. */
export function learnableParams(c: ResNetConfig): number {
  const last = c.widths.at(-1)!;
  // The image size changes no layer's weights: any size lists the same layers.
  return convs(c, 1).reduce((n, v) => n + v.k * v.k * v.cin * v.cout + 2 * v.cout, 0) + last * c.classes + c.classes;
}

/**
 * Floating-point operations to train on one image of side `size`, as PyTorch's flop counter counts them: 2 per
 * multiply-add of the convolutions and the head; forward, then backward at twice that (a gradient for the layer's
 * input and one for its weights), except that nothing needs the gradient of the image itself, so the stem's input
 * gradient is never computed. BatchNorm, ReLU and pooling are left out: a fraction of a percent.
 */
export function trainingFlops(c: ResNetConfig, size: number): number {
  const layers = convs(c, size).map((v) => v.side * v.side * v.k * v.k * v.cin * v.cout);
  const macs = layers.reduce((n, m) => n + m, 0) + c.widths.at(-1)! * c.classes;
  return 2 * (3 * macs - layers[0]!);
}
