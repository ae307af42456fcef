// Adam as fastai builds it: decoupled weight decay (not on BatchNorm or biases), gradient averages with dampening,
// betas (0.9, 0.99), eps 1e-5, wd 0.01; learning rate and momentum (beta1) given per parameter group at every step.
import * as tf from '@tensorflow/tfjs-core';
import type { Param } from '../model/resnet-s';
import { fusedAdam } from '../kernels/switches';

/** One parameter's step: its learning rate and momentum, the fixed options, decay and the step count. */
export interface AdamHyper {
  lr: number;
  mom: number;
  sqrMom: number;
  eps: number;
  /** 1 - lr * wd for decayed parameters, 1 otherwise. */
  decay: number;
  step: number;
}

/** The update of one parameter and its two averages from its gradient. */
export interface AdamUpdate {
  p: tf.Variable;
  gradAvg: tf.Variable;
  sqrAvg: tf.Variable;
  g: tf.Tensor;
  h: AdamHyper;
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
      // The zeros are freed, so each average alone holds its buffer (and can be updated in place from the first step).
      const zeros = () => tf.tidy(() => tf.variable(tf.zerosLike(p.variable), false));
      s = { gradAvg: zeros(), sqrAvg: zeros(), step: 0 };
      this.state.set(p.name, s);
    }
    return s;
  }

  /** One update of every parameter that has a gradient; lrs and moms are per group. */
  step(params: readonly Param[], grads: tf.NamedTensorMap, lrs: readonly number[], moms: readonly number[]): void {
    const { sqrMom, eps, wd } = this.options;
    const fast = fusedAdam();
    const updates: AdamUpdate[] = [];
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
        updates.push({
          p: p.variable,
          gradAvg: s.gradAvg,
          sqrAvg: s.sqrAvg,
          g,
          h: { lr, mom, sqrMom, eps, decay: decays && wd !== 0 ? 1 - lr * wd : 1, step },
        });
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
    if (fast && updates.length) fast(updates);
  }

  /**
   * Forgets every parameter's averages and step count, as fastai's `opt.clear_state()` (which `freeze_to`, and so
   * `freeze()` and `unfreeze()`, ends with): the next step of each parameter is its first again.
   */
  clearState(): void {
    for (const s of this.state.values()) tf.dispose([s.gradAvg, s.sqrAvg]);
    this.state.clear();
  }

  /** How many steps a parameter has taken since its state was last cleared (0 for none). */
  stepCount(name: string): number {
    return this.state.get(name)?.step ?? 0;
  }

  /** A copy of the whole state (for lr_find to put back exactly). */
  snapshot(): Map<string, { gradAvg: tf.Tensor; sqrAvg: tf.Tensor; step: number }> {
    return new Map(
      [...this.state].map(([k, s]) => [k, { gradAvg: tf.clone(s.gradAvg), sqrAvg: tf.clone(s.sqrAvg), step: s.step }]),
    );
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
    this.clearState();
  }
}
