// ResNet-S in jax-js (@jax-js/jax), the one other library that trains in the browser, for npm run bench's jax-js peer:
// the same model as ../shared/reference/torch_resnet_s.py (NCHW, each convolution followed by BatchNorm on the batch's
// statistics), softmax cross-entropy, Adam, fp32, one jitted gradient and one jitted update a step. It runs wherever
// jax-js does: Node (its wasm device, in the unit test) and the browser (scripts/bench/jax-peer.ts).
//
// jax-js counts references: every function takes ownership of the arrays passed to it, `.ref` keeps one for later.
// The parameters are one flat list, so the forward pass consumes each of them exactly once, in order.
import { jit, lax, nn, numpy as np, valueAndGrad, type Array as JaxArray } from '@jax-js/jax';

export interface JaxResNetOptions {
  batch: number;
  size: number;
  classes?: number;
  widths?: number[];
}

interface ConvSpec {
  cin: number;
  cout: number;
  k: number;
  stride: number;
}

/** The stem's convolution and each block's a, b and shortcut (where it has one), as in the torch model. */
function convSpecs(widths: number[]): {
  stem: ConvSpec;
  blocks: { a: ConvSpec; b: ConvSpec; sc: ConvSpec | null }[];
} {
  const stem = { cin: 3, cout: widths[0]!, k: 3, stride: 2 };
  let c = widths[0]!;
  const blocks = widths.map((w, i) => {
    const stride = i === 0 ? 1 : 2;
    const block = {
      a: { cin: c, cout: w, k: 3, stride },
      b: { cin: w, cout: w, k: 3, stride: 1 },
      sc: stride !== 1 || c !== w ? { cin: c, cout: w, k: 1, stride } : null,
    };
    c = w;
    return block;
  });
  return { stem, blocks };
}

/** A convolution and its BatchNorm, consuming x and the three parameters it takes from `ps` (weight, gamma, beta). */
function convBn(ps: JaxArray[], x: JaxArray, s: ConvSpec, relu: boolean): JaxArray {
  const [w, gamma, beta] = ps.splice(0, 3) as [JaxArray, JaxArray, JaxArray];
  const p = (s.k - 1) / 2;
  const y = lax.conv(
    x,
    w,
    [s.stride, s.stride],
    [
      [p, p],
      [p, p],
    ],
  );
  const mean = y.ref.mean([0, 2, 3], { keepdims: true });
  const centered = y.sub(mean);
  const variance = np.square(centered.ref).mean([0, 2, 3], { keepdims: true });
  const normed = centered
    .mul(np.reciprocal(np.sqrt(variance.add(1e-5))))
    .mul(gamma.reshape([1, s.cout, 1, 1]))
    .add(beta.reshape([1, s.cout, 1, 1]));
  return relu ? nn.relu(normed) : normed;
}

/** Logits [batch, classes] for images x [batch, 3, size, size]; consumes x and every parameter. */
export function forward(params: JaxArray[], x: JaxArray, widths: number[]): JaxArray {
  const ps = [...params];
  const { stem, blocks } = convSpecs(widths);
  let h = convBn(ps, x, stem, true);
  for (const b of blocks) {
    const shortcut = b.sc ? convBn(ps, h.ref, b.sc, false) : h.ref;
    const main = convBn(ps, convBn(ps, h, b.a, true), b.b, false);
    h = nn.relu(main.add(shortcut));
  }
  const [fcW, fcB] = ps.splice(0, 2) as [JaxArray, JaxArray];
  if (ps.length) throw new Error(`${ps.length} parameters left over after the forward pass`);
  return np.matmul(h.mean([2, 3]), fcW).add(fcB);
}

/** The mean cross-entropy of the logits against one-hot targets; consumes both. */
function crossEntropy(logits: JaxArray, oneHot: JaxArray, batch: number): JaxArray {
  return nn
    .logSoftmax(logits, -1)
    .mul(oneHot)
    .sum()
    .mul(-1 / batch);
}

/** Deterministic values (a linear congruential generator), so the peer starts from the same weights every run. */
function uniform(n: number, scale: number, seed: number): Float32Array<ArrayBuffer> {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32 - 0.5) * 2 * scale;
  }
  return out;
}

