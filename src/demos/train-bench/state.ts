// The training benchmark's state in the URL (keys prefixed "bench.").
import { enumField, intField, type Schema } from '../../lib/url-state';
import { ARCHS } from '../../lib/model/archs';

export interface TrainBenchState {
  arch: string;
  batch: number;
  size: number;
  steps: number;
  kernels: 'both' | 'ours' | 'stock';
  /** Whether to profile one more step for its kernels by time (npm run bench sets it; no control on the page). */
  profile: 'off' | 'one-step';
  /**
   * Whether to pause after each timed step for the page's driver (npm run bench --browser times a PyTorch step there,
   * through window.benchBetweenSteps); without a driver the run goes straight on. No control on the page.
   */
  pause: 'off' | 'after-steps';
}

export const trainBenchSchema: Schema<TrainBenchState> = {
  arch: enumField('resnet-s', Object.keys(ARCHS)),
  batch: intField(16, 1, 256),
  size: intField(64, 16, 160),
  steps: intField(3, 1, 50),
  kernels: enumField<TrainBenchState['kernels']>('both', ['both', 'ours', 'stock']),
  profile: enumField<TrainBenchState['profile']>('off', ['off', 'one-step']),
  pause: enumField<TrainBenchState['pause']>('off', ['off', 'after-steps']),
};

export const BENCH_PREFIX = 'bench';
