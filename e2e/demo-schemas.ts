// What each demo keeps in the URL: its DemoFrame id, its key prefix and the keys of its state schema. The
// guided-experiments test checks every experiment's parameters against this, so a wrong prefix or a key the demo does
// not have fails (the URL check alone cannot see those: a demo leaves keys it does not know in the address).
import { archCompareSchema, ARCH_PREFIX } from '../src/demos/arch-compare/state';
import { batchSchema, BATCH_PREFIX } from '../src/demos/batch-viewer/state';
import { ceSchema, CE_PREFIX } from '../src/demos/cross-entropy-lab/state';
import { dbSchema, DB_PREFIX } from '../src/demos/datablock-lab/state';
import { fineTuneSchema, FT_PREFIX } from '../src/demos/fine-tune-lab/state';
import { interpretationSchema, INTERP_PREFIX } from '../src/demos/interpretation-lab/state';
import { lrFinderSchema, LRF_PREFIX } from '../src/demos/lr-finder/state';
import { pzSchema, PZ_PREFIX } from '../src/demos/presizing-lab/state';
import { softmaxSchema, SOFTMAX_PREFIX } from '../src/demos/softmax-lab/state';
import { trainBenchSchema, BENCH_PREFIX } from '../src/demos/train-bench/state';
import { trainSchema, TRAIN_PREFIX } from '../src/demos/train-run/state';
import { epochsLabSchema, ES_PREFIX } from '../src/demos/epochs-lab/state';
import { halfPrecisionSchema, FP16_PREFIX } from '../src/demos/half-precision-lab/state';
import { featureMapSchema, FM_PREFIX } from '../src/demos/feature-maps/state';
import { rxSchema, RX_PREFIX } from '../src/demos/regex-exercises/state';

export interface DemoUrlState {
  prefix: string;
  keys: string[];
}

const entry = (prefix: string, schema: object): DemoUrlState => ({ prefix, keys: Object.keys(schema) });

/** DemoFrame id → its URL state. A new demo with URL state adds a line here. */
export const DEMO_URL_STATE: Record<string, DemoUrlState> = {
  'arch-compare': entry(ARCH_PREFIX, archCompareSchema),
  'show-batch': entry(BATCH_PREFIX, batchSchema),
  'cross-entropy-lab': entry(CE_PREFIX, ceSchema),
  'datablock-lab': entry(DB_PREFIX, dbSchema),
  'fine-tune-lab': entry(FT_PREFIX, fineTuneSchema()),
  'interpretation-lab': entry(INTERP_PREFIX, interpretationSchema),
  'lr-finder': entry(LRF_PREFIX, lrFinderSchema),
  // The model view's schema lives in its component (src/demos/model-view/ModelView.svelte).
  'model-view': { prefix: 'mv', keys: ['image'] },
  'presizing-lab': entry(PZ_PREFIX, pzSchema),
  'softmax-lab': entry(SOFTMAX_PREFIX, softmaxSchema),
  'train-bench': entry(BENCH_PREFIX, trainBenchSchema),
  'train-run': entry(TRAIN_PREFIX, trainSchema),
  'epochs-lab': entry(ES_PREFIX, epochsLabSchema),
  'half-precision-lab': entry(FP16_PREFIX, halfPrecisionSchema),
  'feature-maps': entry(FM_PREFIX, featureMapSchema),
  'regex-exercises': entry(RX_PREFIX, rxSchema),
};
