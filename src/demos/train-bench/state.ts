// The training benchmark's state in the URL (keys prefixed "bench.").
import { enumField, intField, type Schema } from '../../lib/url-state';
import { ARCHS } from '../../lib/model/archs';

export interface TrainBenchState {
  arch: string;
  batch: number;
  size: number;
  steps: number;
  kernels: 'both' | 'ours' | 'stock';
}

export const trainBenchSchema: Schema<TrainBenchState> = {
  arch: enumField('resnet-s', Object.keys(ARCHS)),
  batch: intField(16, 1, 256),
  size: intField(64, 16, 160),
  steps: intField(3, 1, 50),
  kernels: enumField<TrainBenchState['kernels']>('both', ['both', 'ours', 'stock']),
};

export const BENCH_PREFIX = 'bench';
