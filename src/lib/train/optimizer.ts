// Adam as fastai builds it: decoupled weight decay (not on BatchNorm or biases), gradient averages with dampening,
// betas (0.9, 0.99), eps 1e-5, wd 0.01; learning rate and momentum (beta1) given per parameter group at every step.
import * as tf from '@tensorflow/tfjs-core';
import type { Param } from '../model/resnet-s';

/**
 * A faster update for one parameter on a particular backend (our fused WebGPU Adam), or null to use TF.js ops.
 * Set by the engine when it starts a backend that has one; tests set it to compare.
 */
export type FusedAdamStep = (p: tf.Variable, gradAvg: tf.Variable, sqrAvg: tf.Variable, g: tf.Tensor, h: { lr: number; mom: number; sqrMom: number; eps: number; decay: number; step: number }) => void;
let fused: (() => FusedAdamStep | null) | null = null;

export function setFusedAdam(provider: (() => FusedAdamStep | null) | null): void {
  fused = provider;
}

export interface AdamOptions {
  sqrMom: number;
  eps: number;
  wd: number;
}

export const ADAM_DEFAULTS: AdamOptions = { sqrMom: 0.99, eps: 1e-5, wd: 0.01 };

interface State {
  gradAvg: tf.Variable;
  sqrAvg: tf.Variable;
  step: number;
}

export class Adam {
  readonly options: AdamOptions;
  private state = new Map<string, State>();

  constructor(opts: Partial<AdamOptions> = {}) {
    this.options = { ...ADAM_DEFAULTS, ...opts };
  }

  private stateFor(p: Param): State {
    let s = this.state.get(p.name);
    if (!s) {
      s = { gradAvg: tf.variable(tf.zerosLike(p.variable), false), sqrAvg: tf.variable(tf.zerosLike(p.variable), false), step: 0 };
      this.state.set(p.name, s);
    }
    return s;
  }

  /** One update of every parameter that has a gradient; lrs and moms are per group. */
  step(params: readonly Param[], grads: tf.NamedTensorMap, lrs: readonly number[], moms: readonly number[]): void {
    const { sqrMom, eps, wd } = this.options;
    const fast = fused?.() ?? null;
    for (const p of params) {
      const g = grads[p.variable.name];
      if (!g) continue;
      const lr = lrs[p.group]!;
      const mom = moms[p.group]!;
      const s = this.stateFor(p);
      s.step++;
      const step = s.step;
      const decays = p.kind === 'conv' || p.kind === 'dense-weight';
      if (fast) {
        fast(p.variable, s.gradAvg, s.sqrAvg, g, { lr, mom, sqrMom, eps, decay: decays && wd !== 0 ? 1 - lr * wd : 1, step });
        continue;
      }
      tf.tidy(() => {
        const w = decays && wd !== 0 ? tf.mul(p.variable, 1 - lr * wd) : p.variable;
        const gradAvg = tf.add(tf.mul(s.gradAvg, mom), tf.mul(g, 1 - mom));
        const sqrAvg = tf.add(tf.mul(s.sqrAvg, sqrMom), tf.mul(tf.square(g), 1 - sqrMom));
        const debias1 = 1 - mom ** step;
        const debias2 = 1 - sqrMom ** step;
        const update = tf.div(gradAvg, tf.add(tf.sqrt(tf.div(sqrAvg, debias2)), eps));
        s.gradAvg.assign(gradAvg);
        s.sqrAvg.assign(sqrAvg);
        p.variable.assign(tf.sub(w, tf.mul(update, lr / debias1)));
      });
    }
  }

  /** A copy of the whole state (for lr_find to put back exactly). */
  snapshot(): Map<string, { gradAvg: tf.Tensor; sqrAvg: tf.Tensor; step: number }> {
    return new Map([...this.state].map(([k, s]) => [k, { gradAvg: tf.clone(s.gradAvg), sqrAvg: tf.clone(s.sqrAvg), step: s.step }]));
  }

  restore(snap: Map<string, { gradAvg: tf.Tensor; sqrAvg: tf.Tensor; step: number }>): void {
    for (const [k, s] of this.state) {
      const saved = snap.get(k);
      if (!saved) {
        tf.dispose([s.gradAvg, s.sqrAvg]);
        this.state.delete(k);
      } else {
        s.gradAvg.assign(saved.gradAvg);
        s.sqrAvg.assign(saved.sqrAvg);
        s.step = saved.step;
      }
    }
    for (const s of snap.values()) tf.dispose([s.gradAvg, s.sqrAvg]);
  }

  dispose(): void {
    for (const s of this.state.values()) tf.dispose([s.gradAvg, s.sqrAvg]);
    this.state.clear();
  }
}