/** Kaiming-uniform convolution weights, BatchNorm's ones and zeros, a small linear layer: the flat list forward takes. */
export function initParams(widths: number[], classes: number): JaxArray[] {
  const { stem, blocks } = convSpecs(widths);
  // The order forward consumes them in: within a block the shortcut comes first.
  const ordered = [stem, ...blocks.flatMap((b) => (b.sc ? [b.sc, b.a, b.b] : [b.a, b.b]))];
  const params: JaxArray[] = [];
  ordered.forEach((s, i) => {
    const fanIn = s.cin * s.k * s.k;
    params.push(np.array(uniform(s.cout * fanIn, Math.sqrt(6 / fanIn), i + 1)).reshape([s.cout, s.cin, s.k, s.k]));
    params.push(np.ones([s.cout]));
    params.push(np.zeros([s.cout]));
  });
  const c = widths.at(-1)!;
  params.push(np.array(uniform(c * classes, 1 / Math.sqrt(c), 999)).reshape([c, classes]));
  params.push(np.zeros([classes]));
  return params;
}

export interface JaxTrainer {
  /** One training step; resolves to its loss (before the step's update) once the new weights are computed. */
  step(): Promise<number>;
  /** A copy of every parameter's values, in forward's order. */
  weights(): Promise<Float32Array[]>;
  dispose(): void;
}

/**
 * A trainer on synthetic data (fixed random images and labels, as the other peers): Adam (lr 1e-3, betas 0.9 and
 * 0.999, eps 1e-8, PyTorch's defaults), the gradient and the update each one jitted function.
 */
export function jaxTrainer(o: JaxResNetOptions): JaxTrainer {
  const widths = o.widths ?? [32, 64, 128, 256];
  const classes = o.classes ?? 37;
  let params = initParams(widths, classes);
  let m = params.map((p) => np.zerosLike(p.ref));
  let v = params.map((p) => np.zerosLike(p.ref));
  const x = np
    .array(uniform(o.batch * 3 * o.size * o.size, 0.5, 7).map((u) => u + 0.5))
    .reshape([o.batch, 3, o.size, o.size]);
  const labels = np.array(
    Int32Array.from({ length: o.batch }, (_, i) => (i * 7) % classes),
    { dtype: np.int32 },
  );
  const targets = nn.oneHot(labels, classes);
  const lossAndGrad = jit(
    valueAndGrad((ps: JaxArray[], images: JaxArray, oneHot: JaxArray) =>
      crossEntropy(forward(ps, images, widths), oneHot, o.batch),
    ),
  );
  const lr = 1e-3;
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  const update = jit((ps: JaxArray[], ms: JaxArray[], vs: JaxArray[], gs: JaxArray[], c1: JaxArray, c2: JaxArray) => {
    const out: JaxArray[][] = [[], [], []];
    ps.forEach((p, i) => {
      const g = gs[i]!;
      const mNew = ms[i]!.mul(b1).add(g.ref.mul(1 - b1));
      const vNew = vs[i]!.mul(b2).add(np.square(g).mul(1 - b2));
      // c1 = lr / (1 - b1^t), c2 = 1 / sqrt(1 - b2^t): Adam's bias corrections folded into two scalars.
      const stepSize = mNew.ref.mul(c1.ref).div(np.sqrt(vNew.ref).mul(c2.ref).add(eps));
      out[0]!.push(p.sub(stepSize));
      out[1]!.push(mNew);
      out[2]!.push(vNew);
    });
    c1.dispose();
    c2.dispose();
    return out;
  });
  let t = 0;
  return {
    async step() {
      t++;
      const [loss, grads] = lossAndGrad(
        params.map((p) => p.ref),
        x.ref,
        targets.ref,
      ) as unknown as [JaxArray, JaxArray[]];
      const c1 = np.array([lr / (1 - b1 ** t)]).reshape([]);
      const c2 = np.array([1 / Math.sqrt(1 - b2 ** t)]).reshape([]);
      [params, m, v] = update(params, m, v, grads, c1, c2) as unknown as [JaxArray[], JaxArray[], JaxArray[]];
      const value = (await loss.data())[0]!;
      await Promise.all(params.map((p) => p.ref.blockUntilReady().then((r) => r.dispose())));
      return value;
    },
    async weights() {
      return Promise.all(params.map(async (p) => Float32Array.from((await p.ref.data()) as Float32Array)));
    },
    dispose() {
      for (const a of [...params, ...m, ...v, x, targets]) a.dispose();
      lossAndGrad.dispose();
      update.dispose();
    },
  };
}
