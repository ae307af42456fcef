// fastai's fine_tune as data: its phases (frozen, then unfrozen with discriminative rates) and the learning rate each
// parameter group gets at every step. The Learner runs these phases; a chart can draw them before anything trains.
import { groupLrs, scaleLr, slice, type LrSpec } from './lr-groups';
import { ONE_CYCLE_DEFAULTS, oneCycle, stepPos, type OneCycleOptions } from './schedules';

export interface FineTuneOptions {
  /** Epochs with the body frozen first (fastai: 1); 0 skips that phase. */
  freezeEpochs: number;
  /** How much smaller the first group's rate is than the head's once unfrozen (fastai: 100). */
  lrMult: number;
  pctStart: number;
  div: number;
}

export const FINE_TUNE_DEFAULTS: FineTuneOptions = { freezeEpochs: 1, lrMult: 100, pctStart: 0.3, div: 5 };

export interface FineTunePhase {
  name: string;
  epochs: number;
  /** Only the head and the BatchNorm layers train. */
  frozen: boolean;
  lr: LrSpec;
  oneCycle: Partial<OneCycleOptions>;
}

/**
 * fine_tune(epochs, baseLr): fit_one_cycle(freezeEpochs, slice(baseLr), pct_start 0.99) frozen; then baseLr /= 2,
 * unfreeze, fit_one_cycle(epochs, slice(baseLr / lrMult, baseLr), pct_start, div).
 */
export function fineTunePhases(epochs: number, baseLr = 2e-3, o: Partial<FineTuneOptions> = {}): FineTunePhase[] {
  const { freezeEpochs, lrMult, pctStart, div } = { ...FINE_TUNE_DEFAULTS, ...o };
  const half = baseLr / 2;
  const phases: FineTunePhase[] = [];
  if (freezeEpochs > 0)
    phases.push({
      name: 'fine_tune: frozen',
      epochs: freezeEpochs,
      frozen: true,
      lr: slice(baseLr),
      oneCycle: { pctStart: 0.99 },
    });
  phases.push({
    name: `fine_tune: unfrozen, lr_max ${Number(half.toPrecision(3))} (base_lr / 2)`,
    epochs,
    frozen: false,
    lr: scaleLr(slice(baseLr / lrMult, baseLr), 0.5),
    oneCycle: { pctStart, div },
  });
  return phases;
}

export interface GroupLrStep {
  /** Step number over all phases, from 0. */
  step: number;
  phase: number;
  frozen: boolean;
  /** One rate per parameter group, first group (stem and early stages) first, head last. */
  lrs: number[];
}

/** The rate of every group at every step of `phases`, as the Learner sets them, with `stepsPerEpoch` batches per epoch. */
export function phaseLrSteps(phases: readonly FineTunePhase[], stepsPerEpoch: number, groups = 3): GroupLrStep[] {
  const out: GroupLrStep[] = [];
  phases.forEach((ph, k) => {
    const scheds = groupLrs(ph.lr, groups).map((lr) => oneCycle(lr, { ...ONE_CYCLE_DEFAULTS, ...ph.oneCycle }));
    const n = ph.epochs * stepsPerEpoch;
    for (let i = 0; i < n; i++)
      out.push({ step: out.length, phase: k, frozen: ph.frozen, lrs: scheds.map((s) => s.lr(stepPos(i, n))) });
  });
  return out;
}
